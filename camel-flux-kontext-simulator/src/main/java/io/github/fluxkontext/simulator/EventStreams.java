package io.github.fluxkontext.simulator;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The open status streams and what they share: a small pool that writes their events (a few
 * threads, however many streams are open), the scheduler for their timers, and the count tests read.
 */
final class EventStreams {

    private static final System.Logger LOG = System.getLogger(EventStreams.class.getName());

    final JobEngine engine;
    final Urls urls;
    final long keepAliveNanos;
    private final ExecutorService pool;
    private final ScheduledExecutorService scheduler;
    private final Set<EventStream> open = ConcurrentHashMap.newKeySet();

    EventStreams(JobEngine engine, Urls urls, long keepAliveNanos, ExecutorService pool,
                 ScheduledExecutorService scheduler) {
        this.engine = engine;
        this.urls = urls;
        this.keepAliveNanos = keepAliveNanos;
        this.pool = pool;
        this.scheduler = scheduler;
    }

    /** Takes over a connection whose headers went out, and streams the job's status on it. */
    void open(Job job, boolean withLogs, StreamFault fault, StreamConnection connection) {
        EventStream stream = new EventStream(job, withLogs, fault, connection, this);
        open.add(stream);
        stream.start();
    }

    /** Streams open now (silent ones included). */
    int count() {
        return open.size();
    }

    void closed(EventStream stream) {
        open.remove(stream);
    }

    /** reset(): silent streams have no job change to end them, so they end here. */
    void abortSilent() {
        open.stream().filter(EventStream::isSilent).forEach(s -> s.close(true));
    }

    /** The simulator stops: every stream ends, abruptly. */
    void abortAll() {
        open.forEach(s -> s.close(true));
    }

    void execute(Runnable task) {
        try {
            pool.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "Simulator closing; status stream work dropped", e);
        }
    }

    /** Null if the simulator is closing. */
    ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        try {
            return scheduler.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "Simulator closing; status stream timer dropped", e);
            return null;
        }
    }
}
