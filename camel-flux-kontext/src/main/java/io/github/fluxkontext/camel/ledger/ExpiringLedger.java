package io.github.fluxkontext.camel.ledger;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * What the ledgers share: the clock that decides expiry, and a sweep of expired entries that runs, before a
 * store, after as many stores as there were entries at the previous sweep (at least
 * {@value PurgeSchedule#MIN_WRITES}), so that sweeping costs a bounded amount of work per store.
 */
abstract class ExpiringLedger implements SubmissionLedger {

    private final PurgeSchedule purge = new PurgeSchedule();
    private volatile Clock clock = Clock.systemUTC();

    public Clock getClock() {
        return clock;
    }

    /**
     * The clock that decides whether an entry has expired (the system's UTC clock by default).
     */
    public void setClock(Clock clock) {
        this.clock = LedgerEntry.requireClock(clock);
    }

    /** The error for a setting that the ledger fixed at its first use. */
    static IllegalStateException fixedOnceUsed(String setting, String value) {
        return new IllegalStateException(setting + " cannot change once the ledger was used (it is " + value + ")");
    }

    Instant now() {
        return clock.instant();
    }

    @Override
    public Optional<LedgerEntry> putIfAbsent(LedgerEntry entry) {
        LedgerEntry.requireEntry("entry", entry);
        if (purge.countWrite()) {
            long remaining = -1;
            try {
                remaining = sweep(now());
            } finally {
                purge.swept(remaining);
            }
        }
        return store(entry, now());
    }

    /**
     * Deletes the entries expired at {@code now}; returns how many are left, or -1 if unknown.
     */
    abstract long sweep(Instant now);

    /** {@link #putIfAbsent}, the entry checked. */
    abstract Optional<LedgerEntry> store(LedgerEntry entry, Instant now);
}
