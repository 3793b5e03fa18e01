package io.github.fluxkontext.benchmark;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How the harness and a client process talk: one line each way per step. The harness writes a command
 * to the client's stdin ({@code warmup <jobs>}, {@code throughput <jobs>}, {@code latency <jobs>}, {@code hold <jobs>},
 * {@code measure}, {@code exit}); the client answers on stdout with {@code @bench <event> <json>}
 * ({@code ready}, {@code done}, {@code submitted}, {@code measured}). Any other stdout line is the
 * client's own output, kept in its log. {@code fal-js-client.mjs} speaks the same.
 */
final class Protocol {

    static final String PREFIX = "@bench ";
    static final ObjectMapper JSON = new ObjectMapper();

    private Protocol() {
    }

    /** Writes one message (called by the client process, which owns its stdout). */
    static void send(PrintStream out, String event, Map<String, ?> fields) {
        try {
            out.println(PREFIX + event + " " + JSON.writeValueAsString(fields));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the " + event + " message", e);
        }
    }

    /** Wall-clock time in microseconds since the epoch: what the simulator's completedAt is compared with. */
    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
