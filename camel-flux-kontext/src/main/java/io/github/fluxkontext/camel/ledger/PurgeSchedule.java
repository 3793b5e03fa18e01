package io.github.fluxkontext.camel.ledger;

/**
 * Says when a ledger's expired entries are worth purging: after as many writes as there were entries left by
 * the previous purge (at least {@value #MIN_WRITES}), so that purging costs a bounded amount of work per write
 * and the store holds at most about twice its live entries plus {@value #MIN_WRITES} (as long as a purge runs
 * when it is due). Counted per ledger instance.
 */
final class PurgeSchedule {

    static final int MIN_WRITES = 1024;

    private long writes;
    private long due = MIN_WRITES;

    synchronized void countWrite() {
        writes++;
    }

    synchronized boolean isDue() {
        return writes >= due;
    }

    /** The writes counted so far, for {@link #purged}: those made while a purge runs count towards the next. */
    synchronized long writes() {
        return writes;
    }

    /**
     * A purge that started after {@code writesBefore} writes is over (or failed); {@code remaining} entries are
     * left, or -1 when unknown.
     */
    synchronized void purged(long writesBefore, long remaining) {
        writes = Math.max(0, writes - writesBefore);
        due = Math.max(MIN_WRITES, remaining);
    }
}
