package io.github.fluxkontext.camel.submit;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.github.fluxkontext.camel.ledger.LedgerEntry;
import io.github.fluxkontext.camel.ledger.SubmissionLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The submission ledger's upkeep, never on a caller's thread: the leases of keyed submits under way are
 * renewed, and expired entries are purged when a ledger says a purge is due. Both may block on a database or a
 * disk, so they run on the component's ledger threads ({@link io.github.fluxkontext.camel.support.ComponentThreads}); the scheduler only times
 * the renewals, holding no thread in between. A failure of either never fails a submit: it is logged (and a
 * failed purge counted), and the next renewal or purge tries again.
 */
public final class LedgerUpkeep {

    /** A claim kept alive by renewals until {@link #end()}. */
    interface Renewal {
        void end();
    }

    private static final Logger LOG = LoggerFactory.getLogger(LedgerUpkeep.class);
    /** Renewals per lease: two may fail or come late before the claim lapses. */
    static final int RENEWALS_PER_LEASE = 3;

    private final ScheduledExecutorService scheduler;
    private final ExecutorService threads;
    private final AtomicBoolean purging = new AtomicBoolean();
    private final AtomicLong purgeFailures = new AtomicLong();

    public LedgerUpkeep(ScheduledExecutorService scheduler, ExecutorService threads) {
        this.scheduler = scheduler;
        this.threads = threads;
    }

    /**
     * Renews the claim every third of its lease from now on, until ended: for as long as any part of its submit
     * is under way (the wait for a place, the input's upload, every attempt and retry delay, the write of the
     * answer).
     */
    Renewal keepAlive(SubmissionLedger ledger, LedgerEntry claim) {
        if (claim.lease() == null) {
            return () -> {
            };
        }
        KeptAlive renewal = new KeptAlive(ledger, claim, Math.max(1, claim.lease().toMillis() / RENEWALS_PER_LEASE));
        renewal.scheduleNext();
        return renewal;
    }

    /** Starts a purge of the ledger if it says one is due and none of this component runs. */
    void purgeIfDue(SubmissionLedger ledger) {
        boolean due;
        try {
            due = ledger.purgeDue();
        } catch (RuntimeException e) {
            LOG.warn("The ledger could not say whether a purge of expired entries is due ({}); none was started", e.getMessage(), e);
            return;
        }
        if (!due || !purging.compareAndSet(false, true)) {
            return;
        }
        try {
            threads.execute(() -> purge(ledger));
        } catch (RejectedExecutionException stopping) {
            purging.set(false); // the next component start purges
        }
    }

    /** Purges that failed since the component started; each was logged. */
    public long purgeFailures() {
        return purgeFailures.get();
    }

    private void purge(SubmissionLedger ledger) {
        try {
            ledger.purgeExpired();
        } catch (RuntimeException e) {
            purgeFailures.incrementAndGet();
            LOG.warn("Purging expired entries out of the submission ledger failed ({}); no submit is affected, and the next"
                     + " purge tries again", e.getMessage(), e);
        } finally {
            purging.set(false);
        }
    }

    private final class KeptAlive implements Renewal {

        private final SubmissionLedger ledger;
        private final LedgerEntry claim;
        private final long intervalMs;
        private volatile boolean ended;
        private volatile Future<?> next;

        KeptAlive(SubmissionLedger ledger, LedgerEntry claim, long intervalMs) {
            this.ledger = ledger;
            this.claim = claim;
            this.intervalMs = intervalMs;
        }

        @Override
        public void end() {
            ended = true;
            Future<?> scheduled = next;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }

        void scheduleNext() {
            if (ended) {
                return;
            }
            try {
                next = scheduler.schedule(this::renewOffTheScheduler, intervalMs, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                // the component stops: its submits end with it, and the claim lapses
            }
        }

        private void renewOffTheScheduler() {
            try {
                threads.execute(this::renew);
            } catch (RejectedExecutionException stopping) {
                // as above
            }
        }

        private void renew() {
            if (ended) {
                return;
            }
            boolean renewed;
            try {
                renewed = ledger.renew(claim);
            } catch (RuntimeException e) {
                LOG.warn("The claim of idempotency key '{}' could not be renewed ({}); trying again in {} ms, before its lease"
                         + " of {} ms lapses", claim.key(), e.getMessage(), intervalMs, claim.lease().toMillis(), e);
                scheduleNext();
                return;
            }
            if (renewed) {
                scheduleNext();
            } else if (!ended) {
                LOG.warn("The claim of idempotency key '{}' is gone while its submit is under way: the entry expired (ledgerTtl) or"
                         + " was removed or taken over; a message with this key may submit again", claim.key());
            }
        }
    }
}
