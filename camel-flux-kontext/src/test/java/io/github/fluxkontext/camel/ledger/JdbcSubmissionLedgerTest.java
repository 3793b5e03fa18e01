package io.github.fluxkontext.camel.ledger;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ledger contract on a real PostgreSQL ({@link TestPostgres}), each ledger instance with a DataSource
 * (and so connections) of its own, as separate application instances would have.
 */
class JdbcSubmissionLedgerTest extends SubmissionLedgerContract {

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    private final List<String> tables = new ArrayList<>(List.of(TestPostgres.newTableName()));

    @Override
    protected SubmissionLedger openLedger() {
        return new JdbcSubmissionLedger(POSTGRES.newDataSource(), tables.get(0), clock);
    }

    @AfterEach
    void dropTables() throws SQLException {
        POSTGRES.dropTables(tables);
    }

    @Override
    protected boolean storeHolds(String key) {
        try (Connection connection = POSTGRES.newDataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM " + tables.get(0) + " WHERE ledger_key = ?")) {
            statement.setString(1, key);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theTableIsCreatedOnFirstUseWithTheDocumentedColumnsAndTheIndexOfItsPurge() throws SQLException {
        String table = TestPostgres.newTableName();
        tables.add(table);
        assertFalse(tableExists(table));

        JdbcSubmissionLedger fresh = new JdbcSubmissionLedger(POSTGRES.newDataSource(), table, clock);
        LedgerEntry entry = submitting("order-1").withRequestId("req-1");
        LedgerEntry claim = claim("order-2");
        assertEquals(Optional.empty(), fresh.putIfAbsent(entry));
        assertEquals(Optional.empty(), fresh.putIfAbsent(claim));

        assertTrue(tableExists(table));
        try (Connection connection = POSTGRES.newDataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT ledger_key, token, state, request_id, endpoint_id, created_at,"
                                                    + " expires_at, lease_millis, lease_until,"
                                                    + " CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT) AS db_now"
                                                    + " FROM " + table + " ORDER BY ledger_key")) {
            assertTrue(row.next());
            assertEquals("order-1", row.getString("ledger_key"));
            assertEquals(entry.token(), row.getString("token"));
            assertEquals("SUBMITTED", row.getString("state"));
            assertEquals("req-1", row.getString("request_id"));
            assertEquals(ENDPOINT, row.getString("endpoint_id"));
            assertEquals(entry.createdAt().toEpochMilli(), row.getLong("created_at"));
            assertEquals(entry.expiresAt().toEpochMilli(), row.getLong("expires_at"));
            row.getLong("lease_until");
            assertTrue(row.wasNull(), "an answered entry has no lease");
            assertTrue(row.next());
            assertEquals("SUBMITTING", row.getString("state"));
            assertEquals(LEASE.toMillis(), row.getLong("lease_millis"));
            // set by the database's clock (the test's instance clock is in another year)
            long leaseLeft = row.getLong("lease_until") - row.getLong("db_now");
            assertTrue(leaseLeft > 0 && leaseLeft <= LEASE.toMillis(), "lease left by the database's clock: " + leaseLeft + " ms");
            assertFalse(row.next());
        }
        assertTrue(fresh.usesDatabaseClock());
        assertEquals(List.of("CREATE INDEX " + table + "_expires_at ON public." + table + " USING btree (expires_at)"), indexesOn(table));
    }

    @Test
    void leasesAreJudgedByTheDatabasesClockNotTheInstances() {
        assertLeasesAreJudgedByTheStoresClock(new JdbcSubmissionLedger(POSTGRES.newDataSource(), tables.get(0),
                new MutableClock(clock.instant().plus(Duration.ofHours(1)))));
    }

    @Test
    void aTableOfTheEarlierVersionGetsTheLeaseColumnsAndItsIndexAndItsClaimsCountAsLapsed() throws SQLException {
        String table = TestPostgres.newTableName();
        tables.add(table);
        LedgerEntry earlier = submitting("order-1");
        try (Connection connection = POSTGRES.newDataSource().getConnection();
             Statement statement = connection.createStatement()) {
            // the DDL the ledger documented before leases
            statement.execute("CREATE TABLE " + table + " (ledger_key VARCHAR(512) NOT NULL, token VARCHAR(64) NOT NULL,"
                              + " state VARCHAR(16) NOT NULL, request_id VARCHAR(255), endpoint_id VARCHAR(255) NOT NULL,"
                              + " created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, PRIMARY KEY (ledger_key))");
            statement.execute("INSERT INTO " + table + " VALUES ('order-1', '" + earlier.token() + "', 'SUBMITTING', NULL, '"
                              + ENDPOINT + "', " + earlier.createdAt().toEpochMilli() + ", " + earlier.expiresAt().toEpochMilli() + ")");
        }

        JdbcSubmissionLedger upgraded = new JdbcSubmissionLedger(POSTGRES.newDataSource(), table, clock);
        assertEquals(Optional.of(earlier), upgraded.get("order-1"));
        LedgerEntry taker = claim("order-1");
        assertTrue(upgraded.takeOver(earlier, taker), "nobody renews a claim of the earlier version");
        assertEquals(Optional.of(taker), upgraded.get("order-1"));
        assertEquals(1, indexesOn(table).size());
    }

    @Test
    void aConnectionInTheCallersTransactionIsRefusedAndLeftAsItWasGiven() throws SQLException {
        String callerTable = TestPostgres.newTableName();
        tables.add(callerTable);
        try (Connection setUp = POSTGRES.newDataSource().getConnection();
             Statement statement = setUp.createStatement()) {
            statement.execute("CREATE TABLE " + callerTable + " (id INT)");
        }
        try (Connection transactional = POSTGRES.newDataSource().getConnection()) {
            // what Spring's TransactionAwareDataSourceProxy hands out inside a transaction: the one connection bound
            // to it, auto-commit off, work of the caller's done and not committed; its close() releases nothing
            transactional.setAutoCommit(false);
            try (Statement statement = transactional.createStatement()) {
                statement.execute("INSERT INTO " + callerTable + " VALUES (1)");
            }
            List<String> calls = new CopyOnWriteArrayList<>();
            JdbcSubmissionLedger ledger = new JdbcSubmissionLedger(transactionBound(transactional, calls), tables.get(0), clock);

            LedgerStoreException refused = assertThrows(LedgerStoreException.class, () -> ledger.putIfAbsent(claim("order-1")));

            assertTrue(refused.getMessage().contains("auto-commit off") && refused.getMessage().contains("DataSource of its own"),
                    refused.getMessage());
            assertEquals(List.of(), calls.stream().filter(call -> !call.equals("getAutoCommit") && !call.equals("close")).toList(),
                    "nothing but asked and closed");
            assertFalse(transactional.getAutoCommit());
            assertEquals(0, rowsSeenByAnotherConnection(callerTable), "the caller's transaction was not committed");
            try (Statement statement = transactional.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + callerTable)) {
                rows.next();
                assertEquals(1, rows.getLong(1), "nor rolled back: its work is still there, in it");
            }
            transactional.rollback();
        }
    }

    /** A DataSource that hands out the one connection of a transaction, recording the calls made on it. */
    private static DataSource transactionBound(Connection connection, List<String> calls) {
        Connection proxy = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] { Connection.class },
                (self, method, args) -> {
                    calls.add(method.getName());
                    if (method.getName().equals("close")) {
                        return null; // the transaction's owner closes it
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] { DataSource.class },
                (self, method, args) -> switch (method.getName()) {
                    case "getConnection" -> proxy;
                    case "toString" -> "the transaction's DataSource";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static long rowsSeenByAnotherConnection(String table) throws SQLException {
        try (Connection connection = POSTGRES.newDataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static List<String> indexesOn(String table) throws SQLException {
        try (Connection connection = POSTGRES.newDataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT indexdef FROM pg_indexes WHERE tablename = ?"
                                                                       + " AND indexname <> ? ORDER BY indexname")) {
            statement.setString(1, table);
            statement.setString(2, table + "_pkey");
            List<String> indexes = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    indexes.add(rows.getString(1));
                }
            }
            return indexes;
        }
    }

    @Test
    void instancesRacingToCreateTheTableAllSucceed() throws Exception {
        String table = TestPostgres.newTableName();
        tables.add(table);
        CyclicBarrier start = new CyclicBarrier(RACERS);
        ExecutorService instances = Executors.newFixedThreadPool(RACERS);
        try {
            List<Future<Optional<LedgerEntry>>> stores = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                LedgerEntry entry = submitting("order-" + i);
                JdbcSubmissionLedger instance = new JdbcSubmissionLedger(POSTGRES.newDataSource(), table, clock);
                stores.add(instances.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return instance.putIfAbsent(entry);
                }));
            }
            for (Future<Optional<LedgerEntry>> store : stores) {
                assertEquals(Optional.empty(), store.get(60, TimeUnit.SECONDS));
            }
        } finally {
            instances.shutdownNow();
        }
        JdbcSubmissionLedger reader = new JdbcSubmissionLedger(POSTGRES.newDataSource(), table, clock);
        for (int i = 0; i < RACERS; i++) {
            assertTrue(reader.get("order-" + i).isPresent(), "order-" + i);
        }
    }

    private static boolean tableExists(String table) throws SQLException {
        try (Connection connection = POSTGRES.newDataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
            row.next();
            return row.getBoolean(1);
        }
    }
}
