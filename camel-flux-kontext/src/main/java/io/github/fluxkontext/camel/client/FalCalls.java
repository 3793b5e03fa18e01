package io.github.fluxkontext.camel.client;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.fluxkontext.camel.model.FluxKontextTransportException;
import io.github.fluxkontext.camel.model.KontextStatus;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.RequestNotExecutedException;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests through the transport and retries them as the {@link RetryPolicy} says: the one
 * retry loop of the client (fal's JS client has it in {@code retry.ts}). A retry waits on the
 * scheduler, never on a thread. Answers with error codes complete normally; the caller reads them.
 * <p>
 * {@link #close()} ends every call under way, so no caller waits for an answer that will not come.
 */
final class FalCalls implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FalCalls.class);
    /**
     * The first retry of a call is a WARN (a refused connection or an overloaded server should not stay silent for the
     * seconds the retries take), at most one every this many ms per client, so that an outage with a thousand
     * waiting jobs writes one line, not a thousand; every other retry is a DEBUG.
     */
    static final long RETRY_WARN_EVERY_MS = 10_000;

    private final FalHttpTransport transport;
    private final RetryPolicy policy;
    private final ScheduledExecutorService scheduler;
    private final Set<Call> pending = ConcurrentHashMap.newKeySet();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong lastRetryWarning = new AtomicLong(System.currentTimeMillis() - RETRY_WARN_EVERY_MS);
    private volatile boolean closed;

    FalCalls(FalHttpTransport transport, RetryPolicy policy, ScheduledExecutorService scheduler) {
        this.transport = transport;
        this.policy = policy;
        this.scheduler = scheduler;
    }

    /** Retries made so far, over all calls. */
    long retryCount() {
        return retries.get();
    }

    /** Calls under way (sent, or waiting to be retried). */
    int pendingCalls() {
        return pending.size();
    }

    /**
     * A call waiting for its retry is not sent again (for a submit: no job was created by it); a call in
     * flight fails as broken (for a submit: a job may exist). New calls fail at once. Does not close the
     * HTTP client.
     */
    @Override
    public void close() {
        closed = true;
        for (Call call : pending) {
            call.abort();
        }
        pending.clear();
    }

    /** Sends the request, retrying as the policy says for this kind of call. */
    CompletableFuture<FalResponse> send(CallKind kind, FalRequest request) {
        Call call = new Call(kind, request);
        pending.add(call);
        call.result.whenComplete((response, error) -> pending.remove(call));
        if (closed) {
            call.abort(); // closed before or while this call was added: never sent
            return call.result;
        }
        call.attempt(0);
        return call.result;
    }

    /** Opens a stream through the transport: not retried, not counted as a pending call (its owner closes it). */
    Future<Void> stream(FalRequest request, AsyncResponseConsumer<Void> consumer, Timeout idleTimeout, FutureCallback<Void> callback) {
        if (closed) {
            throw new IllegalStateException("The component is stopping: no new status stream");
        }
        return transport.stream(request, consumer, idleTimeout, callback);
    }

    /**
     * The exception for a call that failed without an answer.
     *
     * @param submit whether the failed call was a submit: then, unless the request certainly never
     *               reached the server, a job may exist without our knowing its id
     */
    static FluxKontextTransportException failure(String what, String requestId, KontextStatus lastStatus, Throwable error,
                                                 boolean submit) {
        Throwable cause = Futures.unwrap(error);
        int retriesDone = 0;
        if (cause instanceof RetriesExhausted exhausted) {
            retriesDone = exhausted.retriesDone;
            cause = exhausted.getCause();
        }
        if (cause instanceof FluxKontextTransportException known) {
            return known;
        }
        // only an I/O failure can have happened after the request left; one that never left is certain
        boolean outcomeUnknown = submit && cause instanceof IOException && !RetryPolicy.neverReachedServer(cause);
        String message = "Could not " + what + ": " + describe(cause)
                         + (retriesDone > 0 ? " (after " + retriesDone + " retries)" : "")
                         + (outcomeUnknown ? ". The request may have reached fal, so a job may exist although no request id came"
                                             + " back; it was not sent again to avoid paying twice (option submitRetry)" : "");
        return new FluxKontextTransportException(message, requestId, lastStatus, cause, outcomeUnknown);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : " " + message);
    }

    private void logRetry(CallKind kind, FalRequest request, Duration delay, String after, int retry) {
        long now = System.currentTimeMillis();
        long last = lastRetryWarning.get();
        if (retry == 1 && now - last >= RETRY_WARN_EVERY_MS && lastRetryWarning.compareAndSet(last, now)) {
            LOG.warn("{} {} failed ({}); retrying in {} ms, at most {} times (the next retries within {} s are logged at DEBUG)",
                    kind, request, after, delay.toMillis(), policy.maxRetries(), RETRY_WARN_EVERY_MS / 1000);
        } else {
            LOG.debug("Retrying {} {} in {} ms after {} (retry {} of {})", kind, request, delay.toMillis(), after, retry, policy.maxRetries());
        }
    }

    /**
     * One call: its attempts, and the retry it may be waiting for. Its state changes under its own
     * lock, so that {@link #abort()} and the next attempt never both proceed: an aborted call is never
     * sent (again), and the abort knows whether a request was under way.
     */
    private final class Call {
        private final CallKind kind;
        private final FalRequest request;
        private final CompletableFuture<FalResponse> result = new CompletableFuture<>();
        private Future<?> retry;
        private CompletableFuture<FalResponse> inFlight;
        private boolean aborted;

        Call(CallKind kind, FalRequest request) {
            this.kind = kind;
            this.request = request;
        }

        /** Sends under the call's lock (sending only starts a non-blocking exchange), so that no close() slips in between. */
        void attempt(int retriesDone) {
            CompletableFuture<FalResponse> sending;
            synchronized (this) {
                if (aborted) {
                    return;
                }
                retry = null;
                sending = transport.send(request);
                inFlight = sending;
            }
            sending.whenComplete((response, error) -> answered(retriesDone, response, error));
        }

        private void answered(int retriesDone, FalResponse response, Throwable error) {
            Throwable cause = error == null ? null : Futures.unwrap(error);
            Optional<Duration> delay = cause != null
                    ? policy.afterError(kind, retriesDone, cause)
                    : policy.afterResponse(kind, retriesDone, response);
            if (delay.isEmpty()) {
                if (cause != null) {
                    result.completeExceptionally(new RetriesExhausted(cause, retriesDone));
                } else {
                    result.complete(response);
                }
                return;
            }
            synchronized (this) {
                if (aborted) {
                    return; // close() ended the call: it is not sent again
                }
                inFlight = null;
                try {
                    retry = scheduler.schedule(() -> attempt(retriesDone + 1), delay.get().toMillis(), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException stopping) {
                    result.completeExceptionally(new RetriesExhausted(notSentAgain(), retriesDone));
                    return;
                }
            }
            retries.incrementAndGet();
            logRetry(kind, request, delay.get(), cause != null ? cause.toString() : "HTTP " + response.statusCode(), retriesDone + 1);
        }

        /** close(): a call not under way was certainly not sent (again); one in flight is cancelled, but may have arrived. */
        void abort() {
            CompletableFuture<FalResponse> underWay;
            synchronized (this) {
                aborted = true;
                underWay = inFlight; // sent, whether or not its answer is in
                if (retry != null) {
                    retry.cancel(false);
                }
            }
            result.completeExceptionally(underWay != null
                    ? new ConnectionClosedException("The component stopped while the request was under way")
                    : notSentAgain());
            // only after the outcome is set: cancelling runs answered() at once, whose CancellationException
            // would otherwise say "not sent" of a submit that may have created a job
            if (underWay != null) {
                underWay.cancel(true);
            }
        }
    }

    private static RequestNotExecutedException notSentAgain() {
        return new RequestNotExecutedException("The component stopped before the request was sent (again)");
    }

    /** Marks a transport failure the policy gave up on, remembering how many retries were made. */
    private static final class RetriesExhausted extends IOException {
        private final int retriesDone;

        RetriesExhausted(Throwable cause, int retriesDone) {
            super(cause.getMessage(), cause);
            this.retriesDone = retriesDone;
        }
    }
}
