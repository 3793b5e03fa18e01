package io.github.fluxkontext.simulator;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CancelTest {

    private static final String T2I = "fal-ai/flux-pro/kontext/text-to-image";

    private static FalSimulator slow() {
        return FalSimulator.builder().queueTime(Duration.ofSeconds(30)).runTime(Duration.ofSeconds(30))
                .imageScale(0.125).start();
    }

    @Test
    void cancelOfAQueuedJobIsAcceptedAndTheJobCompletesCancelled() {
        try (FalSimulator sim = slow()) {
            SimHttp http = new SimHttp(sim);
            String id = http.submitId(T2I, "{\"prompt\":\"c\"}");
            HttpResponse<byte[]> r = http.put("/fal-ai/flux-pro/requests/" + id + "/cancel", null);
            assertEquals(202, r.statusCode());
            assertEquals(Map.of("status", "CANCELLATION_REQUESTED"), SimHttp.json(r));
            Map<String, Object> status = http.awaitCompleted("fal-ai/flux-pro", id);
            assertEquals("Request was cancelled", status.get("error"));
            assertEquals("client_cancelled", status.get("error_type"));
            HttpResponse<byte[]> result = http.get("/fal-ai/flux-pro/requests/" + id);
            assertEquals(499, result.statusCode());
            assertEquals("client_cancelled", result.headers().firstValue("x-fal-error-type").orElseThrow());
            assertTrue(sim.job(id).orElseThrow().cancelled());
        }
    }

    @Test
    void cancelOfARunningJobIsAccepted() {
        try (FalSimulator sim = FalSimulator.builder().queueTime(Duration.ZERO).runTime(Duration.ofSeconds(30))
                .imageScale(0.125).start()) {
            SimHttp http = new SimHttp(sim);
            String id = http.submitId(T2I, "{\"prompt\":\"c\"}");
            await().atMost(Duration.ofSeconds(5)).until(() -> sim.job(id).orElseThrow().status().equals("IN_PROGRESS"));
            assertEquals(202, http.put("/fal-ai/flux-pro/requests/" + id + "/cancel", null).statusCode());
            assertEquals("client_cancelled", http.awaitCompleted("fal-ai/flux-pro", id).get("error_type"));
        }
    }

    @Test
    void cancelOfACompletedJobIsRefused() {
        try (FalSimulator sim = FalSimulator.builder().queueTime(Duration.ZERO).runTime(Duration.ZERO)
                .imageScale(0.125).start()) {
            SimHttp http = new SimHttp(sim);
            String id = http.submitId(T2I, "{\"prompt\":\"c\"}");
            http.awaitCompleted("fal-ai/flux-pro", id);
            HttpResponse<byte[]> r = http.put("/fal-ai/flux-pro/requests/" + id + "/cancel", null);
            assertEquals(400, r.statusCode());
            assertEquals(Map.of("status", "ALREADY_COMPLETED"), SimHttp.json(r));
            assertEquals(200, http.get("/fal-ai/flux-pro/requests/" + id).statusCode());
        }
    }

    @Test
    void cancelOfAnUnknownJobIs404() {
        try (FalSimulator sim = FalSimulator.start()) {
            HttpResponse<byte[]> r = new SimHttp(sim).put("/fal-ai/flux-pro/requests/nope/cancel", null);
            assertEquals(404, r.statusCode());
            assertEquals(Map.of("status", "NOT_FOUND"), SimHttp.json(r));
        }
    }
}
