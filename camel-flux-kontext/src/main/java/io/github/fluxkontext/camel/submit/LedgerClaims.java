package io.github.fluxkontext.camel.submit;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.fluxkontext.camel.FluxKontextConfiguration;
import io.github.fluxkontext.camel.client.Futures;
import io.github.fluxkontext.camel.client.RetryPolicy;
import io.github.fluxkontext.camel.ledger.LedgerEntry;
import io.github.fluxkontext.camel.ledger.LedgerState;
import io.github.fluxkontext.camel.ledger.SubmissionLedger;
import io.github.fluxkontext.camel.model.FluxKontextApiException;
import io.github.fluxkontext.camel.model.FluxKontextException;
import io.github.fluxkontext.camel.model.FluxKontextTransportException;
import io.github.fluxkontext.camel.model.FluxKontextValidationException;
import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.support.ComponentThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.github.fluxkontext.camel.FluxKontextConstants.IDEMPOTENCY_KEY;

/**
 * Exactly once across redelivery and crashes: the submit of a message that carries an idempotency key (header
 * {@value FluxKontextConstants#IDEMPOTENCY_KEY}) goes through the endpoint's {@link SubmissionLedger}. fal has no
 * idempotency key, and a job's request id exists only once the billed submit was answered, so the component
 * keeps key and request id itself, on a {@link Claim} per submit:
 * <ol>
 * <li>before anything is sent the key is claimed: an entry {@code SUBMITTING}, stored only if the key is absent,
 * atomically in the ledger's store (no JVM lock: instances sharing a store race there);</li>
 * <li>as soon as fal answers, the request id is written into it ({@code SUBMITTED}), before the wait starts;</li>
 * <li>a submit that certainly created no job (refused, turned away, never sent) removes the claim, so that a
 * later delivery may submit; one whose outcome is unknown leaves it {@code SUBMITTING}.</li>
 * </ol>
 * A message that finds its key {@code SUBMITTED} does not submit: it continues exactly as if it had just
 * submitted that job. One that finds it {@code SUBMITTING} fails as outcome unknown, unless
 * {@code resubmitUnanswered} lets it take the entry over (of several deliveries one wins), and never while that
 * submit may still be under way: the claim is a lease, which this exchange renews ({@link LedgerUpkeep}) from the
 * claim until the answer is written, through the wait for a place and a connection, the upload, every attempt
 * and retry delay. Only a claim whose lease lapsed, by the ledger's own clock, is taken over. A message without a
 * key gets a claim that does nothing.
 * <p>
 * Ledger stores may block (a database, a disk): the claim runs on the caller's thread, the writes after fal's
 * answer on a route thread, renewals and purges on the ledger's threads, never on an I/O or internal thread.
 */
public final class LedgerClaims {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerClaims.class);
    // each failed attempt means another delivery changed the key's entry in between: a bound, not a tuning knob
    private static final int MAX_ATTEMPTS = 10;

    private final SubmissionLedger ledger;
    private final LedgerUpkeep upkeep;
    private final FluxKontextConfiguration config;
    private final ComponentThreads threads;
    private final Clock clock = Clock.systemUTC();

    /**
     * @param ledger  the endpoint's ledger (its option, else the component's in-memory one)
     * @param upkeep  renews the leases of claims and purges expired entries, off the callers' threads
     * @param threads the route threads take the ledger's writes once fal answered (they may block)
     */
    LedgerClaims(SubmissionLedger ledger, LedgerUpkeep upkeep, FluxKontextConfiguration config, ComponentThreads threads) {
        this.ledger = ledger;
        this.upkeep = upkeep;
        this.config = config;
        this.threads = threads;
    }

    /**
     * Claims the key for a submit to {@code endpointId}, on the caller's thread; a message without a key gets a
     * claim that does nothing.
     *
     * @param  key                  the message's idempotency key (checked), or null
     * @throws FluxKontextException (nothing sent) for a key used for another endpoint, a submit of the key that was
     *                              sent but never answered, or a ledger that failed
     */
    Claim claim(String key, String endpointId) {
        if (key == null) {
            return new Claim(null, null);
        }
        LedgerEntry entry = claimEntry(key, endpointId);
        upkeep.purgeIfDue(ledger);
        if (entry.state() == LedgerState.SUBMITTED) {
            LOG.debug("Idempotency key '{}' has job {} already: not submitted again", key, entry.requestId());
            return new Claim(entry, null);
        }
        return new Claim(entry, upkeep.keepAlive(ledger, entry)); // renewed until the outcome is written
    }

    /** A key's entry held for one submit: what it says of the job, and what the submit's outcome does to it. */
    final class Claim {

        private final LedgerEntry entry;
        private final LedgerUpkeep.Renewal lease;
        private volatile boolean sent;

        private Claim(LedgerEntry entry, LedgerUpkeep.Renewal lease) {
            this.entry = entry;
            this.lease = lease;
        }

        /** The job the key names already (the message came again): to continue with, never to submit again; else null. */
        KontextJob knownJob() {
            return entry != null && entry.state() == LedgerState.SUBMITTED ? KontextJob.of(entry.endpointId(), entry.requestId()) : null;
        }

        /** The submit is about to be sent: from now on a failure may have created a job. */
        void markSent() {
            sent = true;
        }

        /**
         * Once the submit is answered, writes its outcome into the key's entry, on a route thread (a ledger may block),
         * before the submit goes on: the request id; or, when it certainly created no job, no entry at all, so that a
         * later delivery may submit; or, outcome unknown, the entry as sent.
         *
         * @param job the job of the submit's result
         */
        <T> CompletableFuture<T> settle(CompletableFuture<T> submit, Function<T, KontextJob> job) {
            if (entry == null) {
                return submit; // no key: nothing to write
            }
            CompletableFuture<T> settled = new CompletableFuture<>();
            submit.whenComplete((result, error) -> threads.continueRoute(() -> {
                try {
                    if (error == null) {
                        recordRequestId(entry, job.apply(result));
                        settled.complete(result);
                        return;
                    }
                    Throwable cause = Futures.unwrap(error);
                    if (!sent || createdNoJob(cause)) {
                        release(entry, cause);
                    } else {
                        LOG.warn("The submit for idempotency key '{}' failed with its outcome unknown ({}): the key stays marked"
                                 + " as sent, so until its ledger entry expires at {} a message with it fails rather than"
                                 + " submitting again", entry.key(), cause.getMessage(), entry.expiresAt());
                    }
                    settled.completeExceptionally(cause);
                } catch (RuntimeException e) {
                    settled.completeExceptionally(e); // whatever went wrong here, the exchange must not hang
                } finally {
                    lease.end();
                }
            }));
            return settled;
        }
    }
    /**
     * Claims the key for a submit: returns the new {@code SUBMITTING} entry of this exchange, or the key's
     * {@code SUBMITTED} entry when a job exists.
     */
    private LedgerEntry claimEntry(String key, String endpointId) {
        Duration ttl = Duration.ofMillis(config.getLedgerTtl());
        Duration lease = Duration.ofMillis(config.getLedgerLease());
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            LedgerEntry mine = LedgerEntry.submitting(key, endpointId, ttl, lease, clock);
            Optional<LedgerEntry> holder = stored(key, "store", () -> ledger.putIfAbsent(mine));
            if (holder.isEmpty()) {
                return mine;
            }
            LedgerEntry held = holder.get();
            if (!held.endpointId().equals(endpointId)) {
                throw new FluxKontextValidationException("header " + IDEMPOTENCY_KEY, key, "this key names a submit to "
                        + held.endpointId() + ", and this endpoint submits to " + endpointId
                        + ": give each flux-kontext call its own key (e.g. the message id and the step)");
            }
            if (held.state() == LedgerState.SUBMITTED) {
                return held;
            }
            if (!config.isResubmitUnanswered()) {
                throw unanswered(held);
            }
            if (stored(key, "take over", () -> ledger.takeOver(held, mine))) {
                LOG.warn("Submitting again for idempotency key '{}': its submit of {} was never answered and its sender stopped"
                         + " renewing its claim (resubmitUnanswered=true); if that one created a job, fal bills both", key,
                        held.createdAt());
                return mine;
            }
            Optional<LedgerEntry> now = stored(key, "read", () -> ledger.get(key));
            if (now.isPresent() && now.get().token().equals(held.token()) && now.get().state() == LedgerState.SUBMITTING) {
                throw stillClaimed(held);
            }
            // answered, released or taken over by another delivery meanwhile: look again
        }
        throw new FluxKontextException("The ledger entry of idempotency key '" + key + "' changed " + MAX_ATTEMPTS
                                       + " times while this exchange looked at it; nothing was submitted for it", null, null, null);
    }

    /** The failure of a message whose key's submit was sent and has not been answered; it sends nothing. */
    private FluxKontextTransportException unanswered(LedgerEntry held) {
        return outcomeUnknown(held, ": it may still be under way (its sender keeps its claim alive until fal answers), and then a"
                                    + " later delivery of the message finds its job; or its answer was lost (the instance that"
                                    + " sent it stopped, or lost the connection, first). A job may exist at fal, billed, whose"
                                    + " request id nobody knows, so nothing was submitted again. Look for it among the requests"
                                    + " of " + held.endpointId() + " at fal. To submit anyway, set resubmitUnanswered=true (it"
                                    + " submits again once the first submit's claim has lapsed: ledgerLease after its sender"
                                    + " last renewed it) or remove the key's ledger entry");
    }

    /** The failure of a message whose key's unanswered submit is still claimed by its sender: it sends nothing. */
    private FluxKontextTransportException stillClaimed(LedgerEntry held) {
        return outcomeUnknown(held, ", and its sender still holds its claim, which it renews while the submit is under way: it"
                                    + " may still be under way, and then a later delivery of the message finds its job. Nothing"
                                    + " was submitted again: resubmitUnanswered=true submits again only once that claim has"
                                    + " lapsed, ledgerLease (" + (held.lease() == null ? "none" : held.lease().toMillis() + " ms")
                                    + ") after its last renewal, by the ledger's clock");
    }

    private static FluxKontextTransportException outcomeUnknown(LedgerEntry held, String why) {
        return new FluxKontextTransportException("The submit for idempotency key '" + held.key() + "' to " + held.endpointId()
                                                 + " was sent at " + held.createdAt() + " and has not been answered" + why,
                null, null, null, true);
    }

    /**
     * fal answered: its request id goes into the key's entry. Should that fail, the job is still this
     * exchange's (it goes on waiting), and a redelivery would fail as outcome unknown rather than submit again.
     */
    private void recordRequestId(LedgerEntry entry, KontextJob job) {
        try {
            if (!ledger.replace(entry, entry.withRequestId(job.requestId()))) {
                LOG.warn("Job {} of idempotency key '{}' could not be recorded: the key's ledger entry expired or was taken over"
                         + " meanwhile (ledgerTtl {} ms); a message with this key may submit again", job.requestId(), entry.key(),
                        config.getLedgerTtl());
            }
        } catch (RuntimeException e) {
            LOG.warn("Job {} of idempotency key '{}' could not be recorded in the ledger ({}); the key stays marked as sent, so"
                     + " a message with it fails as outcome unknown until the entry expires at {}", job.requestId(), entry.key(),
                    e.getMessage(), entry.expiresAt(), e);
        }
    }

    /** The submit created no job: the claim goes, so that a later delivery may submit. */
    private void release(LedgerEntry entry, Throwable failure) {
        try {
            ledger.remove(entry.key(), entry.token());
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
            LOG.warn("The submit for idempotency key '{}' created no job, but its ledger entry could not be removed ({}); until"
                     + " it expires at {} a message with this key fails as outcome unknown", entry.key(), e.getMessage(),
                    entry.expiresAt());
        }
    }

    /**
     * Whether a failed submit certainly created no job: bad input found before sending, a connection that never
     * reached the server (or a call the stopping endpoint never sent), or an error answer that refused or turned
     * the submit away.
     */
    static boolean createdNoJob(Throwable failure) {
        if (failure instanceof FluxKontextValidationException) {
            return true;
        }
        if (failure instanceof FluxKontextTransportException transport) {
            return !transport.isOutcomeUnknown();
        }
        return failure instanceof FluxKontextApiException api && RetryPolicy.submitCreatedNoJob(api.getStatusCode(), api.getRequestId());
    }

    /** A ledger operation; its failure fails the exchange before anything was sent. */
    private static <T> T stored(String key, String what, Supplier<T> operation) {
        try {
            return operation.get();
        } catch (RuntimeException e) {
            throw new FluxKontextException("The ledger could not " + what + " the entry of idempotency key '" + key + "' ("
                                           + e.getMessage() + "); nothing was submitted for it, so delivering the message"
                                           + " again is safe", null, null, e);
        }
    }
}
