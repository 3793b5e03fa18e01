package io.github.fluxkontext.camel.ledger;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Entries and ledger settings are checked up front, with errors that name the field. No store needed. */
class LedgerValidationTest {

    private static final String ENDPOINT = "fal-ai/flux-pro/kontext";
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00.123456789Z");

    private final MutableClock clock = new MutableClock(NOW);

    @Test
    void submittingMakesAnEntryWithARandomTokenAndMillisecondTimes() {
        LedgerEntry entry = LedgerEntry.submitting("order-1", ENDPOINT, Duration.ofHours(24), clock);

        assertEquals(LedgerState.SUBMITTING, entry.state());
        assertNull(entry.requestId());
        assertEquals(36, entry.token().length());
        assertEquals(Instant.parse("2026-12-06T10:00:00.123Z"), entry.createdAt());
        assertEquals(Instant.parse("2026-12-07T10:00:00.123Z"), entry.expiresAt());
        assertTrue(!entry.token().equals(LedgerEntry.submitting("order-1", ENDPOINT, Duration.ofHours(24), clock).token()));

        LedgerEntry submitted = entry.withRequestId("req-1");
        assertEquals(new LedgerEntry("order-1", entry.token(), LedgerState.SUBMITTED, "req-1", ENDPOINT, entry.createdAt(),
                entry.expiresAt()), submitted);
        assertTrue(submitted.isLiveAt(entry.expiresAt().minusMillis(1)));
        assertTrue(!submitted.isLiveAt(entry.expiresAt()));
    }

    @Test
    void invalidEntriesAreRejectedNamingTheField() {
        assertRejected("key must not be null", () -> entry(null, "t", LedgerState.SUBMITTING, null));
        assertRejected("key must not be empty", () -> entry("", "t", LedgerState.SUBMITTING, null));
        assertRejected("key must be at most 512 characters long, but is 513 long (it starts with '" + "k".repeat(40) + "')",
                () -> entry("k".repeat(513), "t", LedgerState.SUBMITTING, null));
        assertRejected("key must not contain the character U+0000, found at index 3",
                () -> entry("abc\0", "t", LedgerState.SUBMITTING, null));
        assertRejected("key is not well-formed UTF-16: unpaired surrogate U+D83D at index 1",
                () -> entry("a\uD83Db", "t", LedgerState.SUBMITTING, null));
        assertRejected("key is not well-formed UTF-16: unpaired surrogate U+DE00 at index 0",
                () -> entry("\uDE00", "t", LedgerState.SUBMITTING, null));
        assertRejected("token must be at most 64 characters long, but is 65 long (it starts with '" + "t".repeat(40) + "')",
                () -> entry("k", "t".repeat(65), LedgerState.SUBMITTING, null));
        assertRejected("state must not be null", () -> entry("k", "t", null, null));
        assertRejected("requestId must not be null", () -> entry("k", "t", LedgerState.SUBMITTED, null));
        assertRejected("requestId must be null while the state is SUBMITTING (fal has not answered), but is 'req-1'",
                () -> entry("k", "t", LedgerState.SUBMITTING, "req-1"));
        assertRejected("endpointId must not be null",
                () -> new LedgerEntry("k", "t", LedgerState.SUBMITTING, null, null, NOW, NOW.plusSeconds(1)));
        assertRejected("expiresAt (2026-12-06T10:00:00.123Z) must be after createdAt (2026-12-06T10:00:00.123Z)",
                () -> new LedgerEntry("k", "t", LedgerState.SUBMITTING, null, ENDPOINT, NOW, NOW.plusNanos(1)));
        assertRejected("createdAt must not be null",
                () -> new LedgerEntry("k", "t", LedgerState.SUBMITTING, null, ENDPOINT, null, NOW));
        assertRejected("ttl must be positive, but is PT0S",
                () -> LedgerEntry.submitting("k", ENDPOINT, Duration.ZERO, clock));
        assertRejected("clock must not be null", () -> LedgerEntry.submitting("k", ENDPOINT, Duration.ofHours(1), null));
        assertDoesNotThrow(() -> entry("\uD83D\uDE00 \u00e9\n\t=%", "t", LedgerState.SUBMITTING, null));
    }

    @Test
    void jdbcTableNamesAreUnquotedIdentifiers() {
        JdbcSubmissionLedger ledger = new JdbcSubmissionLedger();
        for (String name : new String[] {"flux-ledger", "1ledger", "ledger; DROP TABLE x", "a.b.c", "\"quoted\"", "",
                "l".repeat(64)}) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ledger.setTableName(name));
            assertTrue(error.getMessage().startsWith("tableName must be an unquoted SQL identifier"), error.getMessage());
            assertTrue(error.getMessage().endsWith(", but is '" + name + "'"), error.getMessage());
        }
        assertRejected("tableName must be an unquoted SQL identifier, optionally with a schema (letters, digits and _,"
                       + " not starting with a digit, at most 63 each), but is null", () -> ledger.setTableName(null));
        ledger.setTableName("ledgers.Flux_Kontext_2");
        assertEquals("ledgers.Flux_Kontext_2", ledger.getTableName());
        assertEquals(JdbcSubmissionLedger.DEFAULT_TABLE_NAME, new JdbcSubmissionLedger().getTableName());
    }

    @Test
    void aJdbcLedgerNeedsADataSourceAndReportsItsFailures() {
        IllegalStateException unset = assertThrows(IllegalStateException.class, () -> new JdbcSubmissionLedger().get("k"));
        assertEquals("dataSource must be set before the ledger is used", unset.getMessage());
        assertRejected("dataSource must not be null", () -> new JdbcSubmissionLedger(null));

        DataSource unreachable = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    throw new SQLException("Connection to localhost:1 refused", "08001");
                });
        LedgerStoreException failure = assertThrows(LedgerStoreException.class,
                () -> new JdbcSubmissionLedger(unreachable, "my_ledger").get("k"));
        assertEquals("Ledger table my_ledger: cannot create it if missing (Connection to localhost:1 refused)",
                failure.getMessage());
        assertEquals("08001", ((SQLException) failure.getCause()).getSQLState());
    }

    @Test
    void aFileLedgerNeedsADirectoryFixedAtFirstUse(@TempDir Path directory) {
        IllegalStateException unset = assertThrows(IllegalStateException.class, () -> new FileSubmissionLedger().get("k"));
        assertEquals("directory must be set before the ledger is used", unset.getMessage());
        assertRejected("directory must not be blank", () -> new FileSubmissionLedger().setDirectory(" "));
        assertRejected("directory must not be null", () -> new FileSubmissionLedger(null));

        FileSubmissionLedger ledger = new FileSubmissionLedger();
        ledger.setDirectory(directory.resolve("ledger").toString());
        ledger.get("k");
        IllegalStateException fixed = assertThrows(IllegalStateException.class,
                () -> ledger.setDirectory(directory.resolve("elsewhere").toString()));
        assertEquals("directory cannot change once the ledger was used (it is " + directory.resolve("ledger") + ")",
                fixed.getMessage());
    }

    @Test
    void clocksMustNotBeNull() {
        assertRejected("clock must not be null", () -> new MemorySubmissionLedger().setClock(null));
        assertRejected("clock must not be null", () -> new FileSubmissionLedger().setClock(null));
        assertRejected("clock must not be null", () -> new JdbcSubmissionLedger().setClock(null));
    }

    private static LedgerEntry entry(String key, String token, LedgerState state, String requestId) {
        return new LedgerEntry(key, token, state, requestId, ENDPOINT, NOW, NOW.plusSeconds(60));
    }

    private static void assertRejected(String message, Executable executable) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, executable).getMessage());
    }
}
