package io.github.fluxkontext.camel.support;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

import io.github.fluxkontext.camel.model.FluxKontextException;

/**
 * What an endpoint's jobs did, for JMX, the dev console and Micrometer: counters, the last errors with
 * their request ids, and the times of each finished wait. Never a key, never a URL's query.
 */
public final class JobStatistics {

    /** How many last errors are kept. */
    private static final int LAST_ERRORS = 10;

    /** One failure, as the dev console shows it. */
    public record LastError(Instant at, String requestId, String type, String message) {
    }

    /** Told of every submit and every finished wait; Micrometer meters are one. */
    interface Listener {
        void submitted();

        /**
         * @param failure       the exception's simple class name, or null for a success
         * @param inQueue       from the wait's start to the first IN_PROGRESS seen, or null
         * @param running       from the first IN_PROGRESS seen to COMPLETED seen, or null
         * @param afterComplete from COMPLETED seen to the exchange going on, or null
         */
        void finished(String failure, Duration inQueue, Duration running, Duration afterComplete);

        /**
         * @param billableUnits what fal bills for a job, or null when not known
         * @param inference     how long it ran at fal, or null when not known
         */
        void charged(BigDecimal billableUnits, Duration inference);
    }

    private final LongAdder submits = new LongAdder();
    private final LongAdder completions = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder fallbacks = new LongAdder();
    private final Map<String, LongAdder> failuresByType = new ConcurrentHashMap<>();
    private final Deque<LastError> lastErrors = new ArrayDeque<>();
    /** Exact, like the figures fal sends; guarded by itself (a sum per completed job is cheap). */
    private final Object costLock = new Object();
    private BigDecimal billableUnits = BigDecimal.ZERO;
    private final LongAdder billedJobs = new LongAdder();
    private final DoubleAdder inferenceSeconds = new DoubleAdder();
    private final LongAdder timedJobs = new LongAdder();
    private volatile Listener listener;

    void listener(Listener meters) {
        this.listener = meters;
    }

    public void submitted() {
        submits.increment();
        Listener l = listener;
        if (l != null) {
            l.submitted();
        }
    }

    /** A wait went on another way (a status stream that could not be used). */
    public void fellBack() {
        fallbacks.increment();
    }

    public void finished(String requestId, Throwable error, Duration inQueue, Duration running, Duration afterComplete) {
        String type = error == null ? null : error.getClass().getSimpleName();
        if (error == null) {
            completions.increment();
        } else {
            failures.increment();
            failuresByType.computeIfAbsent(type, t -> new LongAdder()).increment();
            String id = requestId != null ? requestId : error instanceof FluxKontextException fke ? fke.getRequestId() : null;
            synchronized (lastErrors) {
                lastErrors.addFirst(new LastError(Instant.now(), id, type, String.valueOf(error.getMessage())));
                if (lastErrors.size() > LAST_ERRORS) {
                    lastErrors.removeLast();
                }
            }
        }
        Listener l = listener;
        if (l != null) {
            l.finished(type, inQueue, running, afterComplete);
        }
    }

    /**
     * A completed job's cost and time, as far as fal reported them: added to the totals, and told to the meters.
     *
     * @param units   billable units, or null
     * @param seconds inference seconds, or null
     */
    public void charged(BigDecimal units, Double seconds) {
        if (units != null) {
            synchronized (costLock) {
                billableUnits = billableUnits.add(units);
            }
            billedJobs.increment();
        }
        Duration inference = null;
        if (seconds != null && seconds >= 0 && Double.isFinite(seconds)) {
            inferenceSeconds.add(seconds);
            timedJobs.increment();
            inference = Duration.ofNanos(Math.round(seconds * 1e9));
        }
        Listener l = listener;
        if (l != null && (units != null || inference != null)) {
            l.charged(units, inference);
        }
    }

    /** The billable units of the jobs whose result answer gave them. */
    public BigDecimal billableUnits() {
        synchronized (costLock) {
            return billableUnits;
        }
    }

    /** Jobs whose billable units are in {@link #billableUnits()}. */
    public long billedJobs() {
        return billedJobs.sum();
    }

    /** The inference seconds of the jobs whose time fal reported. */
    public double inferenceSeconds() {
        return inferenceSeconds.sum();
    }

    /** Jobs whose inference time is in {@link #inferenceSeconds()}. */
    public long timedJobs() {
        return timedJobs.sum();
    }

    public long submits() {
        return submits.sum();
    }

    public long completions() {
        return completions.sum();
    }

    public long failures() {
        return failures.sum();
    }

    public long fallbacks() {
        return fallbacks.sum();
    }

    public Map<String, Long> failuresByType() {
        Map<String, Long> out = new TreeMap<>();
        failuresByType.forEach((type, count) -> out.put(type, count.sum()));
        return out;
    }

    public List<LastError> lastErrors() {
        synchronized (lastErrors) {
            return List.copyOf(lastErrors);
        }
    }
}
