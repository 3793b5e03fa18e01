package io.github.fluxkontext.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One request the simulator received, with the status it answered.
 *
 * @param at        when the request arrived
 * @param operation what the simulator took it for
 * @param method    HTTP method
 * @param path      the routed path (taken from {@code X-Fal-Target-Url} when a proxy-style client sent one)
 * @param query     the raw query string, or null
 * @param headers   request headers; use {@link #header(String)} for case-insensitive access
 * @param body      the raw request body (empty if none)
 * @param status    the HTTP status answered, or -1 if the connection was dropped instead
 * @param requestId the fal request id concerned (the new job's id for a submit), or null
 */
public record JournalEntry(Instant at, FalOperation operation, String method, String path, String query,
                           Map<String, List<String>> headers, byte[] body, int status, String requestId) {

    /** The first value of a request header, matched case-insensitively, or null. */
    public String header(String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }

    /** The body decoded as UTF-8. */
    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The body parsed as a JSON object; an empty body gives an empty map.
     *
     * @throws IllegalStateException if the body is not a JSON object
     */
    public Map<String, Object> bodyAsJson() {
        if (body.length == 0) {
            return Map.of();
        }
        return Json.parseObject(body);
    }

    @Override
    public String toString() {
        return "JournalEntry[" + at + " " + operation + " " + method + " " + path
                + (query == null ? "" : "?" + query) + " -> " + status
                + (requestId == null ? "" : " (" + requestId + ")") + "]";
    }
}
