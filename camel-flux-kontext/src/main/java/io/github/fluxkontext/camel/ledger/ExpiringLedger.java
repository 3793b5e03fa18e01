package io.github.fluxkontext.camel.ledger;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * What the ledgers share: the clock that decides expiry, and the count of stores that says when a purge of
 * expired entries is due ({@link PurgeSchedule}). The purge itself runs only when {@link #purgeExpired()} is
 * called, never as part of a store: the component runs it on a thread of its own.
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
        purge.countWrite();
        return store(entry, now());
    }

    @Override
    public boolean purgeDue() {
        return purge.isDue();
    }

    @Override
    public void purgeExpired() {
        long writesBefore = purge.writes();
        long remaining = -1;
        try {
            remaining = sweep(now());
        } finally {
            purge.purged(writesBefore, remaining);
        }
    }

    /**
     * Deletes the entries expired at {@code now}; returns how many are left, or -1 if unknown.
     */
    abstract long sweep(Instant now);

    /** {@link #putIfAbsent}, the entry checked. */
    abstract Optional<LedgerEntry> store(LedgerEntry entry, Instant now);
}
