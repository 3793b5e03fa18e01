package io.github.fluxkontext.camel.wait;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.github.fluxkontext.camel.FluxKontextConfiguration;
import io.github.fluxkontext.camel.client.FalQueueClient;
import io.github.fluxkontext.camel.client.Futures;
import io.github.fluxkontext.camel.mapping.ResultMapping;
import io.github.fluxkontext.camel.model.FluxKontextException;
import io.github.fluxkontext.camel.model.FluxKontextJobFailedException;
import io.github.fluxkontext.camel.model.FluxKontextStoppedException;
import io.github.fluxkontext.camel.model.FluxKontextTimeoutException;
import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextResult;
import io.github.fluxkontext.camel.model.KontextStatus;
import io.github.fluxkontext.camel.submit.JobPlaces;
import io.github.fluxkontext.camel.support.ComponentThreads;
import io.github.fluxkontext.camel.support.ExchangeCompletion;
import io.github.fluxkontext.camel.support.JobStatistics;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exchange waiting for its job, without a thread. It holds the request id, the deadline and the
 * outcome; a {@link WaitStrategy} (polling, the status stream, a webhook) reports what it sees. Any
 * instance can do the same wait given the request id.
 * <p>
 * The wait ends exactly once: with the output, a failure, the timeout, or a stop. Once the job is seen
 * COMPLETED the timeout no longer applies (there is nothing left to cancel; fetching the output is
 * bounded by the HTTP timeouts and the retries), so a late timeout never fails a completed job. The
 * exchange is touched only when the wait ends.
 */
public final class JobWait implements WaitStrategy.Listener {

    /**
     * What the waits of one endpoint work with: the queue client that fetches outcomes (and cancels), the output
     * mapping, the options (timeout, cancelOnTimeout), the threads, the statistics; and whom to tell that a wait ended.
     */
    record Collaborators(FalQueueClient queue, ResultMapping output, FluxKontextConfiguration config, ComponentThreads threads,
                         JobStatistics statistics, Consumer<JobWait> ended) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(JobWait.class);

    /** WAITING until the job is seen COMPLETED (then FETCHING its outcome) or the wait ends otherwise. */
    private enum Phase { WAITING, FETCHING, ENDED }

    private final Collaborators with;
    private final FluxKontextConfiguration config;
    private final ExchangeCompletion completion;
    private final JobPlaces.Place place;
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.WAITING);
    private volatile WaitStrategy strategy;
    private volatile KontextJob job;
    private volatile Future<?> timeoutTask;
    private final long startedNanos = System.nanoTime();
    private volatile long inProgressNanos;
    private volatile long completedNanos;

    /** @param place the maxConcurrentJobs place the job holds; given back when the wait ends */
    JobWait(Collaborators with, ExchangeCompletion completion, KontextJob job, JobPlaces.Place place, WaitStrategy strategy) {
        this.with = with;
        this.config = with.config();
        this.completion = completion;
        this.place = place;
        this.job = job;
        this.strategy = strategy;
    }

    /** The strategy that watches the job now; its toString names it for the dev console: "stream", "poll"... */
    WaitStrategy strategy() {
        return strategy;
    }

    @Override
    public KontextJob job() {
        return job;
    }

    /** Starts waiting: arms the timeout and the strategy. */
    void start() {
        guard(() -> {
            if (job.status() == KontextStatus.COMPLETED) {
                completed(job); // a handle known to be done: nothing to wait for
                return;
            }
            timeoutTask = with.threads().schedule(() -> with.threads().runInternal(this::onTimeout),
                    Math.max(1, config.getTimeout() - completion.elapsedMillis()));
            if (timeoutTask == null) {
                stop(); // the component is stopping
                return;
            }
            if (phase.get() != Phase.WAITING) {
                disarmTimeout(); // ended meanwhile: the timeout must not keep the exchange queued
                return;
            }
            strategy.start(this);
        });
    }

    /** The endpoint or the component stops: the wait ends now, with the request id for picking the job up later. */
    @Override
    public void stop() {
        end(new FluxKontextStoppedException(job.requestId(), job.status()), null);
    }

    @Override
    public void statusSeen(KontextJob update) {
        if (phase.get() != Phase.WAITING) {
            return;
        }
        job = update;
        if (update.status() == KontextStatus.IN_PROGRESS && inProgressNanos == 0) {
            inProgressNanos = System.nanoTime();
        }
        log(update);
    }

    /** The timeout no longer applies, and the job's outcome is fetched. */
    @Override
    public void completed(KontextJob update) {
        if (!seenCompleted(update)) {
            return;
        }
        if (update.error() != null) {
            jobFailure(update).whenComplete((failure, error) -> end(failure != null ? failure : Futures.unwrap(error), null));
        } else {
            fetchResult();
        }
    }

    /** A status stream that was refused, broke or fell silent: polling takes over. Never a new submit, never a lost job. */
    @Override
    public void switchTo(WaitStrategy next, String why) {
        if (phase.get() != Phase.WAITING) {
            return;
        }
        WaitStrategy previous = strategy;
        strategy = next;
        previous.stop();
        with.statistics().fellBack();
        LOG.debug("Job {}: {}; watching it by {} from now on", job.requestId(), why, next);
        next.start(this);
        if (phase.get() != Phase.WAITING) {
            next.stop(); // ended while switching: finish() may have stopped the previous one only
        }
    }

    /** The wait ends with the outcome handed over; a failure to make it fails the exchange. */
    @Override
    public void completedWith(KontextJob update, Supplier<CompletableFuture<Consumer<Message>>> outcome) {
        if (!seenCompleted(update)) {
            return;
        }
        CompletableFuture<Consumer<Message>> change;
        try {
            change = outcome.get();
        } catch (RuntimeException e) {
            change = CompletableFuture.failedFuture(e);
        }
        change.whenComplete((apply, error) -> end(error == null ? null : Futures.unwrap(error), apply));
    }

    /** The job was seen COMPLETED: false when the wait had ended (or was ending) already, else the timeout no longer applies. */
    private boolean seenCompleted(KontextJob update) {
        if (!phase.compareAndSet(Phase.WAITING, Phase.FETCHING)) {
            return false;
        }
        completedNanos = System.nanoTime();
        job = update;
        log(update);
        disarmTimeout();
        strategy.stop();
        return true;
    }

    @Override
    public void failed(Throwable error) {
        end(error, null);
    }

    /** The exception for a job that completed with an error, with fal's error answer as its cause. */
    private CompletableFuture<FluxKontextJobFailedException> jobFailure(KontextJob failed) {
        return with.queue().failedResult(failed).handle((api, error) ->
                new FluxKontextJobFailedException(failed.requestId(), failed.error(), failed.errorType(), api));
    }

    private void fetchResult() {
        KontextJob done = job;
        with.queue().result(done)
                .thenCompose(answer -> with.output().prepare(KontextResult.fromJson(done.requestId(), answer.output())
                        .withCost(answer.billableUnits(), done.inferenceTime())))
                .whenComplete((change, error) -> end(error == null ? null : Futures.unwrap(error), change));
    }

    /**
     * The timeout ends the wait at once (the strategy stops) and sends a cancel if asked: one attempt,
     * whose answer is only logged, so the timeout is not stretched. Once the job was seen COMPLETED it does
     * nothing, even if it was already under way when the job completed.
     */
    void onTimeout() {
        if (!phase.compareAndSet(Phase.WAITING, Phase.ENDED)) {
            return; // completed (or ended) first
        }
        KontextJob last = job;
        String message = "Job " + last.requestId() + " did not complete within " + config.getTimeout() + " ms (last status "
                         + last.status() + ")";
        boolean cancel = config.isCancelOnTimeout();
        if (cancel) {
            with.queue().cancelOnTimeout(last).whenComplete((cancellation, error) -> {
                if (error != null) {
                    LOG.warn("The cancel of timed-out job {} failed; it may still run at fal: {}", last.requestId(),
                            Futures.unwrap(error).getMessage());
                } else {
                    LOG.info("Cancel of timed-out job {}: fal answered {}", last.requestId(), cancellation.status());
                }
            });
        }
        finish(new FluxKontextTimeoutException(message + (cancel ? "; a cancel was sent (its answer is logged)"
                : "; it goes on at fal: fetch it later with flux-kontext:result"), last.requestId(), last.status(),
                Duration.ofMillis(config.getTimeout()), cancel), null);
    }

    /** Ends the wait if nobody has: the error, or the output change, goes on the exchange. */
    private void end(Throwable error, Consumer<Message> change) {
        if (phase.getAndSet(Phase.ENDED) != Phase.ENDED) {
            finish(error, change);
        }
    }

    /** Only once the phase is ENDED: lets go of everything, then hands the exchange back with the outcome. */
    private void finish(Throwable error, Consumer<Message> change) {
        with.ended().accept(this);
        disarmTimeout();
        strategy.stop();
        KontextJob last = job;
        long now = System.nanoTime();
        long running = inProgressNanos;
        long done = completedNanos;
        with.statistics().finished(last.requestId(), error, running == 0 ? null : Duration.ofNanos(running - startedNanos),
                running == 0 || done == 0 ? null : Duration.ofNanos(done - running), done == 0 ? null : Duration.ofNanos(now - done));
        place.release(); // the job is finished, failed, or goes on without this component watching it
        completion.complete(message -> {
            ResultMapping.jobHeaders(message, last);
            if (change != null) {
                try {
                    change.accept(message);
                } catch (RuntimeException e) {
                    throw withRequestId(e, last);
                }
            }
        }, error == null ? null : withRequestId(error, last));
    }

    private void disarmTimeout() {
        Future<?> timeout = timeoutTask;
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    private static void log(KontextJob update) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("Job {} is {}{}", update.requestId(), update.status(),
                    update.queuePosition() != null ? " at queue position " + update.queuePosition() : "");
            update.logs().forEach(line -> LOG.debug("Job {} log [{}] {}", update.requestId(), line.level(), line.message()));
        }
    }

    /** Runs a step of the wait; a mistake in it ends the wait with that error rather than leaving the exchange hanging. */
    private void guard(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** Every failure after submit carries the request id, so the job is never lost. */
    private static RuntimeException withRequestId(Throwable error, KontextJob job) {
        if (error instanceof FluxKontextException fke && fke.getRequestId() != null) {
            return fke;
        }
        return new FluxKontextException("Waiting for job " + job.requestId() + " failed: " + error.getMessage()
                                        + " (last status " + job.status() + "); fetch it later with flux-kontext:result",
                job.requestId(), job.status(), error);
    }
}
