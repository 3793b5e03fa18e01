package io.github.fluxkontext.camel.ledger;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    @Test
    void theTableIsCreatedOnFirstUseWithTheDocumentedColumns() throws SQLException {
        String table = TestPostgres.newTableName();
        tables.add(table);
        assertFalse(tableExists(table));

        JdbcSubmissionLedger fresh = new JdbcSubmissionLedger(POSTGRES.newDataSource(), table, clock);
        LedgerEntry entry = submitting("order-1").withRequestId("req-1");
        assertEquals(Optional.empty(), fresh.putIfAbsent(entry));

        assertTrue(tableExists(table));
        try (Connection connection = POSTGRES.newDataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT ledger_key, token, state, request_id, endpoint_id, created_at,"
                                                    + " expires_at FROM " + table)) {
            assertTrue(row.next());
            assertEquals("order-1", row.getString("ledger_key"));
            assertEquals(entry.token(), row.getString("token"));
            assertEquals("SUBMITTED", row.getString("state"));
            assertEquals("req-1", row.getString("request_id"));
            assertEquals(ENDPOINT, row.getString("endpoint_id"));
            assertEquals(entry.createdAt().toEpochMilli(), row.getLong("created_at"));
            assertEquals(entry.expiresAt().toEpochMilli(), row.getLong("expires_at"));
            assertFalse(row.next());
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

    @Test
    void expiredRowsAreDeletedAsEntriesAreStored() throws SQLException {
        ledger.putIfAbsent(submitting("old"));
        clock.advance(TTL);

        // the sweep runs before the store that makes it due: the 1,024th, counting the first
        for (int i = 1; i < PurgeSchedule.MIN_WRITES; i++) {
            ledger.putIfAbsent(submitting("new-" + i));
        }

        try (Connection connection = POSTGRES.newDataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*), count(*) FILTER (WHERE ledger_key = 'old') FROM "
                                                     + tables.get(0))) {
            assertTrue(rows.next());
            assertEquals(PurgeSchedule.MIN_WRITES - 1, rows.getLong(1));
            assertEquals(0, rows.getLong(2));
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
