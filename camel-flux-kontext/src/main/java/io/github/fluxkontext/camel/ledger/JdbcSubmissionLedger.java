package io.github.fluxkontext.camel.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ledger in a database table, shared by every instance that uses the same table: the atomicity comes from
 * the database (a primary key and conditional updates), no JVM lock is involved. Tested against PostgreSQL;
 * the SQL is plain (no upsert, no vendor types), so other databases work where their key comparison is exact.
 * <p>
 * The table and its index are created on first use if missing:
 * <pre>
 * CREATE TABLE IF NOT EXISTS flux_kontext_ledger (
 *     ledger_key   VARCHAR(512) NOT NULL,
 *     token        VARCHAR(64)  NOT NULL,
 *     state        VARCHAR(16)  NOT NULL,
 *     request_id   VARCHAR(255),
 *     endpoint_id  VARCHAR(255) NOT NULL,
 *     created_at   BIGINT       NOT NULL,
 *     expires_at   BIGINT       NOT NULL,
 *     lease_millis BIGINT,
 *     lease_until  BIGINT,
 *     PRIMARY KEY (ledger_key)
 * );
 * CREATE INDEX IF NOT EXISTS flux_kontext_ledger_expires_at ON flux_kontext_ledger (expires_at);
 * </pre>
 * {@code state} is {@code SUBMITTING} or {@code SUBMITTED}; the times are epoch milliseconds (UTC). A table of an
 * earlier version, without the two lease columns, gets them on first use ({@code ALTER TABLE ... ADD COLUMN
 * lease_millis BIGINT}, then {@code lease_until}); its unanswered claims have no lease and count as lapsed. A table
 * made by hand instead (for a user without the right to create or alter tables) needs these columns; its key
 * comparison must be exact (MySQL and SQL Server compare case-insensitively by default: give {@code ledger_key} a
 * binary collation there).
 * <ul>
 * <li>{@code putIfAbsent}: {@code INSERT}; a unique violation (SQLState class 23) means the key is held, and
 * the holder is read. An expired holder is taken over by
 * {@code UPDATE ... WHERE ledger_key = ? AND token = ? AND expires_at <= now}: of several instances racing for
 * it, the database lets exactly one update the row.</li>
 * <li>{@code replace}: {@code UPDATE ... WHERE ledger_key = ? AND token = ? AND expires_at > now}, true if it
 * changed a row. {@code remove}: {@code DELETE ... WHERE ledger_key = ? AND token = ?}.</li>
 * <li>Leases are the database's: {@code lease_until} is set to the database's clock plus the lease on every store
 * and renewal, and a takeover's {@code UPDATE} requires {@code lease_until <= } the database's clock, compared in
 * the statement itself, so instances whose clocks differ agree. The database's clock is read as
 * {@value #DATABASE_NOW}, which PostgreSQL (and H2, CockroachDB) understand; on a database that does not, the
 * ledger says so in the log at first use and uses this JVM's clock for leases too.</li>
 * <li>Every statement commits on its own: an entry is stored before the submit, whatever transaction the route
 * runs in. So the ledger needs connections with auto-commit on, a DataSource of its own (a plain pool such as
 * HikariCP with its default {@code autoCommit=true}, or the driver's DataSource). It refuses a connection with
 * auto-commit off (one bound to the caller's transaction, from Spring's {@code TransactionAwareDataSourceProxy} or
 * a JTA DataSource, or of a pool set to {@code autoCommit=false}), and never commits, rolls back or switches
 * auto-commit on a connection it was given.</li>
 * <li>Expiry is this JVM's clock: instances sharing a table need synchronised clocks (NTP), small against the
 * entries' time to live. Expired rows are deleted by {@link #purgeExpired()}, one {@code DELETE} on the indexed
 * {@code expires_at}, which the component runs on a thread of its own every 1,024 stores or so.</li>
 * </ul>
 * As a bean: {@code new JdbcSubmissionLedger()} with {@code setDataSource(...)} and optionally
 * {@code setTableName(...)} (default {@value #DEFAULT_TABLE_NAME}), or the constructors. The driver and the
 * DataSource (a pool, preferably) are the user's. Thread-safe.
 */
public class JdbcSubmissionLedger extends ExpiringLedger {

    public static final String DEFAULT_TABLE_NAME = "flux_kontext_ledger";
    /** The database's clock in epoch milliseconds, as leases are set and compared. */
    static final String DATABASE_NOW = "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)";

    private static final Logger LOG = LoggerFactory.getLogger(JdbcSubmissionLedger.class);
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
     * Where the table lives; connections are taken for each operation and closed after it. They must have
     * auto-commit on: give the ledger a DataSource of its own, not one that hands out the connection of the
     * caller's transaction.
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
                violation = insert(connection, sql, entry, now);
                if (violation == null) {
                    return Optional.empty();
                }
                LedgerEntry holder = select(connection, sql, entry.key(), Long.MIN_VALUE);
                if (holder != null && holder.isLiveAt(now)) {
                    return Optional.of(holder);
                }
                if (holder != null && update(connection, sql, sql.takeOverExpired, false, entry, holder.token(), now)) {
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
        return swap(expected, replacement, "replace the entry", false);
    }

    @Override
    public boolean renew(LedgerEntry owned) {
        LedgerEntry.requireEntry("owned", owned);
        Sql sql = sql();
        Instant now = now();
        return withConnection(sql, "renew the claim of key '" + owned.key() + "'", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql.renew)) {
                new Binder(statement, sql.databaseClock, now).now().string(owned.key()).string(owned.token()).millis(now);
                return statement.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean takeOver(LedgerEntry expected, LedgerEntry replacement) {
        return swap(expected, replacement, "take over the entry", true);
    }

    /** Replaces the owner's live row; with {@code lapsed}, only a claim whose lease lapsed. */
    private boolean swap(LedgerEntry expected, LedgerEntry replacement, String what, boolean lapsed) {
        LedgerEntry.requireSameKey(expected, replacement);
        Sql sql = sql();
        Instant now = now();
        return withConnection(sql, what + " of key '" + expected.key() + "'", connection -> update(connection, sql,
                lapsed ? sql.takeOverLapsed : sql.replaceLive, lapsed, replacement, expected.token(), now));
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

    /** Whether leases are set and compared by the database's clock (else this JVM's); known after the first use. */
    boolean usesDatabaseClock() {
        return sql().databaseClock;
    }

    /** The statements, once the table exists with its lease columns and index. */
    private Sql sql() {
        Sql current = sql;
        if (current == null) {
            synchronized (this) {
                if (sql == null) {
                    if (dataSource == null) {
                        throw new IllegalStateException("dataSource must be set before the ledger is used");
                    }
                    Schema schema = new Schema(tableName);
                    sql = withConnection(schema, "create it if missing", connection -> new Sql(tableName, schema.setUp(connection)));
                }
                current = sql;
            }
        }
        return current;
    }

    /** One {@code DELETE} of the expired rows (on the index of {@code expires_at}); how many are left is not counted. */
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
    private static SQLException insert(Connection connection, Sql sql, LedgerEntry entry, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.insert)) {
            new Binder(statement, sql.databaseClock, now).entry(entry).string(entry.key());
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

    /**
     * Runs one of the conditional updates of the key's row (replacing it whole); true if it changed the row.
     *
     * @param comparesLease whether the statement ends with the lease's condition (which may read the clock)
     */
    private static boolean update(Connection connection, Sql sql, String update, boolean comparesLease, LedgerEntry replacement,
                                  String token, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(update)) {
            Binder binder = new Binder(statement, sql.databaseClock, now).entry(replacement).string(replacement.key()).string(token)
                    .millis(now);
            if (comparesLease) {
                binder.now();
            }
            return statement.executeUpdate() == 1;
        }
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
                long leaseMillis = row.getLong(7);
                Duration lease = row.wasNull() ? null : Duration.ofMillis(leaseMillis);
                try {
                    return new LedgerEntry(key, row.getString(1), LedgerState.valueOf(row.getString(2)), row.getString(3),
                            row.getString(4), Instant.ofEpochMilli(row.getLong(5)), Instant.ofEpochMilli(row.getLong(6)), lease);
                } catch (IllegalArgumentException e) {
                    throw new LedgerStoreException("Table " + sql.table + " holds an invalid row for key '" + key + "': "
                                                   + e.getMessage(), e);
                }
            }
        }
    }

    /**
     * Runs the action on a connection of the DataSource, which must auto-commit: the ledger never commits, rolls
     * back or switches auto-commit on a connection, which may carry a transaction that is not its own.
     */
    private <T> T withConnection(Named table, String what, SqlAction<T> action) {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.getAutoCommit()) {
                throw new LedgerStoreException("Ledger table " + table.table() + ": cannot " + what + ": the DataSource gave a"
                                               + " connection with auto-commit off, as one bound to the caller's transaction is"
                                               + " (Spring's TransactionAwareDataSourceProxy, a JTA DataSource) or one of a pool"
                                               + " set to autoCommit=false. The ledger's entries must be committed on their own"
                                               + " before a submit, and it never commits, rolls back or changes a transaction it"
                                               + " did not start: give it a DataSource of its own whose connections auto-commit"
                                               + " (a plain pool, e.g. HikariCP with its default autoCommit=true, or the driver's"
                                               + " DataSource)");
            }
            return action.run(connection);
        } catch (SQLException e) {
            throw new LedgerStoreException("Ledger table " + table.table() + ": cannot " + what + " (" + e.getMessage() + ")", e);
        }
    }

    @FunctionalInterface
    private interface SqlAction<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Something about one table, for messages. */
    private interface Named {
        String table();
    }

    /**
     * Binds a statement's parameters in order. Where the SQL reads the clock, {@link Sql} put the database's
     * clock, or a parameter for this JVM's: {@link #now()} and {@link #entry} bind that parameter only then.
     */
    private static final class Binder {

        private final PreparedStatement statement;
        private final boolean databaseClock;
        private final Instant now;
        private int next = 1;

        Binder(PreparedStatement statement, boolean databaseClock, Instant now) {
            this.statement = statement;
            this.databaseClock = databaseClock;
            this.now = now;
        }

        Binder string(String value) throws SQLException {
            if (value == null) {
                statement.setNull(next++, Types.VARCHAR);
            } else {
                statement.setString(next++, value);
            }
            return this;
        }

        Binder millis(Instant value) throws SQLException {
            statement.setLong(next++, value.toEpochMilli());
            return this;
        }

        Binder number(Long value) throws SQLException {
            if (value == null) {
                statement.setNull(next++, Types.BIGINT);
            } else {
                statement.setLong(next++, value);
            }
            return this;
        }

        /** The clock's {@code ?}, if the SQL has one (this JVM's clock). */
        Binder now() throws SQLException {
            return databaseClock ? this : millis(now);
        }

        /** The columns of {@link Sql#VALUES} and {@code lease_until}, in that order. */
        Binder entry(LedgerEntry entry) throws SQLException {
            Long lease = entry.lease() == null ? null : entry.lease().toMillis();
            string(entry.token()).string(entry.state().name()).string(entry.requestId()).string(entry.endpointId())
                    .millis(entry.createdAt()).millis(entry.expiresAt()).number(lease);
            // lease_until: the database's clock plus ?, or the instant computed here
            return number(lease == null || databaseClock ? lease : Long.valueOf(now.toEpochMilli() + lease));
        }
    }

    /** Creating the table, its lease columns and its index where they are missing; and finding the clock. */
    private record Schema(String table) implements Named {

        /** Sets the table up; returns whether the database's clock can be read. */
        boolean setUp(Connection connection) throws SQLException {
            String columns = "ledger_key, " + Sql.VALUES + ", lease_until";
            String probe = "SELECT " + columns + " FROM " + table + " WHERE 1 = 0";
            executeOrProbe(connection, createTable(), probe);
            if (!runs(connection, probe)) {
                // a table of an earlier version: it gets the lease columns (another instance may add them meanwhile)
                String addLeaseMillis = "ALTER TABLE " + table + " ADD COLUMN lease_millis BIGINT";
                String addLeaseUntil = "ALTER TABLE " + table + " ADD COLUMN lease_until BIGINT";
                runs(connection, addLeaseMillis);
                runs(connection, addLeaseUntil);
                if (!runs(connection, probe)) {
                    throw new LedgerStoreException("Ledger table " + table + " has not the columns " + columns + ", and the lease"
                                                   + " columns this version adds could not be added. Add them by hand: "
                                                   + addLeaseMillis + "; " + addLeaseUntil);
                }
            }
            String index = indexName();
            if (!runs(connection, "CREATE INDEX IF NOT EXISTS " + index + " ON " + table + " (expires_at)")) {
                LOG.warn("Ledger table {}: could not create the index {} on expires_at; without it the purge of expired rows"
                         + " reads the whole table. Create it by hand: CREATE INDEX {} ON {} (expires_at)", table, index, index, table);
            }
            boolean databaseClock = runs(connection, "SELECT " + DATABASE_NOW);
            if (!databaseClock) {
                LOG.warn("Ledger table {}: this database does not answer {}, so leases of unanswered submits are set and"
                         + " compared by each instance's own clock: instances sharing the table need synchronised clocks (NTP),"
                         + " close against ledgerLease", table, DATABASE_NOW);
            }
            return databaseClock;
        }

        private String createTable() {
            return "CREATE TABLE IF NOT EXISTS " + table + " ("
                   + "ledger_key VARCHAR(512) NOT NULL, "
                   + "token VARCHAR(64) NOT NULL, "
                   + "state VARCHAR(16) NOT NULL, "
                   + "request_id VARCHAR(255), "
                   + "endpoint_id VARCHAR(255) NOT NULL, "
                   + "created_at BIGINT NOT NULL, "
                   + "expires_at BIGINT NOT NULL, "
                   + "lease_millis BIGINT, "
                   + "lease_until BIGINT, "
                   + "PRIMARY KEY (ledger_key))";
        }

        /** {@code <table>_expires_at}, without the schema (an index lives in its table's), within 63 characters. */
        private String indexName() {
            String unqualified = table.substring(table.indexOf('.') + 1);
            return unqualified.substring(0, Math.min(unqualified.length(), 63 - "_expires_at".length())) + "_expires_at";
        }

        /**
         * Runs the statement; should it fail, the probe must run (another instance created the table at the same
         * moment, PostgreSQL's IF NOT EXISTS is not atomic; or it was made by hand where this DDL cannot run).
         */
        private static void executeOrProbe(Connection connection, String statement, String probe) throws SQLException {
            try (Statement run = connection.createStatement()) {
                run.execute(statement);
            } catch (SQLException failed) {
                try (Statement run = connection.createStatement()) {
                    run.executeQuery(probe).close();
                } catch (SQLException probeFailed) {
                    failed.addSuppressed(probeFailed);
                    throw failed;
                }
            }
        }

        /** Whether the statement ran; its failure is expected here and left to the caller to judge. */
        private static boolean runs(Connection connection, String sql) {
            try (Statement run = connection.createStatement()) {
                run.execute(sql);
                return true;
            } catch (SQLException e) {
                LOG.debug("Ledger table: '{}' failed: {}", sql, e.getMessage());
                return false;
            }
        }
    }

    /** The statements of one table. */
    private static final class Sql implements Named {

        // the columns after ledger_key, in Binder.entry's order; ledger_key is bound after them
        static final String VALUES = "token, state, request_id, endpoint_id, created_at, expires_at, lease_millis";

        final String table;
        final boolean databaseClock;
        final String insert;
        final String select;
        final String replaceLive;
        final String takeOverExpired;
        final String takeOverLapsed;
        final String renew;
        final String delete;
        final String purge;

        Sql(String table, boolean databaseClock) {
            this.table = table;
            this.databaseClock = databaseClock;
            String now = databaseClock ? DATABASE_NOW : "?";
            String leaseUntil = databaseClock ? DATABASE_NOW + " + ?" : "?";
            String set = "token = ?, state = ?, request_id = ?, endpoint_id = ?, created_at = ?, expires_at = ?, lease_millis = ?,"
                         + " lease_until = " + leaseUntil;
            insert = "INSERT INTO " + table + " (" + VALUES + ", lease_until, ledger_key) VALUES (?, ?, ?, ?, ?, ?, ?, " + leaseUntil
                     + ", ?)";
            select = "SELECT " + VALUES + " FROM " + table + " WHERE ledger_key = ? AND expires_at > ?";
            replaceLive = "UPDATE " + table + " SET " + set + " WHERE ledger_key = ? AND token = ? AND expires_at > ?";
            takeOverExpired = "UPDATE " + table + " SET " + set + " WHERE ledger_key = ? AND token = ? AND expires_at <= ?";
            // the lease is compared in the statement, by the database's clock: no instance's clock decides
            takeOverLapsed = "UPDATE " + table + " SET " + set + " WHERE ledger_key = ? AND token = ? AND expires_at > ?"
                             + " AND state = 'SUBMITTING' AND (lease_until IS NULL OR lease_until <= " + now + ")";
            renew = "UPDATE " + table + " SET lease_until = " + now + " + lease_millis WHERE ledger_key = ? AND token = ?"
                    + " AND expires_at > ? AND state = 'SUBMITTING' AND lease_millis IS NOT NULL";
            delete = "DELETE FROM " + table + " WHERE ledger_key = ? AND token = ?";
            purge = "DELETE FROM " + table + " WHERE expires_at <= ?";
        }

        @Override
        public String table() {
            return table;
        }
    }
}
