package io.github.fluxkontext.camel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.github.fluxkontext.camel.client.FalQueueClient;
import io.github.fluxkontext.camel.client.Futures;
import io.github.fluxkontext.camel.model.FluxKontextApiException;
import io.github.fluxkontext.camel.model.FluxKontextException;
import io.github.fluxkontext.camel.model.FluxKontextJobFailedException;
import io.github.fluxkontext.camel.model.FluxKontextStoppedException;
import io.github.fluxkontext.camel.model.FluxKontextTimeoutException;
import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextStatus;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exchange waiting for its job, without a thread: polls are scheduled tasks that only start
 * non-blocking calls, and every answer is handled on the component's internal pool. It holds only
 * the request id and a timeout task, so any instance can do the same wait given the id.
 * <p>
 * The wait ends exactly once. Whoever ends it first (the result, a failure, the timeout, a stop)
 * claims it; only the claimer touches the exchange, and then hands it back to Camel. Until then the
 * exchange is left alone: output is prepared as a change and applied after the claim.
 */
final class JobWait {

    private static final Logger LOG = LoggerFactory.getLogger(JobWait.class);
    /** The first poll comes soon: Kontext jobs often finish within seconds. */
    private static final long FIRST_POLL_MAX_MS = 250;

    private final FluxKontextEndpoint endpoint;
    private final FalQueueClient client;
    private final FluxKontextConfiguration config;
    private final FluxKontextOutput output;
    private final Exchange exchange;
    private final AsyncCallback callback;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private volatile KontextJob job;
    private volatile long nextDelayMs;
    private volatile Future<?> timeoutTask;

    JobWait(FluxKontextEndpoint endpoint, FluxKontextOutput output, Exchange exchange, AsyncCallback callback, KontextJob job) {
        this.endpoint = endpoint;
        this.client = endpoint.getClient();
        this.config = endpoint.getConfiguration();
        this.output = output;
        this.exchange = exchange;
        this.callback = callback;
        this.job = job;
        this.nextDelayMs = config.getPollInterval();
    }

    /** For a job just submitted: the first poll soon, then at pollInterval. */
    static long firstPollDelay(FluxKontextConfiguration config) {
        return Math.min(FIRST_POLL_MAX_MS, config.getPollInterval());
    }

    /** Starts waiting; the first status poll comes after {@code firstPollMs}. */
    void start(long firstPollMs) {
        guard(() -> {
            if (!endpoint.register(this)) {
                abort();
                return;
            }
            if (job.status() == KontextStatus.COMPLETED && job.error() == null) {
                fetchResult();
                return;
            }
            timeoutTask = schedule(() -> endpoint.runInternal(this::onTimeout), config.getTimeout());
            if (claimed.get()) {
                disarmTimeout(); // ended meanwhile: the timeout must not keep the exchange queued
            }
            schedulePoll(firstPollMs);
        });
    }

    /** The endpoint stops: end the wait now, with the request id for picking the job up later. */
    void abort() {
        fail(new FluxKontextStoppedException(job.requestId(), job.status()));
    }

    private void schedulePoll(long delayMs) {
        if (!claimed.get()) {
            schedule(this::poll, delayMs);
        }
    }

    /** Runs a task later on the shared scheduler; if the endpoint is stopping, the wait ends now instead. */
    private Future<?> schedule(Runnable task, long delayMs) {
        FluxKontextRuntime runtime = endpoint.getRuntime();
        ScheduledExecutorService scheduler = runtime == null ? null : runtime.scheduler();
        try {
            if (scheduler != null) {
                return scheduler.schedule(task, delayMs, TimeUnit.MILLISECONDS);
            }
        } catch (RejectedExecutionException stopping) {
            // handled below, like a scheduler that is gone
        }
        abort();
        return null;
    }

    private void poll() {
        guard(() -> {
            if (!claimed.get()) {
                client.status(job, config.isLogs()).whenComplete((update, error) -> guard(() -> {
                    if (error != null) {
                        fail(Futures.unwrap(error));
                    } else {
                        onStatus(update);
                    }
                }));
            }
        });
    }

    private void onStatus(KontextJob update) {
        if (claimed.get()) {
            return;
        }
        job = update;
        if (LOG.isDebugEnabled()) {
            LOG.debug("Job {} is {}{}", update.requestId(), update.status(),
                    update.queuePosition() != null ? " at queue position " + update.queuePosition() : "");
            update.logs().forEach(line -> LOG.debug("Job {} log [{}] {}", update.requestId(), line.level(), line.message()));
        }
        if (update.status() != KontextStatus.COMPLETED) {
            long delay = nextDelayMs;
            nextDelayMs = Math.min(config.getMaxPollInterval(), Math.round(delay * 1.5));
            schedulePoll(delay);
            return;
        }
        // the job is done: nothing left to cancel, so the timeout no longer applies (fetching the output
        // is bounded by the HTTP timeouts and the retry policy)
        disarmTimeout();
        if (update.error() != null) {
            jobFailure(client, update).whenComplete((failure, error) -> fail(failure != null ? failure : Futures.unwrap(error)));
        } else {
            fetchResult();
        }
    }

    /** The exception for a job that completed with an error, with fal's error answer as its cause. */
    static CompletableFuture<FluxKontextJobFailedException> jobFailure(FalQueueClient client, KontextJob failed) {
        return client.failedResult(failed).handle((result, error) -> {
            Throwable cause = error == null ? null : Futures.unwrap(error);
            return new FluxKontextJobFailedException(failed.requestId(), failed.error(), failed.errorType(),
                    cause instanceof FluxKontextApiException api ? api : null);
        });
    }

    private void fetchResult() {
        client.result(job).thenCompose(output::prepare).whenComplete((change, error) -> {
            if (error != null) {
                fail(Futures.unwrap(error));
            } else {
                end(null, change);
            }
        });
    }

    /**
     * The timeout claims the wait at once (polls stop), fails the exchange, and sends a cancel if asked:
     * one attempt, whose answer is only logged, so the timeout is not stretched.
     */
    private void onTimeout() {
        if (!claim()) {
            return;
        }
        KontextJob last = job;
        String message = "Job " + last.requestId() + " did not complete within " + config.getTimeout() + " ms (last status "
                         + last.status() + ")";
        if (config.isCancelOnTimeout()) {
            client.cancelOnTimeout(last).whenComplete((cancellation, error) -> {
                if (error != null) {
                    LOG.warn("The cancel of timed-out job {} failed; it may still run at fal: {}", last.requestId(),
                            Futures.unwrap(error).getMessage());
                } else {
                    LOG.info("Cancel of timed-out job {}: fal answered {}", last.requestId(), cancellation.status());
                }
            });
            complete(new FluxKontextTimeoutException(message + "; a cancel was sent (its answer is logged)", last.requestId(),
                    last.status(), java.time.Duration.ofMillis(config.getTimeout()), true), null);
        } else {
            complete(new FluxKontextTimeoutException(message + "; it goes on at fal: fetch it later with flux-kontext:result",
                    last.requestId(), last.status(), java.time.Duration.ofMillis(config.getTimeout()), false), null);
        }
    }

    private void fail(Throwable error) {
        end(error, null);
    }

    /** Ends the wait if nobody has: the error, or the output change, goes on the exchange. */
    private void end(Throwable error, Consumer<Message> change) {
        if (claim()) {
            complete(error, change);
        }
    }

    /** Takes the right to end the wait; true for exactly one caller. */
    private boolean claim() {
        if (!claimed.compareAndSet(false, true)) {
            return false;
        }
        endpoint.unregister(this);
        disarmTimeout();
        return true;
    }

    /**
     * Only after {@link #claim()}: writes the outcome on the exchange and hands it back to Camel, on a
     * thread of the route-continuation pool (never an I/O, scheduler or internal thread).
     */
    private void complete(Throwable error, Consumer<Message> change) {
        Runnable continuation = () -> {
            try {
                Message message = exchange.getMessage();
                FluxKontextOutput.jobHeaders(message, job);
                if (error != null) {
                    exchange.setException(withRequestId(error));
                } else if (change != null) {
                    change.accept(message);
                }
            } catch (RuntimeException e) {
                exchange.setException(withRequestId(e));
            } finally {
                callback.done(false);
            }
        };
        endpoint.continueRoute(continuation);
    }

    private void disarmTimeout() {
        Future<?> timeout = timeoutTask;
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    /** Runs a step of the wait; a mistake in it ends the wait with that error rather than leaving the exchange hanging. */
    private void guard(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private Throwable withRequestId(Throwable error) {
        if (error instanceof FluxKontextException fke && fke.getRequestId() != null) {
            return error;
        }
        // every failure after submit must carry the request id, so the job is never lost
        return new FluxKontextException("Waiting for job " + job.requestId() + " failed: " + error.getMessage()
                                        + " (last status " + job.status() + "); fetch it later with flux-kontext:result",
                job.requestId(), job.status(), error);
    }
}
