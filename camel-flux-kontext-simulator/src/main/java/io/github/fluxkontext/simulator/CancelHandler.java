package io.github.fluxkontext.simulator;

/**
 * {@code PUT {app}/requests/{id}/cancel}. 202/400/404 per the commonly cited mapping (fal-protocol §5;
 * partly unsettled). A running job is stopped at once here; fal leaves that to the app.
 */
final class CancelHandler implements RouteHandler {

    private final SimulatorContext ctx;

    CancelHandler(SimulatorContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Reply handle(Request req, Route route) {
        Job job = ctx.job(route);
        if (job == null) {
            return Reply.json(404, Json.status("NOT_FOUND"));
        }
        return ctx.engine.cancel(job)
                ? Reply.json(202, Json.status("CANCELLATION_REQUESTED")).requestId(job.requestId)
                : Reply.json(400, Json.status("ALREADY_COMPLETED")).requestId(job.requestId);
    }
}
