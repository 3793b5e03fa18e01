package io.github.fluxkontext.simulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * One queued request and its state machine: IN_QUEUE -> IN_PROGRESS -> COMPLETED, or straight from
 * IN_QUEUE to COMPLETED (cancel, start timeout, reset). COMPLETED is final; a failed job is COMPLETED
 * with an error, as on fal. Transitions lock only this job; listeners (SSE streams) are told after.
 */
final class Job {

    enum State { IN_QUEUE, IN_PROGRESS, COMPLETED }

    record LogEntry(String message, String level, Instant timestamp) {
    }

    /** A consistent copy of the mutable state. */
    record View(State state, Outcome outcome, List<LogEntry> logs, Instant startedAt, Instant completedAt,
                boolean cancelled) {
    }

    final String requestId;
    final EndpointId endpoint;
    final JsonNode inputNode;
    final Map<String, Object> input;
    final List<Map<String, Object>> validationErrors;
    final long seed;
    final boolean lowPriority;
    final long seq;
    final int generation;
    final Instant createdAt;
    final Duration runTime;
    final String webhookUrl;
    /** How long the output files stay downloadable after completion ({@code X-Fal-Object-Lifecycle-Preference}), or null. */
    final Duration mediaLifetime;

    private State state = State.IN_QUEUE;
    private Instant startedAt;
    private Instant completedAt;
    private Instant expiresAt;
    private Outcome outcome;
    private boolean cancelled;
    private boolean forcedExpiry;
    private final List<LogEntry> logs = new ArrayList<>();

    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Job> done = new CompletableFuture<>();
    private final Map<Integer, CompletableFuture<byte[]>> rendered = new ConcurrentHashMap<>();

    Job(String requestId, EndpointId endpoint, JsonNode inputNode, Map<String, Object> input,
        List<Map<String, Object>> validationErrors, long seed, boolean lowPriority, long seq, int generation,
        Instant createdAt, Duration runTime, String webhookUrl, Duration mediaLifetime) {
        this.requestId = requestId;
        this.endpoint = endpoint;
        this.inputNode = inputNode;
        this.input = Collections.unmodifiableMap(input);
        this.validationErrors = List.copyOf(validationErrors);
        this.seed = seed;
        this.lowPriority = lowPriority;
        this.seq = seq;
        this.generation = generation;
        this.createdAt = createdAt;
        this.runTime = runTime;
        this.webhookUrl = webhookUrl;
        this.mediaLifetime = mediaLifetime;
    }

    /** IN_QUEUE -> IN_PROGRESS; false if the job is not queued any more. */
    boolean start(Instant now) {
        synchronized (this) {
            if (state != State.IN_QUEUE) {
                return false;
            }
            state = State.IN_PROGRESS;
            startedAt = now;
            logs.add(new LogEntry("Runner picked up the request", "INFO", now));
            logs.add(new LogEntry("Generating with " + endpoint.id() + " (simulated)", "INFO", now));
        }
        fire();
        return true;
    }

    /** Any -> COMPLETED; returns the state it left, or null if it was already COMPLETED. */
    State complete(Outcome o, Instant now, Duration ttl) {
        return finish(o, now, ttl, false, false);
    }

    /** IN_QUEUE -> COMPLETED only (start timeout); returns IN_QUEUE, or null if it had left the queue. */
    State completeIfQueued(Outcome o, Instant now, Duration ttl) {
        return finish(o, now, ttl, true, false);
    }

    /** Cancel: queued or running -> COMPLETED with the cancel outcome; null if already COMPLETED. */
    State cancel(Instant now, Duration ttl) {
        return finish(Outcome.cancelled(), now, ttl, false, true);
    }

    private State finish(Outcome o, Instant now, Duration ttl, boolean onlyIfQueued, boolean cancel) {
        State previous;
        synchronized (this) {
            if (state == State.COMPLETED || (onlyIfQueued && state != State.IN_QUEUE)) {
                return null;
            }
            previous = state;
            state = State.COMPLETED;
            outcome = o;
            completedAt = now;
            expiresAt = now.plus(ttl);
            cancelled = cancel;
            logs.add(o.failed()
                    ? new LogEntry(o.error(), "ERROR", now)
                    : new LogEntry("Generated " + o.images().size() + " image(s)", "INFO", now));
        }
        fire();
        done.complete(this);
        return previous;
    }

    synchronized State state() {
        return state;
    }

    synchronized View view() {
        return new View(state, outcome, List.copyOf(logs), startedAt, completedAt, cancelled);
    }

    synchronized boolean isExpired(Instant now) {
        return state == State.COMPLETED && (forcedExpiry || !now.isBefore(expiresAt));
    }

    /** Whether the submit's media lifetime is over, so the output files are gone (the result stays). */
    synchronized boolean isMediaExpired(Instant now) {
        return mediaLifetime != null && completedAt != null && !now.isBefore(completedAt.plus(mediaLifetime));
    }

    synchronized Instant expiresAt() {
        return expiresAt;
    }

    void expireNow() {
        synchronized (this) {
            forcedExpiry = true;
        }
        releaseImages();
    }

    /** Completes when the job reaches COMPLETED. */
    CompletableFuture<Job> done() {
        return done;
    }

    void addListener(Runnable r) {
        listeners.add(r);
    }

    void removeListener(Runnable r) {
        listeners.remove(r);
    }

    /** Tells listeners to look again (state, queue position or logs may have changed). */
    void fire() {
        for (Runnable r : listeners) {
            r.run();
        }
    }

    /** The encoded bytes of output image {@code index}, rendered on first use and then cached. */
    byte[] image(int index, Function<ImageSpec, byte[]> renderer) {
        Outcome o;
        synchronized (this) {
            o = outcome;
        }
        if (o == null || index < 0 || index >= o.images().size()) {
            throw new IllegalArgumentException("No image " + index + " for " + requestId);
        }
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> existing = rendered.putIfAbsent(index, mine);
        if (existing != null) {
            return existing.join();
        }
        try {
            mine.complete(renderer.apply(o.images().get(index)));
        } catch (RuntimeException e) {
            rendered.remove(index, mine);
            mine.completeExceptionally(e);
            throw e;
        }
        return mine.join();
    }

    /** Stores already-rendered bytes (sync_mode renders at completion). */
    void putImage(int index, byte[] bytes) {
        rendered.put(index, CompletableFuture.completedFuture(bytes));
    }

    void releaseImages() {
        rendered.clear();
    }
}
