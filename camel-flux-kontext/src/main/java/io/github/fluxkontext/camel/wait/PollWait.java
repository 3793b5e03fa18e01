package io.github.fluxkontext.camel.wait;

import java.util.OptionalLong;
import java.util.concurrent.Future;

import io.github.fluxkontext.camel.FluxKontextConfiguration;
import io.github.fluxkontext.camel.client.FalQueueClient;
import io.github.fluxkontext.camel.client.Futures;
import io.github.fluxkontext.camel.model.FluxKontextException;
import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextStatus;
import io.github.fluxkontext.camel.support.ComponentThreads;

/**
 * Waits by asking for the job's status, as often as what the status says is worth it:
 * <ul>
 * <li>a job in the queue is asked every {@code pollInterval}, unless the line moves so slowly that it cannot
 * start that soon: from how fast its queue position went down between two polls, it is asked again halfway
 * to its expected start (at most every {@code maxPollInterval}). A position alone says little: how fast a
 * line moves depends on how many runners serve it.</li>
 * <li>a job that runs (IN_PROGRESS) is asked when it is due: jobs of one endpoint run about as long as
 * each other, so once the component has seen some complete ({@link RunTimes}) it asks shortly before this
 * one should be done, then every {@value #DUE_INTERVAL_MS} ms a few times, then every {@code pollInterval}
 * again (the estimate was off). Before any was seen, every {@code pollInterval}.</li>
 * </ul>
 * That finds most completions within tens of milliseconds with no more requests than polling every
 * {@code pollInterval}. The first poll after a submit comes soon. Each poll is a scheduled task that only
 * starts a non-blocking call. {@link Schedule#ONCE} asks once: a job not completed yet ends the wait with an
 * error ({@code flux-kontext:result?waitForResult=false}).
 */
public final class PollWait extends WaitStrategy {

    /** The first poll after a submit comes soon: Kontext jobs often finish within seconds. */
    private static final long FIRST_POLL_MAX_MS = 250;
    /** Around the time a running job is due, it is asked this often... */
    static final long DUE_INTERVAL_MS = 100;
    /** ...this many times at most, then every pollInterval again. */
    private static final int DUE_POLLS = 6;

    /**
     * When a poll wait asks: first after {@code firstDelayMs}, then as often as the status says is worth it (or every
     * {@code fixedIntervalMs}, when that is not 0), or, with {@code once}, never again.
     */
    record Schedule(long firstDelayMs, long fixedIntervalMs, boolean once) {

        /** For a job submitted earlier: the first poll at once, then as the status says. */
        static final Schedule NOW = new Schedule(0, 0, false);
        /** For a job submitted earlier that must have completed: one poll, at once. */
        static final Schedule ONCE = new Schedule(0, 0, true);

        /** For a job just submitted: the first poll soon, then as the status says. */
        static Schedule afterSubmit(FluxKontextConfiguration config) {
            return new Schedule(Math.min(FIRST_POLL_MAX_MS, config.getPollInterval()), 0, false);
        }

        /**
         * The safety net of a wait that expects its job's outcome by other means (a webhook): a poll every
         * maxPollInterval, the first one after that interval for a job just submitted, at once for one submitted earlier.
         */
        static Schedule background(FluxKontextConfiguration config, boolean justSubmitted) {
            long interval = config.getMaxPollInterval();
            return new Schedule(justSubmitted ? interval : 0, interval, false);
        }
    }

    private final FalQueueClient queue;
    private final FluxKontextConfiguration config;
    private final ComponentThreads threads;
    private final RunTimes runTimes;
    private final Schedule schedule;
    private volatile Listener wait;
    private volatile Future<?> nextPoll;
    // only touched by one poll at a time (each poll is scheduled by the answer of the one before)
    private long previousPollNanos = System.nanoTime();
    private long thisPollNanos;
    private long runningSinceNanos;
    private int duePolls;
    private Integer previousQueuePosition;
    private long previousQueuePositionNanos;

    /** @param runTimes how long the endpoints' jobs run, learnt from the ones polled until COMPLETED */
    PollWait(FalQueueClient queue, FluxKontextConfiguration config, ComponentThreads threads, RunTimes runTimes, Schedule schedule) {
        this.queue = queue;
        this.config = config;
        this.threads = threads;
        this.runTimes = runTimes;
        this.schedule = schedule;
    }

    @Override
    void watch(Listener listener) {
        this.wait = listener;
        next(schedule.firstDelayMs());
    }

    @Override
    void letGo() {
        Future<?> next = nextPoll;
        if (next != null) {
            next.cancel(false);
        }
    }

    @Override
    public String toString() {
        return schedule.once() ? "poll once" : "poll";
    }

    private void next(long delayMs) {
        if (stopped()) {
            return;
        }
        nextPoll = threads.schedule(this::poll, delayMs);
        if (nextPoll == null) {
            wait.stop(); // the component is stopping
        }
    }

    private void poll() {
        if (stopped()) {
            return;
        }
        previousPollNanos = thisPollNanos != 0 ? thisPollNanos : previousPollNanos;
        thisPollNanos = System.nanoTime();
        queue.status(wait.job(), config.isLogs()).whenComplete((update, error) -> {
            try {
                onAnswer(update, error);
            } catch (RuntimeException e) {
                wait.failed(e);
            }
        });
    }

    private void onAnswer(KontextJob update, Throwable error) {
        if (stopped()) {
            return;
        }
        if (error != null) {
            wait.failed(Futures.unwrap(error));
        } else if (update.status() == KontextStatus.COMPLETED) {
            if (runningSinceNanos != 0) {
                runTimes.record(update.endpointId(), (thisPollNanos - runningSinceNanos) / 1_000_000);
            }
            wait.completed(update);
        } else if (schedule.once()) {
            wait.statusSeen(update);
            wait.failed(new FluxKontextException("Job " + update.requestId() + " has not completed yet (status " + update.status()
                                                 + "); call flux-kontext:result again later, or with waitForResult=true to wait",
                    update.requestId(), update.status(), null));
        } else {
            wait.statusSeen(update);
            next(schedule.fixedIntervalMs() > 0 ? schedule.fixedIntervalMs()
                    : update.status() == KontextStatus.IN_PROGRESS ? delayWhileRunning(update) : delayWhileQueued(update));
        }
    }

    /** When to ask a running job next: just before it is due, then often, a few times; else every pollInterval. */
    private long delayWhileRunning(KontextJob update) {
        if (runningSinceNanos == 0) {
            runningSinceNanos = (previousPollNanos + thisPollNanos) / 2; // it started between the last two polls
        }
        OptionalLong expected = runTimes.expected(update.endpointId());
        if (expected.isEmpty() || duePolls >= DUE_POLLS) {
            return config.getPollInterval();
        }
        long margin = Math.max(DUE_INTERVAL_MS, expected.getAsLong() / 10);
        long untilJustBeforeDue = (runningSinceNanos - System.nanoTime()) / 1_000_000 + expected.getAsLong() - margin;
        if (untilJustBeforeDue > DUE_INTERVAL_MS) {
            return Math.min(untilJustBeforeDue, Math.max(config.getPollInterval(), config.getMaxPollInterval()));
        }
        duePolls++;
        return DUE_INTERVAL_MS;
    }

    private long delayWhileQueued(KontextJob update) {
        long now = System.nanoTime();
        long delay = delayInQueue(previousQueuePosition, (now - previousQueuePositionNanos) / 1_000_000, update.queuePosition(), config);
        previousQueuePosition = update.queuePosition();
        previousQueuePositionNanos = now;
        return delay;
    }

    /**
     * When to ask a queued job next, from its position now and one {@code elapsedMs} earlier (null: none
     * known): halfway to when the line's pace says it starts, never sooner than pollInterval, never later
     * than maxPollInterval; pollInterval when the line did not move (its pace is unknown).
     */
    static long delayInQueue(Integer previousPosition, long elapsedMs, Integer position, FluxKontextConfiguration config) {
        long interval = config.getPollInterval();
        if (previousPosition == null || position == null || position <= 0 || position >= previousPosition || elapsedMs <= 0) {
            return interval;
        }
        double positionsPerMs = (previousPosition - position) / (double) elapsedMs;
        long untilStart = Math.round(position / positionsPerMs);
        return Math.max(interval, Math.min(untilStart / 2, config.getMaxPollInterval()));
    }
}
