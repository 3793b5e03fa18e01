package io.github.fluxkontext.simulator;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * What a handler answers; the router decides whether it is sent or the connection is dropped. Three
 * kinds: a body sent at once; an event stream, which the router opens and then hands over; an answer
 * that is not known yet (no thread waits for it).
 */
final class Reply {

    /** Takes over an event stream once its headers went out; it writes and ends it later, on other threads. */
    interface StreamOpener {
        void open(StreamConnection connection);
    }

    static final String REQUEST_ID_HEADER = "x-fal-request-id";

    final int status;
    final Map<String, String> headers = new LinkedHashMap<>();
    final byte[] body;
    final StreamOpener stream;
    final CompletionStage<Reply> later;

    private Reply(int status, String contentType, byte[] body, StreamOpener stream, CompletionStage<Reply> later) {
        this.status = status;
        this.body = body;
        this.stream = stream;
        this.later = later;
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
    }

    static Reply json(int status, Object value) {
        return new Reply(status, "application/json", Json.write(value), null, null);
    }

    static Reply rawJson(int status, String json) {
        return new Reply(status, "application/json", json.getBytes(StandardCharsets.UTF_8), null, null);
    }

    static Reply bytes(int status, String contentType, byte[] body) {
        return new Reply(status, contentType, body, null, null);
    }

    static Reply empty(int status) {
        return new Reply(status, null, new byte[0], null, null);
    }

    /** A 200 {@code text/event-stream}; {@code opener} gets the connection once the headers are sent. */
    static Reply eventStream(StreamOpener opener) {
        return new Reply(200, "text/event-stream", new byte[0], opener, null);
    }

    /** The answer {@code answer} completes with (sent from the HTTP pool then). */
    static Reply later(CompletionStage<Reply> answer) {
        return new Reply(0, null, new byte[0], null, answer);
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
