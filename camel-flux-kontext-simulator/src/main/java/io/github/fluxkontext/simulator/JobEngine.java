package io.github.fluxkontext.simulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The queue: which job runs when. At most {@code runners} jobs are IN_PROGRESS; the others wait in
 * order (normal priority before low, then submission order). One lock guards only the waiting line
 * and the runner count; rendering, JSON and IO happen outside it. Timing is driven by the
 * scheduler; finishing work (building outputs, sync_mode rendering) runs on the worker pool.
 * Queue watchers (the status streams of queued jobs) are told when positions may have changed.
 */
final class JobEngine {

    private static final System.Logger LOG = System.getLogger(JobEngine.class.getName());

    /** Builds a job's outcome when its run time is over. */
    interface Model {
        Outcome run(Job job, Instant startedAt, Instant now);
    }

    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private final Clock clock;
    private final int runners;
    private final Duration resultTtl;
    private final Model model;
    private final Consumer<Job> onCompleted;
    private final LiveSettings settings;

    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private final WaitingLine waiting = new WaitingLine(); // guarded by lock
    private final Set<Runnable> queueWatchers = ConcurrentHashMap.newKeySet();
    private final Map<Job, Long> eligibleAt = new ConcurrentHashMap<>(); // System.nanoTime() a job may start
    private int running; // guarded by lock
    private int generation; // guarded by lock; bumped by reset()
    private long seq; // guarded by lock

    JobEngine(ScheduledExecutorService scheduler, ExecutorService workers, Clock clock, int runners,
              LiveSettings settings, Duration resultTtl, Model model, Consumer<Job> onCompleted) {
        this.scheduler = scheduler;
        this.workers = workers;
        this.clock = clock;
        this.runners = runners;
        this.resultTtl = resultTtl;
        this.model = model;
        this.onCompleted = onCompleted;
        this.settings = settings;
    }

    Job submit(EndpointId endpoint, JsonNode inputNode, Map<String, Object> input,
               List<Map<String, Object>> validationErrors, boolean lowPriority, String webhookUrl,
               Duration startTimeout, Duration mediaLifetime) {
        LiveSettings.Timings t = settings.timings();
        long seed = inputNode != null && inputNode.path("seed").isIntegralNumber()
                && inputNode.path("seed").canConvertToLong()
                ? inputNode.path("seed").asLong() : ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE);
        Job job;
        boolean overtakes;
        synchronized (lock) {
            job = new Job(UUID.randomUUID().toString(), endpoint, inputNode, input, validationErrors, seed,
                    lowPriority, seq++, generation, clock.instant(), t.runTime(), webhookUrl, mediaLifetime);
            // nanoTime, like the scheduler: the pump scheduled below never finds its job "not yet due"
            eligibleAt.put(job, System.nanoTime() + t.queueTime().toNanos());
            jobs.put(job.requestId, job);
            overtakes = !lowPriority && waiting.hasLowPriority();
            waiting.add(job);
        }
        if (overtakes) {
            queueMoved(); // the low-priority jobs are one place further back now
        }
        schedule(this::pump, t.queueTime());
        if (startTimeout != null) {
            schedule(() -> timeoutIfQueued(job), startTimeout);
        }
        return job;
    }

    Job job(String requestId) {
        return jobs.get(requestId);
    }

    List<Job> all() {
        List<Job> list = new ArrayList<>(jobs.values());
        list.sort(Comparator.comparingLong(j -> j.seq));
        return list;
    }

    /** 0-based number of jobs ahead of this one, or -1 if it is not waiting. */
    int queuePosition(Job job) {
        synchronized (lock) {
            return waiting.position(job);
        }
    }

    /** {@code watcher} runs whenever queue positions may have changed; it must not block. */
    void watchQueue(Runnable watcher) {
        queueWatchers.add(watcher);
    }

    void unwatchQueue(Runnable watcher) {
        queueWatchers.remove(watcher);
    }

    /** Starts as many due jobs as there are free runners. */
    void pump() {
        List<Job> started = new ArrayList<>();
        synchronized (lock) {
            long nanos = System.nanoTime();
            Instant now = clock.instant();
            // a job whose minimum queue time is not over keeps its place; a pump is scheduled for it
            for (Job j : waiting.takeFirst(runners - running, w -> nanos - eligibleAt.getOrDefault(w, nanos) >= 0)) {
                eligibleAt.remove(j);
                if (j.start(now)) {
                    running++;
                    started.add(j);
                }
            }
        }
        for (Job j : started) {
            // an invalid input is rejected by the model at once, it does not take the full run time
            Duration run = j.validationErrors.isEmpty() ? j.runTime : Duration.ZERO;
            schedule(() -> finishRun(j), run);
        }
        if (!started.isEmpty()) {
            queueMoved();
        }
    }

    private void queueMoved() {
        queueWatchers.forEach(Runnable::run);
    }

    private void finishRun(Job job) {
        try {
            workers.execute(() -> {
                Job.View v = job.view();
                if (v.state() != Job.State.IN_PROGRESS) {
                    return; // cancelled or reset meanwhile
                }
                Outcome outcome;
                Instant now = clock.instant();
                try {
                    outcome = model.run(job, v.startedAt(), now);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "Building the output of " + job.requestId + " failed", e);
                    outcome = Outcome.requestError(500, "internal_error", "Simulator error: " + e);
                }
                complete(job, outcome);
            });
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "Simulator closing; job " + job.requestId + " left unfinished", e);
        }
    }

    /** Cancel: true if it was queued or running (it completes as cancelled), false if already completed. */
    boolean cancel(Job job) {
        Job.State previous = job.cancel(clock.instant(), resultTtl);
        if (previous == null) {
            return false;
        }
        afterCompletion(job, previous);
        return true;
    }

    private void timeoutIfQueued(Job job) {
        Job.State previous = job.completeIfQueued(Outcome.userTimeout(), clock.instant(), resultTtl);
        if (previous != null) {
            afterCompletion(job, previous);
        }
    }

    private void complete(Job job, Outcome outcome) {
        Job.State previous = job.complete(outcome, clock.instant(), resultTtl);
        if (previous != null) {
            afterCompletion(job, previous);
        }
    }

    /** Frees the job's place in the queue or its runner, then lets the next job in. */
    private void afterCompletion(Job job, Job.State previous) {
        boolean leftQueue = false;
        synchronized (lock) {
            if (job.generation != generation) {
                return; // forgotten by reset(); its accounting is gone already
            }
            eligibleAt.remove(job);
            if (previous == Job.State.IN_QUEUE) {
                leftQueue = waiting.remove(job);
            } else if (previous == Job.State.IN_PROGRESS) {
                running--;
            }
        }
        if (leftQueue) {
            queueMoved();
        }
        onCompleted.accept(job);
        pump();
    }

    /** Forgets all jobs. Unfinished ones complete with an error, so their status streams end. */
    void reset() {
        List<Job> old;
        synchronized (lock) {
            generation++;
            waiting.clear();
            eligibleAt.clear();
            running = 0;
            old = new ArrayList<>(jobs.values());
            jobs.clear();
        }
        Instant now = clock.instant();
        for (Job j : old) {
            j.complete(Outcome.requestError(500, "internal_error", "The simulator was reset"), now, resultTtl);
            j.releaseImages();
        }
    }

    /** Drops rendered bytes of expired results, and forgets jobs an hour after their result expired. */
    void sweep() {
        Instant now = clock.instant();
        for (Job j : jobs.values()) {
            if (j.isExpired(now)) {
                j.releaseImages();
                Instant expiresAt = j.expiresAt();
                if (expiresAt != null && now.isAfter(expiresAt.plus(Duration.ofHours(1)))) {
                    jobs.remove(j.requestId, j);
                }
            }
        }
    }

    private void schedule(Runnable task, Duration delay) {
        Runnable logged = () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Scheduled simulator task failed", e);
            }
        };
        try {
            scheduler.schedule(logged, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "Simulator closing; task not scheduled", e);
        }
    }
}
