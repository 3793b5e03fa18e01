package io.github.fluxkontext.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a handler answers; the router decides whether it is sent or the connection is dropped. */
final class Reply {

    /** Writes a streamed body (SSE) on the handler's thread until it is done. */
    interface StreamBody {
        void writeTo(OutputStream out) throws IOException;
    }

    static final String REQUEST_ID_HEADER = "x-fal-request-id";

    final int status;
    final Map<String, String> headers = new LinkedHashMap<>();
    final byte[] body;
    final StreamBody stream;

    private Reply(int status, String contentType, byte[] body, StreamBody stream) {
        this.status = status;
        this.body = body;
        this.stream = stream;
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
    }

    static Reply json(int status, Object value) {
        return new Reply(status, "application/json", Json.write(value), null);
    }

    static Reply rawJson(int status, String json) {
        return new Reply(status, "application/json", json.getBytes(StandardCharsets.UTF_8), null);
    }

    static Reply bytes(int status, String contentType, byte[] body) {
        return new Reply(status, contentType, body, null);
    }

    static Reply empty(int status) {
        return new Reply(status, null, new byte[0], null);
    }

    static Reply stream(String contentType, StreamBody body) {
        return new Reply(200, contentType, new byte[0], body);
    }

    Reply header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    Reply requestId(String id) {
        return header(REQUEST_ID_HEADER, id);
    }

    String requestIdHeader() {
        return headers.get(REQUEST_ID_HEADER);
    }
}
