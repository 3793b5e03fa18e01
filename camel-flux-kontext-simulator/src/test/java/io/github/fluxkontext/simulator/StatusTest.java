package io.github.fluxkontext.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatusTest {

    private static final String T2I = "fal-ai/flux-pro/kontext/text-to-image";

    @Test
    void statusWalks202InQueueThen202InProgressThen200Completed() {
        try (FalSimulator sim = FalSimulator.builder().queueTime(Duration.ofMillis(300)).runTime(Duration.ofMillis(300))
                .imageScale(0.125).start()) {
            SimHttp http = new SimHttp(sim);
            String id = http.submitId(T2I, "{\"prompt\":\"walk\"}");
            String url = "/fal-ai/flux-pro/requests/" + id + "/status";
            HttpResponse<byte[]> queued = http.get(url);
            assertEquals(202, queued.statusCode());
            assertEquals("IN_QUEUE", SimHttp.json(queued).get("status"));
            assertEquals(0, SimHttp.json(queued).get("queue_position"));
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                    .until(() -> "IN_PROGRESS".equals(SimHttp.json(http.get(url)).get("status")));
            HttpResponse<byte[]> running = http.get(url);
            if ("IN_PROGRESS".equals(SimHttp.json(running).get("status"))) {
                assertEquals(202, running.statusCode());
                assertFalse(SimHttp.json(running).containsKey("queue_position"));
            }
            Map<String, Object> done = http.awaitCompleted("fal-ai/flux-pro", id);
            HttpResponse<byte[]> completed = http.get(url);
            assertEquals(200, completed.statusCode());
            assertEquals(id, completed.headers().firstValue("x-fal-request-id").orElseThrow());
            Map<?, ?> metrics = (Map<?, ?>) done.get("metrics");
            assertTrue(((Number) metrics.get("inference_time")).doubleValue() >= 0.25, metrics.toString());
            for (String k : List.of("request_id", "response_url", "status_url", "cancel_url")) {
                assertTrue(done.containsKey(k), k);
            }
            assertFalse(done.containsKey("error"));
        }
    }

    @Test
    void queuePositionsCountTheJobsAheadWithOneRunner() {
        try (FalSimulator sim = FalSimulator.builder().queueTime(Duration.ZERO).runTime(Duration.ofSeconds(30))
                .runners(1).imageScale(0.125).start()) {
            SimHttp http = new SimHttp(sim);
            String a = http.submitId(T2I, "{\"prompt\":\"a\"}");
            String b = http.submitId(T2I, "{\"prompt\":\"b\"}");
            String c = http.submitId(T2I, "{\"prompt\":\"c\"}");
            await().atMost(Duration.ofSeconds(5)).until(() -> "IN_PROGRESS".equals(status(http, a).get("status")));
            assertEquals(0, status(http, b).get("queue_position"));
            assertEquals(1, status(http, c).get("queue_position"));
            assertEquals(1, sim.job(c).orElseThrow().queuePosition());
            http.put("/fal-ai/flux-pro/requests/" + a + "/cancel", null);
            await().atMost(Duration.ofSeconds(5)).until(() -> "IN_PROGRESS".equals(status(http, b).get("status")));
            assertEquals(0, status(http, c).get("queue_position"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "true"})
    void logsAreFlatEntriesWhenAsked(String logs) {
        try (FalSimulator sim = FalSimulator.builder().queueTime(Duration.ZERO).runTime(Duration.ofMillis(20))
                .imageScale(0.125).start()) {
            SimHttp http = new SimHttp(sim);
            String id = http.submitId(T2I, "{\"prompt\":\"logs\"}");
            http.awaitCompleted("fal-ai/flux-pro", id);
            Map<String, Object> s = SimHttp.json(http.get("/fal-ai/flux-pro/requests/" + id + "/status?logs=" + logs));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> entries = (List<Map<String, Object>>) s.get("logs");
            assertFalse(entries.isEmpty());
            for (Map<String, Object> e : entries) {
                assertEquals(List.of("message", "level", "source", "timestamp"), List.copyOf(e.keySet()));
                assertEquals("USER", e.get("source"));
                java.time.Instant.parse((String) e.get("timestamp"));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"?logs=0", "?logs=false", ""})
    void logsAreNullWhenNotAsked(String query) {
        try (FalSimulator sim = FalSimulator.builder().queueTime(Duration.ZERO).runTime(Duration.ofMillis(20))
                .imageScale(0.125).start()) {
            SimHttp http = new SimHttp(sim);
            String id = http.submitId(T2I, "{\"prompt\":\"logs\"}");
            http.awaitCompleted("fal-ai/flux-pro", id);
            Map<String, Object> s = SimHttp.json(http.get("/fal-ai/flux-pro/requests/" + id + "/status" + query));
            assertTrue(s.containsKey("logs"));
            assertNull(s.get("logs"));
        }
    }

    @Test
    void unknownRequestIdIs404() {
        try (FalSimulator sim = FalSimulator.start()) {
            HttpResponse<byte[]> r = new SimHttp(sim).get("/fal-ai/flux-pro/requests/nope/status");
            assertEquals(404, r.statusCode());
            assertEquals(Map.of("detail", "Request not found"), SimHttp.json(r));
        }
    }

    private static Map<String, Object> status(SimHttp http, String id) {
        return SimHttp.json(http.get("/fal-ai/flux-pro/requests/" + id + "/status"));
    }
}
