package io.github.fluxkontext.camel.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.sql.DataSource;

/**
 * A ledger in a database table, shared by every instance that uses the same table: the atomicity comes from
 * the database (a primary key and conditional updates), no JVM lock is involved. Tested against PostgreSQL;
 * the SQL is plain (no upsert, no vendor types), so other databases work where their key comparison is exact.
 * <p>
 * The table is created on first use if missing:
 * <pre>
 * CREATE TABLE IF NOT EXISTS flux_kontext_ledger (
 *     ledger_key  VARCHAR(512) NOT NULL,
 *     token       VARCHAR(64)  NOT NULL,
 *     state       VARCHAR(16)  NOT NULL,
 *     request_id  VARCHAR(255),
 *     endpoint_id VARCHAR(255) NOT NULL,
 *     created_at  BIGINT       NOT NULL,
 *     expires_at  BIGINT       NOT NULL,
 *     PRIMARY KEY (ledger_key)
 * )
 * </pre>
 * {@code state} is {@code SUBMITTING} or {@code SUBMITTED}; the times are epoch milliseconds (UTC).
 * A table made by hand instead (for a user without the right to create tables, or a database without
 * {@code CREATE TABLE IF NOT EXISTS}) needs these columns; its key comparison must be exact (MySQL and SQL
 * Server compare case-insensitively by default: give {@code ledger_key} a binary collation there). With
 * many keys, an index on {@code expires_at} speeds up the sweep of expired rows.
 * <ul>
 * <li>{@code putIfAbsent}: {@code INSERT}; a unique violation (SQLState class 23) means the key is held, and
 * the holder is read. An expired holder is taken over by
 * {@code UPDATE ... WHERE ledger_key = ? AND token = ? AND expires_at <= now}: of several instances racing for
 * it, the database lets exactly one update the row.</li>
 * <li>{@code replace}: {@code UPDATE ... WHERE ledger_key = ? AND token = ? AND expires_at > now}, true if it
 * changed a row. {@code remove}: {@code DELETE ... WHERE ledger_key = ? AND token = ?}.</li>
 * <li>Every statement commits on its own (the connection is switched to auto-commit while the ledger uses
 * it): an entry is stored before the submit, whatever transaction the route runs in. So the DataSource must
 * not hand out connections enlisted in a JTA transaction.</li>
 * <li>"Now" is this JVM's clock: instances sharing a table need synchronised clocks (NTP), small against the
 * entries' time to live. Expired rows are deleted by one {@code DELETE} every 1,024 stores of an instance.</li>
 * </ul>
 * As a bean: {@code new JdbcSubmissionLedger()} with {@code setDataSource(...)} and optionally
 * {@code setTableName(...)} (default {@value #DEFAULT_TABLE_NAME}), or the constructors. The driver and the
 * DataSource (a pool, preferably) are the user's. Thread-safe.
 */
public class JdbcSubmissionLedger extends ExpiringLedger {

    public static final String DEFAULT_TABLE_NAME = "flux_kontext_ledger";

    // unquoted identifiers only (they are put into the SQL as they are); 63: PostgreSQL's limit
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");
    // each failed attempt means another instance changed the key's row in between: a bound, not a tuning knob
    private static final int MAX_ATTEMPTS = 100;

    private volatile DataSource dataSource;
    private volatile String tableName = DEFAULT_TABLE_NAME;
    private volatile Sql sql;

    public JdbcSubmissionLedger() {
    }

    public JdbcSubmissionLedger(DataSource dataSource) {
        this(dataSource, DEFAULT_TABLE_NAME, Clock.systemUTC());
    }

    public JdbcSubmissionLedger(DataSource dataSource, String tableName) {
        this(dataSource, tableName, Clock.systemUTC());
    }

    public JdbcSubmissionLedger(DataSource dataSource, String tableName, Clock clock) {
        setDataSource(dataSource);
        setTableName(tableName);
        setClock(clock);
    }

    public DataSource getDataSource() {
        return dataSource;
    }

    /**
     * Where the table lives; connections are taken for each operation and closed after it.
     */
    public void setDataSource(DataSource dataSource) {
        if (dataSource == null) {
            throw new IllegalArgumentException("dataSource must not be null");
        }
        this.dataSource = dataSource;
    }

    public String getTableName() {
        return tableName;
    }

    /**
     * The table's name (default {@value #DEFAULT_TABLE_NAME}), optionally with a schema
     * ({@code ledgers.flux_kontext}); it cannot change once the ledger was used.
     */
    public synchronized void setTableName(String tableName) {
        if (tableName == null || !TABLE_NAME.matcher(tableName).matches()) {
            throw new IllegalArgumentException("tableName must be an unquoted SQL identifier, optionally with a schema"
                                               + " (letters, digits and _, not starting with a digit, at most 63 each),"
                                               + " but is " + (tableName == null ? "null" : "'" + tableName + "'"));
        }
        if (sql != null && !sql.table.equals(tableName)) {
            throw fixedOnceUsed("tableName", this.tableName);
        }
        this.tableName = tableName;
    }

    @Override
    Optional<LedgerEntry> store(LedgerEntry entry, Instant now) {
        Sql sql = sql();
        return withConnection(sql, "store the entry of key '" + entry.key() + "'", connection -> {
            SQLException violation = null;
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                violation = insert(connection, sql, entry);
                if (violation == null) {
                    return Optional.empty();
                }
                LedgerEntry holder = select(connection, sql, entry.key(), Long.MIN_VALUE);
                if (holder != null && holder.isLiveAt(now)) {
                    return Optional.of(holder);
                }
                if (holder != null && update(connection, sql.takeOverExpired, entry, holder.token(), now.toEpochMilli())) {
                    return Optional.empty();
                }
                // the holder was removed or taken over since: insert again
            }
            throw new LedgerStoreException("The row of key '" + entry.key() + "' changed " + MAX_ATTEMPTS
                                           + " times while this instance tried to store it", violation);
        });
    }

    @Override
    public boolean replace(LedgerEntry expected, LedgerEntry replacement) {
        LedgerEntry.requireSameKey(expected, replacement);
        Sql sql = sql();
        long now = now().toEpochMilli();
        return withConnection(sql, "replace the entry of key '" + expected.key() + "'",
                connection -> update(connection, sql.replaceLive, replacement, expected.token(), now));
    }

    @Override
    public void remove(String key, String token) {
        LedgerEntry.checkKey(key);
        LedgerEntry.checkToken(token);
        Sql sql = sql();
        withConnection(sql, "remove the entry of key '" + key + "'", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql.delete)) {
                statement.setString(1, key);
                statement.setString(2, token);
                return statement.executeUpdate();
            }
        });
    }

    @Override
    public Optional<LedgerEntry> get(String key) {
        LedgerEntry.checkKey(key);
        Sql sql = sql();
        long now = now().toEpochMilli();
        return withConnection(sql, "read the entry of key '" + key + "'",
                connection -> Optional.ofNullable(select(connection, sql, key, now)));
    }

    /** The statements, once the table exists. */
    private Sql sql() {
        Sql current = sql;
        if (current == null) {
            synchronized (this) {
                if (sql == null) {
                    if (dataSource == null) {
                        throw new IllegalStateException("dataSource must be set before the ledger is used");
                    }
                    Sql created = new Sql(tableName);
                    withConnection(created, "create it if missing", connection -> createTableIfMissing(connection, created));
                    sql = created;
                }
                current = sql;
            }
        }
        return current;
    }

    private static Void createTableIfMissing(Connection connection, Sql sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql.createTable);
        } catch (SQLException createFailed) {
            // Another instance may have created it at the same moment (PostgreSQL's IF NOT EXISTS is not atomic),
            // or the table was made by hand where this DDL cannot run: fine if the table is there now.
            try (Statement statement = connection.createStatement()) {
                statement.executeQuery(sql.probe).close();
                return null;
            } catch (SQLException probeFailed) {
                createFailed.addSuppressed(probeFailed);
                throw createFailed;
            }
        }
        return null;
    }

    /** One {@code DELETE} of the expired rows; how many are left is not counted. */
    @Override
    long sweep(Instant now) {
        Sql sql = sql();
        withConnection(sql, "delete expired entries", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql.purge)) {
                statement.setLong(1, now.toEpochMilli());
                return statement.executeUpdate();
            }
        });
        return -1;
    }

    /** Inserts the entry; returns null when it did, the unique violation when the key is held. */
    private static SQLException insert(Connection connection, Sql sql, LedgerEntry entry) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.insert)) {
            int next = bindEntry(statement, entry);
            statement.setString(next, entry.key());
            statement.executeUpdate();
            return null;
        } catch (SQLException e) {
            if (e instanceof SQLIntegrityConstraintViolationException
                || e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                return e; // the key is held: the caller reads the holder
            }
            throw e;
        }
    }

    /** Runs one of the two conditional updates of the key's row; true if it changed the row. */
    private static boolean update(Connection connection, String update, LedgerEntry replacement, String token, long now)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(update)) {
            int next = bindEntry(statement, replacement);
            statement.setString(next, replacement.key());
            statement.setString(next + 1, token);
            statement.setLong(next + 2, now);
            return statement.executeUpdate() == 1;
        }
    }

    /** Binds the columns other than the key, in {@link Sql#VALUES}' order; returns the next parameter index. */
    private static int bindEntry(PreparedStatement statement, LedgerEntry entry) throws SQLException {
        statement.setString(1, entry.token());
        statement.setString(2, entry.state().name());
        if (entry.requestId() == null) {
            statement.setNull(3, Types.VARCHAR);
        } else {
            statement.setString(3, entry.requestId());
        }
        statement.setString(4, entry.endpointId());
        statement.setLong(5, entry.createdAt().toEpochMilli());
        statement.setLong(6, entry.expiresAt().toEpochMilli());
        return 7;
    }

    /** The entry of the key if its row expires after {@code liveAfter}, else null. */
    private static LedgerEntry select(Connection connection, Sql sql, String key, long liveAfter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.select)) {
            statement.setString(1, key);
            statement.setLong(2, liveAfter);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                try {
                    return new LedgerEntry(key, row.getString(1), LedgerState.valueOf(row.getString(2)), row.getString(3),
                            row.getString(4), Instant.ofEpochMilli(row.getLong(5)), Instant.ofEpochMilli(row.getLong(6)));
                } catch (IllegalArgumentException e) {
                    throw new LedgerStoreException("Table " + sql.table + " holds an invalid row for key '" + key + "': "
                                                   + e.getMessage(), e);
                }
            }
        }
    }

    private <T> T withConnection(Sql sql, String what, SqlAction<T> action) {
        try (Connection connection = dataSource.getConnection();
             AutoCommit autoCommit = AutoCommit.on(connection)) {
            return action.run(autoCommit.connection);
        } catch (SQLException e) {
            throw new LedgerStoreException("Ledger table " + sql.table + ": cannot " + what + " (" + e.getMessage() + ")", e);
        }
    }

    @FunctionalInterface
    private interface SqlAction<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Auto-commit on while the ledger uses a connection; the connection's own setting back after. */
    private static final class AutoCommit implements AutoCloseable {

        final Connection connection;
        private final boolean wasOn;

        private AutoCommit(Connection connection, boolean wasOn) {
            this.connection = connection;
            this.wasOn = wasOn;
        }

        static AutoCommit on(Connection connection) throws SQLException {
            boolean wasOn = connection.getAutoCommit();
            if (!wasOn) {
                connection.setAutoCommit(true);
            }
            return new AutoCommit(connection, wasOn);
        }

        @Override
        public void close() throws SQLException {
            if (!wasOn) {
                connection.setAutoCommit(false);
            }
        }
    }

    /** The statements of one table. */
    private static final class Sql {

        // the columns after ledger_key, in bindEntry's order; ledger_key is bound after them
        static final String VALUES = "token, state, request_id, endpoint_id, created_at, expires_at";
        static final String SET = "token = ?, state = ?, request_id = ?, endpoint_id = ?, created_at = ?, expires_at = ?";

        final String table;
        final String createTable;
        final String probe;
        final String insert;
        final String select;
        final String replaceLive;
        final String takeOverExpired;
        final String delete;
        final String purge;

        Sql(String table) {
            this.table = table;
            createTable = "CREATE TABLE IF NOT EXISTS " + table + " ("
                          + "ledger_key VARCHAR(512) NOT NULL, "
                          + "token VARCHAR(64) NOT NULL, "
                          + "state VARCHAR(16) NOT NULL, "
                          + "request_id VARCHAR(255), "
                          + "endpoint_id VARCHAR(255) NOT NULL, "
                          + "created_at BIGINT NOT NULL, "
                          + "expires_at BIGINT NOT NULL, "
                          + "PRIMARY KEY (ledger_key))";
            probe = "SELECT ledger_key, " + VALUES + " FROM " + table + " WHERE 1 = 0";
            insert = "INSERT INTO " + table + " (" + VALUES + ", ledger_key) VALUES (?, ?, ?, ?, ?, ?, ?)";
            select = "SELECT " + VALUES + " FROM " + table + " WHERE ledger_key = ? AND expires_at > ?";
            replaceLive = "UPDATE " + table + " SET " + SET + " WHERE ledger_key = ? AND token = ? AND expires_at > ?";
            takeOverExpired = "UPDATE " + table + " SET " + SET + " WHERE ledger_key = ? AND token = ? AND expires_at <= ?";
            delete = "DELETE FROM " + table + " WHERE ledger_key = ? AND token = ?";
            purge = "DELETE FROM " + table + " WHERE expires_at <= ?";
        }
    }
}
