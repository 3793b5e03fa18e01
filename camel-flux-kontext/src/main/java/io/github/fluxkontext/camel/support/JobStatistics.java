package io.github.fluxkontext.camel.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
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
    }

    private final LongAdder submits = new LongAdder();
    private final LongAdder completions = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder fallbacks = new LongAdder();
    private final Map<String, LongAdder> failuresByType = new ConcurrentHashMap<>();
    private final Deque<LastError> lastErrors = new ArrayDeque<>();
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
