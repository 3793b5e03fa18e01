package io.github.fluxkontext.simulator;

/**
 * {@code GET {app}/requests/{id}/status/stream}: server-sent events, one {@code data:} status object
 * per change (the first at once), a {@code : ping} comment when quiet, closed after COMPLETED. The
 * handler only sends the headers; {@link EventStreams} writes the events later, holding no thread.
 */
final class StreamHandler implements RouteHandler {

    private final SimulatorContext ctx;
    private final EventStreams streams;

    StreamHandler(SimulatorContext ctx, EventStreams streams) {
        this.ctx = ctx;
        this.streams = streams;
    }

    @Override
    public Reply handle(Request req, Route route) {
        return handle(req, route, null);
    }

    @Override
    public Reply handle(Request req, Route route, Fault fault) {
        Job job = ctx.job(route);
        if (job == null) {
            return Reply.json(404, Json.detail("Request not found"));
        }
        StreamFault misbehave = fault == null ? null : fault.stream();
        if (misbehave != null && misbehave.kind() == StreamFault.Kind.NOT_EVENT_STREAM) {
            return StatusHandler.statusReply(ctx, job, req.wantsLogs(), 200);
        }
        boolean logs = req.wantsLogs();
        return Reply.eventStream(connection -> streams.open(job, logs, misbehave, connection))
                .header("Cache-Control", "no-cache")
                .requestId(job.requestId);
    }
}
