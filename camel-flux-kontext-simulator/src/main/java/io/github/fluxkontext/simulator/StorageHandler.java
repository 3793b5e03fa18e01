package io.github.fluxkontext.simulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * fal's upload flow as the JS client uses it (fal-protocol §9): {@code POST /storage/upload/initiate}
 * gives a signed upload URL and the final file URL; the bytes are then PUT to the signed URL.
 */
final class StorageHandler implements RouteHandler {

    private final SimulatorContext ctx;

    StorageHandler(SimulatorContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Reply handle(Request req, Route route) {
        return route.operation() == FalOperation.STORAGE_INITIATE ? initiate(req) : upload(req, route);
    }

    private Reply initiate(Request req) {
        JsonNode body;
        try {
            body = req.body().length == 0 ? Json.MAPPER.createObjectNode() : Json.readTree(req.body());
        } catch (IOException e) {
            return Reply.json(422, Json.validationBody(KontextValidator.jsonDecodeError("Invalid JSON body: "
                    + Json.shortMessage(e))));
        }
        if (!body.isObject()) {
            return Reply.json(422, Json.validationBody(List.of(Map.of("loc", List.of("body"),
                    "msg", "value is not a valid dict", "type", "type_error.dict"))));
        }
        String contentType = body.path("content_type").isTextual() ? body.path("content_type").asText() : null;
        String fileName = body.path("file_name").isTextual() && !body.path("file_name").asText().isBlank()
                ? body.path("file_name").asText() : "upload.bin";
        fileName = fileName.replace('/', '_').replace('\\', '_');
        FileStore.Upload u = ctx.uploads.initiate(contentType, fileName);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("upload_url", ctx.urls.uploadUrl(u.id, u.signature));
        answer.put("file_url", ctx.urls.uploadedFileUrl(u.id, fileName));
        return Reply.json(200, answer);
    }

    private Reply upload(Request req, Route route) {
        String signature = req.queryParam("signature");
        return switch (ctx.uploads.put(route.path(), signature == null ? "" : signature, req.body(),
                req.header("Content-Type"))) {
            case STORED -> Reply.empty(200);
            case BAD_SIGNATURE -> Reply.json(403, Json.detail("Invalid upload signature"));
            case NOT_FOUND -> Reply.json(404, Json.detail("Upload not found"));
        };
    }
}
