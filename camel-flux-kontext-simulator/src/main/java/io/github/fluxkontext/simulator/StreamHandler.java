package io.github.fluxkontext.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET {app}/requests/{id}/status/stream}: server-sent events, one {@code data:} status object
 * per change (the first at once), a {@code : ping} comment when quiet, closed after COMPLETED.
 * The stream holds its HTTP thread; it waits on a signal queue, never sleeps.
 */
final class StreamHandler implements RouteHandler {

    private static final System.Logger LOG = System.getLogger(StreamHandler.class.getName());

    private final SimulatorContext ctx;

    StreamHandler(SimulatorContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Reply handle(Request req, Route route) {
        Job job = ctx.job(route);
        if (job == null) {
            return Reply.json(404, Json.detail("Request not found"));
        }
        boolean logs = req.wantsLogs();
        return Reply.stream("text/event-stream", out -> stream(job, logs, out))
                .header("Cache-Control", "no-cache")
                .requestId(job.requestId);
    }

    private void stream(Job job, boolean withLogs, OutputStream out) throws IOException {
        BlockingQueue<Boolean> signal = new ArrayBlockingQueue<>(1);
        Runnable listener = () -> signal.offer(Boolean.TRUE); // a full queue already means "look again"
        job.addListener(listener);
        try {
            String lastStatus = null;
            int logsSent = 0;
            long keepAliveNanos = ctx.config.sseKeepAlive().toNanos();
            while (!ctx.closing()) {
                Job.View v = job.view();
                int position = ctx.engine.queuePosition(job);
                // Each event carries only the log entries not sent before: the JS client accumulates
                // them itself (inferred from its code; fal does not document it -- unsettled).
                List<Job.LogEntry> newLogs = v.logs().subList(Math.min(logsSent, v.logs().size()), v.logs().size());
                Map<String, Object> status = StatusJson.of(job, v, position, ctx.urls, null);
                String statusJson = Json.writeString(status);
                if (!statusJson.equals(lastStatus) || (withLogs && !newLogs.isEmpty())) {
                    if (withLogs) {
                        status = StatusJson.of(job, v, position, ctx.urls, newLogs);
                    }
                    write(out, "data: " + Json.writeString(status) + "\n\n");
                    lastStatus = statusJson;
                    logsSent = v.logs().size();
                }
                if (v.state() == Job.State.COMPLETED) {
                    return;
                }
                if (signal.poll(keepAliveNanos, TimeUnit.NANOSECONDS) == null) {
                    write(out, ": ping\n\n");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.log(System.Logger.Level.DEBUG, "SSE stream of {0} interrupted (simulator closing)", job.requestId);
        } finally {
            job.removeListener(listener);
        }
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
