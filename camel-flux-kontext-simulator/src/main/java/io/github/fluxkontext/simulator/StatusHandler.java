package io.github.fluxkontext.simulator;

/** {@code GET {app}/requests/{id}/status}: 202 while queued or running, 200 when completed. */
final class StatusHandler implements RouteHandler {

    private final SimulatorContext ctx;

    StatusHandler(SimulatorContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Reply handle(Request req, Route route) {
        Job job = ctx.job(route);
        if (job == null) {
            return Reply.json(404, Json.detail("Request not found"));
        }
        Job.View v = job.view();
        int position = ctx.engine.queuePosition(job);
        return Reply.json(v.state() == Job.State.COMPLETED ? 200 : 202,
                        StatusJson.of(job, v, position, ctx.urls, req.wantsLogs() ? v.logs() : null))
                .requestId(job.requestId);
    }
}
