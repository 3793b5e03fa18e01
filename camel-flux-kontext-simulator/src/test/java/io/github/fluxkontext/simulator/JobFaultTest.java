package io.github.fluxkontext.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobFaultTest {

    private static final String T2I = "fal-ai/flux-pro/kontext/text-to-image";

    @RegisterExtension
    static final FalSimulatorExtension FAL = FalSimulatorExtension.create(b -> b
            .queueTime(Duration.ZERO).runTime(Duration.ofMillis(20)).imageScale(0.125));

    @Test
    void failJobCompletesTheJobWithThatError(FalSimulator sim) {
        sim.faults().add(Fault.on(FalOperation.JOB).failJob(503, "runner_disconnected", "Runner disconnected"));
        SimHttp http = new SimHttp(sim);
        String id = http.submitId(T2I, "{\"prompt\":\"fail\"}");
        Map<String, Object> status = http.awaitCompleted("fal-ai/flux-pro", id);
        assertEquals("Runner disconnected", status.get("error"));
        assertEquals("runner_disconnected", status.get("error_type"));
        HttpResponse<byte[]> r = http.get("/fal-ai/flux-pro/requests/" + id);
        assertEquals(503, r.statusCode());
        assertEquals(Map.of("detail", "Runner disconnected", "error_type", "runner_disconnected"), SimHttp.json(r));
        assertEquals("runner_disconnected", r.headers().firstValue("X-Fal-Error-Type").orElseThrow());
        assertEquals(id, r.headers().firstValue("x-fal-request-id").orElseThrow());
        assertEquals("runner_disconnected", sim.job(id).orElseThrow().errorType());
        assertTrue(sim.job(id).orElseThrow().imageUrls().isEmpty());
        // the next job is fine again
        String next = http.submitId(T2I, "{\"prompt\":\"ok\"}");
        assertEquals(200, http.result("fal-ai/flux-pro", next).statusCode());
    }

    @Test
    void failJobForOneRequestId(FalSimulator sim) {
        sim.setTimings(Duration.ofMillis(300), Duration.ofMillis(20));
        try {
            SimHttp http = new SimHttp(sim);
            String a = http.submitId(T2I, "{\"prompt\":\"a\"}");
            String b = http.submitId(T2I, "{\"prompt\":\"b\"}");
            sim.faults().add(Fault.on(FalOperation.JOB).failJob(500, "runner_server_error", "boom").forRequestId(b));
            assertEquals(200, http.result("fal-ai/flux-pro", a).statusCode());
            assertEquals(500, http.result("fal-ai/flux-pro", b).statusCode());
        } finally {
            sim.setTimings(Duration.ZERO, Duration.ofMillis(20));
        }
    }

    @Test
    void requestTimeoutHeaderExpiresAQueuedJob(FalSimulator sim) {
        sim.setTimings(Duration.ofSeconds(30), Duration.ofMillis(20));
        try {
            SimHttp http = new SimHttp(sim);
            Map<String, Object> submitted = http.submit(T2I, "{\"prompt\":\"late\"}", "x-fal-request-timeout", "0.3");
            String id = (String) submitted.get("request_id");
            Map<String, Object> status = http.awaitCompleted("fal-ai/flux-pro", id);
            assertEquals("request_timeout", status.get("error_type"));
            HttpResponse<byte[]> r = http.get("/fal-ai/flux-pro/requests/" + id);
            assertEquals(504, r.statusCode());
            assertEquals("user", r.headers().firstValue("X-Fal-Request-Timeout-Type").orElseThrow());
            assertEquals("request_timeout", SimHttp.json(r).get("error_type"));
        } finally {
            sim.setTimings(Duration.ZERO, Duration.ofMillis(20));
        }
    }

    @Test
    void requestTimeoutDoesNotStopAJobThatAlreadyStarted(FalSimulator sim) {
        sim.setTimings(Duration.ZERO, Duration.ofMillis(500));
        try {
            SimHttp http = new SimHttp(sim);
            String id = (String) http.submit(T2I, "{\"prompt\":\"started\"}", "x-fal-request-timeout", "0.2")
                    .get("request_id");
            assertEquals(200, http.result("fal-ai/flux-pro", id).statusCode());
        } finally {
            sim.setTimings(Duration.ZERO, Duration.ofMillis(20));
        }
    }

    @Test
    void invalidRequestTimeoutHeaderIs400(FalSimulator sim) {
        HttpResponse<byte[]> r = new SimHttp(sim).post("/" + T2I, "{\"prompt\":\"x\"}", "x-fal-request-timeout", "soon");
        assertEquals(400, r.statusCode());
        assertEquals("bad_request", SimHttp.json(r).get("error_type"));
    }
}
