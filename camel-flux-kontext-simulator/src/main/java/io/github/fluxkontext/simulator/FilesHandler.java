package io.github.fluxkontext.simulator;

/** {@code GET /files/...}: output images (rendered on first request) and uploaded files. No auth, like a CDN. */
final class FilesHandler implements RouteHandler {

    private final SimulatorContext ctx;

    FilesHandler(SimulatorContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Reply handle(Request req, Route route) {
        FileLookup.Result r = ctx.files.find(route.path());
        if (r instanceof FileLookup.Found f) {
            return Reply.bytes(200, f.contentType(), f.bytes()).header("Cache-Control", "public, max-age=3600");
        }
        if (r instanceof FileLookup.Expired) {
            return Reply.json(404, Json.detail("File has expired"));
        }
        return Reply.json(404, Json.detail("File not found"));
    }
}
