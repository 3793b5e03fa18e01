package io.github.fluxkontext.camel.ledger;

/**
 * Says when a ledger should sweep out its expired entries: after as many writes as there were entries
 * left by the previous sweep (at least {@value #MIN_WRITES}), so that sweeping costs a bounded amount of
 * work per write and the store holds at most about twice its live entries plus {@value #MIN_WRITES}.
 * Counted per ledger instance.
 */
final class PurgeSchedule {

    static final int MIN_WRITES = 1024;

    private long writes;
    private long due = MIN_WRITES;

    /**
     * Counts one write.
     *
     * @return true for the one caller that should sweep now; it reports the outcome with {@link #swept}
     */
    synchronized boolean countWrite() {
        if (++writes < due) {
            return false;
        }
        writes = 0;
        due = Long.MAX_VALUE; // no second sweep while this one runs
        return true;
    }

    /**
     * The sweep is over (or failed); {@code remaining} entries are left, or -1 when unknown.
     */
    synchronized void swept(long remaining) {
        due = Math.max(MIN_WRITES, remaining);
    }
}
