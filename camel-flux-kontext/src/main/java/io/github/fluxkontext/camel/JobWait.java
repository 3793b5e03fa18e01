package io.github.fluxkontext.camel;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.fluxkontext.camel.client.FalQueueClient;
import io.github.fluxkontext.camel.model.FluxKontextApiException;
import io.github.fluxkontext.camel.model.FluxKontextException;
import io.github.fluxkontext.camel.model.FluxKontextJobFailedException;
import io.github.fluxkontext.camel.model.FluxKontextStoppedException;
import io.github.fluxkontext.camel.model.FluxKontextTimeoutException;
import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextStatus;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exchange waiting for its job, without a thread: polls are scheduled tasks that only start
 * non-blocking calls, and every answer continues on the endpoint's worker pool. It holds only the
 * request id and a timeout task, so any instance can do the same wait given the id.
 * <p>
 * The wait ends exactly once: completed (then the output is applied), failed, timed out (optionally
 * cancelling the job), or aborted because the endpoint stops.
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
    private final AtomicBoolean finished = new AtomicBoolean();
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

    /** Starts waiting; the first status poll comes after {@code firstPollMs}. */
    void start(long firstPollMs) {
        if (!endpoint.register(this)) {
            finish(new FluxKontextStoppedException(job.requestId(), job.status()));
            return;
        }
        if (job.status() == KontextStatus.COMPLETED && job.error() == null) {
            fetchResult();
            return;
        }
        timeoutTask = schedule(() -> onWorker(this::onTimeout), config.getTimeout());
        schedulePoll(firstPollMs);
    }

    /** For a job just submitted: the first poll soon, then at pollInterval. */
    static long firstPollDelay(FluxKontextConfiguration config) {
        return Math.min(FIRST_POLL_MAX_MS, config.getPollInterval());
    }

    /** The endpoint stops: end the wait now, with the request id for picking the job up later. */
    void abort() {
        finish(new FluxKontextStoppedException(job.requestId(), job.status()));
    }

    private void schedulePoll(long delayMs) {
        if (!finished.get()) {
            schedule(this::poll, delayMs);
        }
    }

    /** Runs a task later on the endpoint's scheduler; if the endpoint is stopping, the wait ends now instead. */
    private Future<?> schedule(Runnable task, long delayMs) {
        ScheduledExecutorService scheduler = endpoint.getScheduler();
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
        if (finished.get()) {
            return;
        }
        client.status(job, config.isLogs()).whenComplete((update, error) -> {
            if (finished.get()) {
                return;
            }
            if (error != null) {
                finish(unwrap(error));
                return;
            }
            onStatus(update);
        });
    }

    private void onStatus(KontextJob update) {
        job = update;
        FluxKontextOutput.jobHeaders(exchange.getMessage(), update);
        if (LOG.isDebugEnabled()) {
            LOG.debug("Job {} is {}{}", update.requestId(), update.status(),
                    update.queuePosition() != null ? " at queue position " + update.queuePosition() : "");
            update.logs().forEach(line -> LOG.debug("Job {} log [{}] {}", update.requestId(), line.level(), line.message()));
        }
        if (update.status() != KontextStatus.COMPLETED) {
            long delay = nextDelayMs;
            nextDelayMs = Math.min(config.getMaxPollInterval(), Math.round(delay * 1.5));
            schedulePoll(delay);
        } else if (update.error() != null) {
            failWithJobError(update);
        } else {
            fetchResult();
        }
    }

    /**
     * fal reports a failed job as COMPLETED with error and error_type; its result answers with the
     * error body (e.g. a 422 detail list), which is attached as the cause.
     */
    private void failWithJobError(KontextJob failed) {
        jobFailure(client, failed).whenComplete((failure, error) -> finish(failure));
    }

    /** The exception for a job that completed with an error, with fal's error answer as its cause. */
    static CompletableFuture<FluxKontextJobFailedException> jobFailure(FalQueueClient client, KontextJob failed) {
        return client.failedResult(failed).handle((result, error) -> {
            Throwable cause = error == null ? null : unwrap(error);
            return new FluxKontextJobFailedException(failed.requestId(), failed.error(), failed.errorType(),
                    cause instanceof FluxKontextApiException api ? api : null);
        });
    }

    private void fetchResult() {
        client.result(job).thenCompose(result -> output.apply(exchange, result)).whenComplete((done, error) ->
                finish(error == null ? null : unwrap(error)));
    }

    private void onTimeout() {
        if (finished.get()) {
            return;
        }
        KontextJob last = job;
        Duration timeout = Duration.ofMillis(config.getTimeout());
        String base = "Job " + last.requestId() + " did not complete within " + timeout.toMillis() + " ms (last status "
                      + last.status() + ")";
        if (!config.isCancelOnTimeout()) {
            finish(new FluxKontextTimeoutException(base + "; it goes on at fal: fetch it later with flux-kontext:result",
                    last.requestId(), last.status(), timeout, false));
            return;
        }
        client.cancel(last).whenComplete((cancellation, error) -> {
            String outcome;
            if (error != null) {
                outcome = "; the cancel failed (" + unwrap(error).getMessage() + "), so it may still run at fal";
            } else if (cancellation.accepted()) {
                outcome = "; a cancel was sent and accepted (" + cancellation.status() + ")";
            } else {
                outcome = "; a cancel was sent but fal said " + cancellation.status() + ": fetch it with flux-kontext:result";
            }
            finish(new FluxKontextTimeoutException(base + outcome, last.requestId(), last.status(), timeout, true));
        });
    }

    /** Ends the wait once: on the worker pool, never on an I/O or scheduler thread. */
    private void finish(Throwable error) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        endpoint.unregister(this);
        Future<?> timeout = timeoutTask;
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (error != null) {
            exchange.setException(withRequestId(error));
        }
        onWorker(() -> callback.done(false));
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

    private void onWorker(Runnable task) {
        ExecutorService worker = endpoint.getWorker();
        if (worker == null) {
            task.run(); // the endpoint has stopped: end the wait here rather than leave the exchange hanging
            return;
        }
        try {
            worker.execute(task);
        } catch (RejectedExecutionException stopping) {
            task.run(); // the pool is shutting down: same reason
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
