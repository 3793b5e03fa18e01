package io.github.fluxkontext.simulator;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One open status stream and its state machine: OPEN until the COMPLETED event went out (the body
 * then ends), a write failed (the client went away), a fault cut it, or the simulator closed or
 * reset. It holds no thread: job changes, queue moves and the ping timer queue a flush on the stream
 * pool, at most one at a time, and writes are serialised on this object.
 */
final class EventStream {

    private static final System.Logger LOG = System.getLogger(EventStream.class.getName());
    /**
     * A change of queue position alone is sent at most this often: with thousands of streams on a
     * moving queue, one event per move would keep the CPU busy writing them. A change of status or
     * new logs go out at once.
     */
    static final Duration POSITION_INTERVAL = Duration.ofMillis(250);
    /** Timers may fire a little early; a ping that is due within this is sent. */
    private static final long PING_SLACK_NANOS = Duration.ofMillis(1).toNanos();

    private final Job job;
    private final boolean withLogs;
    private final StreamFault fault; // BREAK or SILENT, else null
    private final StreamConnection connection;
    private final EventStreams hub;
    private final AtomicBoolean flushQueued = new AtomicBoolean();
    private final AtomicBoolean positionFlushTimed = new AtomicBoolean();
    private final Runnable onChange = this::changed;
    private final Runnable onQueueMove = this::queueMoved;

    // guarded by this
    private boolean closed;
    private Job.State sentState;
    private int sentPosition = -1;
    private int logsSent;
    private int eventsSent;
    private long lastWriteNanos;
    private long lastEventNanos;
    private ScheduledFuture<?> pingTimer;

    EventStream(Job job, boolean withLogs, StreamFault fault, StreamConnection connection, EventStreams hub) {
        this.job = job;
        this.withLogs = withLogs;
        this.fault = fault;
        this.connection = connection;
        this.hub = hub;
    }

    synchronized void start() {
        lastWriteNanos = System.nanoTime(); // the headers just went out
        if (isSilent()) {
            return; // nothing to watch, nothing to write: only reset() or close() ends it
        }
        if (fault != null && fault.events() == 0) {
            close(true);
            return;
        }
        job.addListener(onChange);
        hub.engine.watchQueue(onQueueMove);
        changed(); // the first event goes out at once
        schedulePing(hub.keepAliveNanos);
    }

    boolean isSilent() {
        return fault != null && fault.kind() == StreamFault.Kind.SILENT;
    }

    /** While a position event is timed anyway, queue moves need no flush (thousands of streams watch the queue). */
    private void queueMoved() {
        if (!positionFlushTimed.get()) {
            changed();
        }
    }

    /** Something may have changed: queue one flush unless one is queued already. */
    private void changed() {
        if (flushQueued.compareAndSet(false, true)) {
            hub.execute(this::flush);
        }
    }

    private synchronized void flush() {
        flushQueued.set(false);
        if (closed) {
            return;
        }
        Job.View v = job.view();
        int position = hub.engine.queuePosition(job);
        // Each event carries only the log entries not sent before: the JS client accumulates them
        // itself (inferred from its code; fal does not document it -- unsettled).
        List<Job.LogEntry> newLogs = withLogs
                ? v.logs().subList(Math.min(logsSent, v.logs().size()), v.logs().size()) : List.of();
        if (v.state() == sentState && newLogs.isEmpty() && (position == sentPosition || positionMustWait())) {
            return;
        }
        if (v.state() == Job.State.COMPLETED && fault != null) {
            close(true); // a breaking stream never tells of completion
            return;
        }
        Map<String, Object> status = StatusJson.of(job, v, position, hub.urls, withLogs ? newLogs : null);
        if (!write("data: " + Json.writeString(status) + "\n\n")) {
            return;
        }
        sentState = v.state();
        sentPosition = position;
        logsSent = v.logs().size();
        eventsSent++;
        lastEventNanos = lastWriteNanos;
        if (v.state() != Job.State.IN_QUEUE) {
            hub.engine.unwatchQueue(onQueueMove);
        }
        if (v.state() == Job.State.COMPLETED) {
            close(false);
        } else if (fault != null && eventsSent >= fault.events()) {
            close(true);
        }
    }

    /** True if a position-only event is too soon after the last event; a flush is then timed for when it is due. */
    private boolean positionMustWait() {
        long wait = lastEventNanos + POSITION_INTERVAL.toNanos() - System.nanoTime();
        if (wait <= 0) {
            return false;
        }
        if (positionFlushTimed.compareAndSet(false, true)) {
            hub.schedule(() -> {
                positionFlushTimed.set(false);
                changed();
            }, wait);
        }
        return true;
    }

    private synchronized void ping() {
        if (closed) {
            return;
        }
        long quiet = System.nanoTime() - lastWriteNanos;
        if (quiet >= hub.keepAliveNanos - PING_SLACK_NANOS) {
            if (!write(": ping\n\n")) {
                return;
            }
            quiet = 0;
        }
        schedulePing(hub.keepAliveNanos - quiet);
    }

    private void schedulePing(long delayNanos) {
        // the timer only hands over to the pool: the scheduler thread never waits for this stream's lock
        pingTimer = hub.schedule(() -> hub.execute(this::ping), delayNanos);
    }

    /** False if the client went away (the stream is closed then). */
    private boolean write(String text) {
        try {
            connection.write(text);
            lastWriteNanos = System.nanoTime();
            return true;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "Status stream of " + job.requestId + " closed: the client went away", e);
            close(true);
            return false;
        }
    }

    /** Ends the stream: cleanly (the body ends) or, with {@code abort}, by closing the connection mid-body. */
    synchronized void close(boolean abort) {
        if (closed) {
            return;
        }
        closed = true;
        job.removeListener(onChange);
        hub.engine.unwatchQueue(onQueueMove);
        if (pingTimer != null) {
            pingTimer.cancel(false);
        }
        hub.closed(this);
        if (abort) {
            connection.abort();
        } else {
            connection.finish();
        }
    }
}
