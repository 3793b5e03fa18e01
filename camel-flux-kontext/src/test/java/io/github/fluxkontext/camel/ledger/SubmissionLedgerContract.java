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

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link SubmissionLedger} does, run against each implementation by a subclass. Racing tests
 * start their racers together at a barrier for each key, many times over, and count winners.
 * <p>
 * Leases are measured by the store's own clock: {@link #clock} for the memory ledger, real time (the file
 * system's, the database's) for the others. So a lease test advances {@link #clock} by the lease and then
 * awaits the lapse: at once in memory, once the real lease has passed elsewhere.
 */
abstract class SubmissionLedgerContract {

    static final Duration TTL = Duration.ofHours(24);
    static final String ENDPOINT = "fal-ai/flux-pro/kontext";
    static final int RACERS = 8;
    static final int RACED_KEYS = 30;
    /** Long enough that a busy machine does not let it lapse between two steps of a test by itself. */
    static final Duration LEASE = Duration.ofMillis(2000);
    static final Duration PATIENCE = Duration.ofSeconds(20);

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

    LedgerEntry claim(String key) {
        return LedgerEntry.submitting(key, ENDPOINT, TTL, LEASE, clock);
    }

    /** A new entry of the key, stored. */
    LedgerEntry stored(String key) {
        return stored(submitting(key));
    }

    LedgerEntry stored(LedgerEntry entry) {
        assertEquals(Optional.empty(), ledger.putIfAbsent(entry), () -> "stored " + entry.key());
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
    void aClaimIsStoredAndReadWithItsLease() {
        LedgerEntry claim = claim("order-1");

        assertEquals(Optional.empty(), ledger.putIfAbsent(claim));
        assertEquals(LEASE, openLedger().get("order-1").orElseThrow().lease());
        assertEquals(Optional.of(claim), openLedger().get("order-1"));
    }

    @Test
    void aClaimIsTakenOverOnlyOnceItsLeaseHasLapsed() {
        LedgerEntry held = stored(claim("order-1"));
        LedgerEntry taker = claim("order-1");

        assertFalse(openLedger().takeOver(held, taker), "the lease holds");
        assertEquals(Optional.of(held), ledger.get("order-1"));

        clock.advance(LEASE);
        SubmissionLedger other = openLedger();
        await().atMost(PATIENCE).until(() -> other.takeOver(held, taker));
        assertEquals(Optional.of(taker), ledger.get("order-1"));
        assertFalse(ledger.renew(held), "the former owner's claim is gone");
        assertFalse(ledger.takeOver(held, claim("order-1")), "a lapsed claim is taken over once: it has a new token");
    }

    @Test
    void renewalsKeepAClaimAliveLongPastItsLease() {
        LedgerEntry held = stored(claim("order-1"));
        LedgerEntry taker = claim("order-1");
        SubmissionLedger other = openLedger();

        // renewed every 10th of the lease, for twice the lease: never taken over meanwhile
        Duration step = LEASE.dividedBy(10);
        await().atMost(PATIENCE).pollInterval(step).during(LEASE.multipliedBy(2)).until(() -> {
            clock.advance(step);
            return ledger.renew(held) && !other.takeOver(held, taker);
        });

        clock.advance(LEASE); // renewals stop: the lease lapses
        await().atMost(PATIENCE).until(() -> other.takeOver(held, taker));
    }

    @Test
    void onlyTheOwnerRenewsAndOnlyAClaim() {
        LedgerEntry held = stored(claim("order-1"));
        LedgerEntry answered = stored(claim("order-2"));
        assertTrue(ledger.replace(answered, answered.withRequestId("req-2")));
        LedgerEntry withoutLease = stored("order-3");

        assertTrue(ledger.renew(held));
        assertFalse(ledger.renew(claim("order-1")), "another token");
        assertFalse(ledger.renew(answered), "answered: the claim ended");
        assertFalse(ledger.renew(withoutLease), "nothing to renew");
        assertFalse(ledger.renew(claim("order-unknown")));
        clock.advance(TTL);
        assertFalse(ledger.renew(held), "expired");
    }

    @Test
    void anAnsweredEntryIsNeverTakenOverAndAClaimWithoutALeaseIsAtOnce() {
        LedgerEntry answered = stored(claim("order-1"));
        assertTrue(ledger.replace(answered, answered.withRequestId("req-1")));
        LedgerEntry withoutLease = stored("order-2"); // as an earlier version wrote claims: nobody renews them

        clock.advance(LEASE.multipliedBy(2));
        assertFalse(ledger.takeOver(answered, claim("order-1")));
        assertEquals(LedgerState.SUBMITTED, ledger.get("order-1").orElseThrow().state());
        LedgerEntry taker = claim("order-2");
        assertTrue(ledger.takeOver(withoutLease, taker));
        assertFalse(ledger.takeOver(claim("order-2"), claim("order-2")), "another token");
        assertEquals(Optional.of(taker), ledger.get("order-2"));
    }

    @Test
    void racersTakingOverALapsedClaimHaveExactlyOneWinner() throws Exception {
        List<LedgerEntry> held = keys("lapsed").stream().map(key -> stored(LedgerEntry.submitting(key, ENDPOINT, TTL,
                Duration.ofMillis(1), clock))).toList();
        clock.advance(Duration.ofMillis(1));
        // a millisecond lease lapses at once; on a store whose clock is coarser, once the first key can be taken over
        // (by its owner's own entry: it stays as it was) the others can too
        await().atMost(PATIENCE).until(() -> openLedger().takeOver(held.get(0), held.get(0)));

        List<SubmissionLedger> ledgers = IntStream.range(0, RACERS).mapToObj(i -> openLedger()).toList();
        Map<String, List<Boolean>> wins = new ConcurrentHashMap<>();
        CyclicBarrier start = new CyclicBarrier(RACERS);
        ExecutorService racers = Executors.newFixedThreadPool(RACERS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (SubmissionLedger racer : ledgers) {
                running.add(racers.submit(() -> {
                    for (LedgerEntry claim : held.subList(1, held.size())) {
                        LedgerEntry mine = LedgerEntry.submitting(claim.key(), ENDPOINT, TTL, Duration.ofMillis(1), clock);
                        start.await(30, TimeUnit.SECONDS);
                        wins.computeIfAbsent(claim.key(), k -> Collections.synchronizedList(new ArrayList<>()))
                                .add(racer.takeOver(claim, mine));
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
        assertEquals(RACED_KEYS - 1, wins.size());
        wins.forEach((key, outcomes) -> assertEquals(1, outcomes.stream().filter(won -> won).count(), key + ": " + outcomes));
    }

    @Test
    void aPurgeIsDueAfterManyStoresAndDeletesOnlyExpiredEntries() {
        LedgerEntry old = stored("old");
        clock.advance(TTL);
        LedgerEntry live = stored("live");
        assertFalse(ledger.purgeDue(), "two stores are not worth a purge");

        for (int i = 2; i < PurgeSchedule.MIN_WRITES; i++) {
            ledger.putIfAbsent(submitting("new-" + i));
        }
        assertTrue(ledger.purgeDue());
        ledger.purgeExpired();

        assertFalse(ledger.purgeDue());
        assertEquals(Optional.of(live), ledger.get("live"));
        assertEquals(Optional.empty(), ledger.get(old.key()));
        assertFalse(storeHolds(old.key()), "the expired entry is gone from the store");
    }

    /** Whether the store still holds something for the key, expired or not. */
    protected abstract boolean storeHolds(String key);

    /**
     * For stores with a clock of their own: {@code skewed}, a ledger on this store whose instance clock runs an hour
     * ahead of {@link #clock} (as another machine's might), does not take over a claim whose lease holds by the
     * store's clock, and does once it lapsed by that clock.
     */
    void assertLeasesAreJudgedByTheStoresClock(SubmissionLedger skewed) {
        LedgerEntry held = stored(claim("order-1"));
        LedgerEntry taker = claim("order-1");

        assertFalse(skewed.takeOver(held, taker), "an hour ahead by its own clock, the lease of " + LEASE + " holds by the store's");
        assertTrue(ledger.renew(held));
        assertFalse(skewed.takeOver(held, taker));

        await().atMost(PATIENCE).until(() -> skewed.takeOver(held, taker));
        assertEquals(Optional.of(taker), ledger.get("order-1"));
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
