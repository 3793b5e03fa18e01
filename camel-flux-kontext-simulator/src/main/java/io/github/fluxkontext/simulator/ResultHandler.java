package io.github.fluxkontext.simulator;

/** {@code GET {app}/requests/{id}}: the model's answer, stored when the job completed. */
final class ResultHandler implements RouteHandler {

    private final SimulatorContext ctx;

    ResultHandler(SimulatorContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Reply handle(Request req, Route route) {
        Job job = ctx.job(route);
        if (job == null) {
            return Reply.json(404, Json.detail("Request not found"));
        }
        Job.View v = job.view();
        if (v.state() != Job.State.COMPLETED) {
            // Unsettled: fal does not document this; 202 + the current status is what a live-checked
            // mock (aimock) answers, and no official client asks before seeing COMPLETED.
            return Reply.json(202, StatusJson.of(job, v, ctx.engine.queuePosition(job), ctx.urls, null))
                    .requestId(job.requestId);
        }
        if (job.isExpired(ctx.clock.instant())) {
            // Unsettled: fal's answer for an expired result is not documented; a 404 with a detail
            // tells clients the result is gone without inviting a retry.
            return Reply.json(404, Json.detail("Request result has expired")).requestId(job.requestId);
        }
        return outcomeReply(job, v.outcome());
    }

    static Reply outcomeReply(Job job, Outcome o) {
        Reply r = Reply.json(o.httpStatus(), o.body()).requestId(job.requestId);
        o.headers().forEach(r::header);
        return r;
    }
}
