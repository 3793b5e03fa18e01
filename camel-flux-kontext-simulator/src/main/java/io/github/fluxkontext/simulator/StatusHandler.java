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
        return statusReply(ctx, job, req.wantsLogs(), 0);
    }

    /** The job's status JSON; {@code code} 0 means fal's code (202 while waiting, 200 when done). */
    static Reply statusReply(SimulatorContext ctx, Job job, boolean logs, int code) {
        Job.View v = job.view();
        int status = code != 0 ? code : v.state() == Job.State.COMPLETED ? 200 : 202;
        return Reply.json(status, StatusJson.of(job, v, ctx.engine.queuePosition(job), ctx.urls, logs ? v.logs() : null))
                .requestId(job.requestId);
    }
}
