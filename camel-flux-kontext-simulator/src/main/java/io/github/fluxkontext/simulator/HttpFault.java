package io.github.fluxkontext.simulator;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an injected fault does to an HTTP request: answer late, answer another status/body, add
 * headers, or drop the connection before or after handling. Immutable; {@link Fault} builds it.
 *
 * @param status     the status to answer instead, or null
 * @param body       the JSON body to answer instead of the fal-style default, or null
 * @param headers    headers added to the answer
 * @param dropBefore close the connection without handling the request
 * @param dropAfter  handle the request, then close the connection without answering
 * @param delay      wait this long before going on, or null
 */
record HttpFault(Integer status, String body, Map<String, String> headers, boolean dropBefore, boolean dropAfter,
                 Duration delay) {

    static final HttpFault NONE = new HttpFault(null, null, Map.of(), false, false, null);

    HttpFault withStatus(int code) {
        return new HttpFault(code, body, headers, dropBefore, dropAfter, delay);
    }

    HttpFault withBody(String json) {
        return new HttpFault(status, json, headers, dropBefore, dropAfter, delay);
    }

    HttpFault withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpFault(status, body, Collections.unmodifiableMap(h), dropBefore, dropAfter, delay);
    }

    HttpFault droppingBefore() {
        return new HttpFault(status, body, headers, true, dropAfter, delay);
    }

    HttpFault droppingAfter() {
        return new HttpFault(status, body, headers, dropBefore, true, delay);
    }

    HttpFault withDelay(Duration d) {
        return new HttpFault(status, body, headers, dropBefore, dropAfter, d);
    }

    /** Whether it changes anything but the headers (a fault with no effect at all answers a plain 500). */
    boolean hasEffect() {
        return status != null || body != null || dropBefore || dropAfter || delay != null;
    }

    int effectiveStatus() {
        return status != null ? status : 500;
    }
}
