package io.github.fluxkontext.camel.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link SubmissionLedger} does, run against each implementation by a subclass. Racing tests
 * start their racers together at a barrier for each key, many times over, and count winners.
 */
abstract class SubmissionLedgerContract {

    static final Duration TTL = Duration.ofHours(24);
    static final String ENDPOINT = "fal-ai/flux-pro/kontext";
    static final int RACERS = 8;
    static final int RACED_KEYS = 30;

    protected final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));
    protected SubmissionLedger ledger;

    /**
     * A ledger on this test's store, reading {@link #clock}. Where the store can be shared between JVMs,
     * each call opens another instance on it, as another JVM would; otherwise it returns the same one.
     */
    protected abstract SubmissionLedger openLedger();

    @BeforeEach
    void openFirstLedger() {
        ledger = openLedger();
    }

    LedgerEntry submitting(String key) {
        return LedgerEntry.submitting(key, ENDPOINT, TTL, clock);
    }

    /** A new entry of the key, stored. */
    LedgerEntry stored(String key) {
        LedgerEntry entry = submitting(key);
        assertEquals(Optional.empty(), ledger.putIfAbsent(entry), () -> "stored " + key);
        return entry;
    }

    @Test
    void anAbsentKeyIsStored() {
        LedgerEntry entry = submitting("order-1");

        assertEquals(Optional.empty(), ledger.putIfAbsent(entry));
        assertEquals(Optional.of(entry), ledger.get("order-1"));
        assertEquals(Optional.empty(), ledger.get("order-2"));
    }

    @Test
    void aPresentKeyReturnsItsHolder() {
        LedgerEntry holder = submitting("order-1").withRequestId("req-1");
        ledger.putIfAbsent(holder);

        assertEquals(Optional.of(holder), ledger.putIfAbsent(submitting("order-1")));
        assertEquals(Optional.of(holder), ledger.get("order-1"));
    }

    @Test
    void anEntryIsLiveUntilItsExpiryAndThenReplaced() {
        LedgerEntry first = stored("order-1");

        clock.advance(TTL.minusMillis(1));
        assertEquals(Optional.of(first), ledger.get("order-1"));
        assertEquals(Optional.of(first), ledger.putIfAbsent(submitting("order-1")));

        clock.advance(Duration.ofMillis(1)); // at expiresAt: expired
        assertEquals(Optional.empty(), ledger.get("order-1"));
        LedgerEntry second = submitting("order-1");
        assertEquals(Optional.empty(), ledger.putIfAbsent(second));
        assertEquals(Optional.of(second), ledger.get("order-1"));
    }

    @Test
    void replaceWithTheOwnersTokenSucceeds() {
        LedgerEntry entry = stored("order-1");
        LedgerEntry submitted = entry.withRequestId("req-1");

        assertTrue(ledger.replace(entry, submitted));
        assertEquals(Optional.of(submitted), ledger.get("order-1"));
        assertEquals(LedgerState.SUBMITTED, ledger.get("order-1").orElseThrow().state());
    }

    @Test
    void replaceWithAnotherTokenFails() {
        LedgerEntry entry = stored("order-1");
        LedgerEntry stranger = submitting("order-1");

        assertFalse(ledger.replace(stranger, stranger.withRequestId("req-2")));
        assertEquals(Optional.of(entry), ledger.get("order-1"));
    }

    @Test
    void replaceMayHandTheKeyToANewOwner() {
        LedgerEntry entry = stored("order-1");
        LedgerEntry newOwner = submitting("order-1");

        assertTrue(ledger.replace(entry, newOwner));
        assertFalse(ledger.replace(entry, entry.withRequestId("req-1")), "the former owner's token no longer matches");
        assertEquals(Optional.of(newOwner), ledger.get("order-1"));
    }

    @Test
    void replaceOfAnExpiredOrRemovedEntryFails() {
        LedgerEntry expiring = stored("order-1");
        LedgerEntry removed = stored("order-2");
        ledger.remove("order-2", removed.token());

        clock.advance(TTL);
        assertFalse(ledger.replace(expiring, expiring.withRequestId("req-1")));
        assertFalse(ledger.replace(removed, removed.withRequestId("req-2")));
        assertEquals(Optional.empty(), ledger.get("order-1"));
        assertEquals(Optional.empty(), ledger.get("order-2"));
    }

    @Test
    void removeWithTheOwnersTokenRemoves() {
        LedgerEntry entry = stored("order-1");

        ledger.remove("order-1", entry.token());
        assertEquals(Optional.empty(), ledger.get("order-1"));
        LedgerEntry next = submitting("order-1");
        assertEquals(Optional.empty(), ledger.putIfAbsent(next), "the key is free again");
        ledger.remove("order-1", entry.token());
        assertEquals(Optional.of(next), ledger.get("order-1"), "the former owner's token removes nothing");
    }

    @Test
    void removeWithAnotherTokenKeepsTheEntry() {
        LedgerEntry entry = stored("order-1");

        ledger.remove("order-1", submitting("order-1").token());
        ledger.remove("order-unknown", entry.token());
        assertEquals(Optional.of(entry), ledger.get("order-1"));
    }

    @Test
    void keysAreStoredExactlyWhateverTheirCharacters() {
        List<String> keys = List.of("a", "A", "a ", " a", "ключ-1", "\uD83D\uDE00 emoji", "line\nbreak", "tab\there",
                "x=y%20&z", "'; DROP TABLE flux_kontext_ledger; --", "back\\slash", "../../etc/passwd",
                "k".repeat(LedgerEntry.MAX_KEY_LENGTH), "\uD83D\uDE00".repeat(LedgerEntry.MAX_KEY_LENGTH / 2));
        List<LedgerEntry> entries = keys.stream().map(key -> submitting(key).withRequestId("req of " + key.length())).toList();

        for (LedgerEntry entry : entries) {
            assertEquals(Optional.empty(), ledger.putIfAbsent(entry), () -> "stored: " + entry.key());
        }
        SubmissionLedger other = openLedger();
        for (LedgerEntry entry : entries) {
            assertEquals(Optional.of(entry), other.get(entry.key()));
        }
    }

    @Test
    void invalidArgumentsAreRejectedNamingTheField() {
        assertEquals("key must not be null", assertThrows(IllegalArgumentException.class, () -> ledger.get(null)).getMessage());
        assertEquals("token must not be empty",
                assertThrows(IllegalArgumentException.class, () -> ledger.remove("order-1", "")).getMessage());
        assertEquals("entry must not be null",
                assertThrows(IllegalArgumentException.class, () -> ledger.putIfAbsent(null)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ledger.get("k".repeat(513))).getMessage()
                .startsWith("key must be at most 512 characters long, but is 513 long"));
        LedgerEntry entry = submitting("order-1");
        assertEquals("replacement must have the key of expected ('order-1'), but has 'order-2'",
                assertThrows(IllegalArgumentException.class, () -> ledger.replace(entry, submitting("order-2"))).getMessage());
    }

    @Test
    void racersStoringOneKeyHaveExactlyOneWinner() throws Exception {
        assertOneWinnerPerKey(race(keys("fresh")));
    }

    @Test
    void racersTakingOverAnExpiredEntryHaveExactlyOneWinner() throws Exception {
        List<String> keys = keys("expired");
        for (String key : keys) {
            ledger.putIfAbsent(submitting(key));
        }
        clock.advance(TTL);

        assertOneWinnerPerKey(race(keys));
    }

    private static List<String> keys(String prefix) {
        return IntStream.range(0, RACED_KEYS).mapToObj(i -> prefix + "-" + i).toList();
    }

    /**
     * {@value #RACERS} racers, each on a ledger of its own ({@link #openLedger()}), store an entry of each key
     * at once; returns per key what each racer got: empty for a winner, the holder for a loser.
     */
    private Map<String, List<Outcome>> race(List<String> keys) throws Exception {
        List<SubmissionLedger> ledgers = IntStream.range(0, RACERS).mapToObj(i -> openLedger()).toList();
        CyclicBarrier start = new CyclicBarrier(RACERS);
        Map<String, List<Outcome>> outcomes = new ConcurrentHashMap<>();
        ExecutorService racers = Executors.newFixedThreadPool(RACERS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (SubmissionLedger racer : ledgers) {
                running.add(racers.submit(() -> {
                    for (String key : keys) {
                        LedgerEntry mine = submitting(key);
                        start.await(30, TimeUnit.SECONDS);
                        Optional<LedgerEntry> holder = racer.putIfAbsent(mine);
                        outcomes.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>()))
                                .add(new Outcome(mine, holder));
                    }
                    return null;
                }));
            }
            for (Future<?> racer : running) {
                racer.get(120, TimeUnit.SECONDS);
            }
        } finally {
            racers.shutdownNow();
        }
        return outcomes;
    }

    private void assertOneWinnerPerKey(Map<String, List<Outcome>> outcomes) {
        assertEquals(RACED_KEYS, outcomes.size());
        outcomes.forEach((key, racers) -> {
            assertEquals(RACERS, racers.size());
            List<LedgerEntry> winners = racers.stream().filter(o -> o.holder().isEmpty()).map(Outcome::mine).toList();
            assertEquals(1, winners.size(), () -> key + ": winners " + winners);
            LedgerEntry winner = winners.get(0);
            for (Outcome racer : racers) {
                racer.holder().ifPresent(holder -> assertEquals(winner, holder, key + ": a loser saw another holder"));
            }
            assertEquals(Optional.of(winner), ledger.get(key));
        });
    }

    private record Outcome(LedgerEntry mine, Optional<LedgerEntry> holder) {
    }
}
