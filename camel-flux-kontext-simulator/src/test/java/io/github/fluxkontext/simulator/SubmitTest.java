package io.github.fluxkontext.simulator;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.awt.Color;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubmitTest {

    @RegisterExtension
    static final FalSimulatorExtension FAL = FalSimulatorExtension.create(b -> b
            .queueTime(Duration.ofMillis(200)).runTime(Duration.ofMillis(50)).imageScale(0.125));

    static final String RED = TestImages.dataUri(TestImages.png(8, 8, Color.RED), "image/png");

    static String validInput(String endpointId) {
        if (endpointId.endsWith("/multi")) {
            return "{\"prompt\":\"p\",\"image_urls\":[\"" + RED + "\",\"" + RED + "\"]}";
        }
        if (endpointId.endsWith("/text-to-image")) {
            return "{\"prompt\":\"p\"}";
        }
        return "{\"prompt\":\"p\",\"image_url\":\"" + RED + "\"}";
    }

    @ParameterizedTest
    @ValueSource(strings = {"fal-ai/flux-pro/kontext", "fal-ai/flux-pro/kontext/max",
            "fal-ai/flux-pro/kontext/text-to-image", "fal-ai/flux-pro/kontext/max/text-to-image",
            "fal-ai/flux-pro/kontext/multi", "fal-ai/flux-pro/kontext/max/multi"})
    void submitAnswersFalsQueueStatusWithOwnerAliasUrls(String endpointId) {
        SimHttp http = new SimHttp(FAL.simulator());
        HttpResponse<byte[]> r = http.post("/" + endpointId, validInput(endpointId));
        assertEquals(200, r.statusCode());
        Map<String, Object> body = SimHttp.json(r);
        String id = (String) body.get("request_id");
        assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), id);
        assertEquals(id, r.headers().firstValue("x-fal-request-id").orElseThrow());
        assertEquals("IN_QUEUE", body.get("status"));
        String base = FAL.baseUrl() + "/fal-ai/flux-pro/requests/" + id;
        assertEquals(base, body.get("response_url"));
        assertEquals(base + "/status", body.get("status_url"));
        assertEquals(base + "/cancel", body.get("cancel_url"));
        assertTrue(body.containsKey("logs"));
        assertNull(body.get("logs"));
        assertEquals(Map.of(), body.get("metrics"));
        assertTrue(body.get("queue_position") instanceof Number);
        assertFalse(body.containsKey("gateway_request_id"));
        assertEquals(endpointId, FAL.simulator().job(id).orElseThrow().endpointId());
        assertEquals("fal-ai/flux-pro", FAL.simulator().job(id).orElseThrow().appId());
    }

    @Test
    void namespacedAppKeepsThreeSegmentsAndOtherEndpointsAreAcceptedWithoutValidation() {
        SimHttp http = new SimHttp(FAL.simulator());
        Map<String, Object> wf = http.submit("workflows/acme/my-flow/sub/path", "{\"anything\":1}");
        assertEquals(FAL.baseUrl() + "/workflows/acme/my-flow/requests/" + wf.get("request_id") + "/status",
                wf.get("status_url"));
        String id = (String) wf.get("request_id");
        HttpResponse<byte[]> result = http.result("workflows/acme/my-flow", id);
        assertEquals(200, result.statusCode());
        assertEquals(1, SimHttp.images(SimHttp.json(result)).size());
    }

    @Test
    void webhookQueryAddsGatewayRequestIdAndTheWebhookIsDelivered() throws IOException, Exception {
        CompletableFuture<Map<String, Object>> delivered = new CompletableFuture<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            Map<String, Object> payload = SimHttp.json(ex.getRequestBody().readAllBytes());
            ex.sendResponseHeaders(200, -1);
            ex.close();
            delivered.complete(payload); // after answering, so stopping the receiver cannot cut the answer off
        });
        receiver.start();
        try {
            String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            SimHttp http = new SimHttp(FAL.simulator());
            Map<String, Object> body = http.submit("fal-ai/flux-pro/kontext/text-to-image?fal_webhook="
                    + java.net.URLEncoder.encode(hook, "UTF-8"), "{\"prompt\":\"hook\"}");
            assertEquals(body.get("request_id"), body.get("gateway_request_id"));
            Map<String, Object> payload = delivered.get(10, TimeUnit.SECONDS);
            assertEquals("OK", payload.get("status"));
            assertEquals(body.get("request_id"), payload.get("request_id"));
            assertEquals("hook", ((Map<?, ?>) payload.get("payload")).get("prompt"));
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void lowPriorityJobsQueueBehindNormalOnes() {
        SimHttp http = new SimHttp(FAL.simulator());
        FAL.simulator().setTimings(Duration.ofSeconds(30), Duration.ofMillis(50));
        try {
            String low = (String) http.submit("fal-ai/flux-pro/kontext/text-to-image", "{\"prompt\":\"low\"}",
                    "x-fal-queue-priority", "low").get("request_id");
            String normal = (String) http.submit("fal-ai/flux-pro/kontext/text-to-image", "{\"prompt\":\"n\"}",
                    "x-fal-queue-priority", "normal").get("request_id");
            assertEquals(0, FAL.simulator().job(normal).orElseThrow().queuePosition());
            assertEquals(1, FAL.simulator().job(low).orElseThrow().queuePosition());
            http.put("/fal-ai/flux-pro/requests/" + low + "/cancel", null);
            http.put("/fal-ai/flux-pro/requests/" + normal + "/cancel", null);
        } finally {
            FAL.simulator().setTimings(Duration.ofMillis(200), Duration.ofMillis(50));
        }
    }

    @Test
    void syncHostAnswersTheOutputDirectlyAndValidatesAtOnce() {
        SimHttp http = new SimHttp(FAL.simulator());
        HttpResponse<byte[]> ok = http.post("/fal-ai/flux-pro/kontext/text-to-image", "{\"prompt\":\"sync\",\"seed\":3}",
                "x-fal-target-host", "fal.run");
        assertEquals(200, ok.statusCode());
        assertEquals(3, SimHttp.json(ok).get("seed"));
        assertTrue(ok.headers().firstValue("x-fal-request-id").isPresent());
        HttpResponse<byte[]> bad = http.post("/fal-ai/flux-pro/kontext/text-to-image", "{}",
                "x-fal-target-host", "fal.run");
        assertEquals(422, bad.statusCode());
    }

    @Test
    void proxyStyleTargetUrlHeaderIsRoutedByItsPath() {
        SimHttp http = new SimHttp(FAL.simulator());
        HttpResponse<byte[]> r = http.post("/proxy", "{\"prompt\":\"via proxy\"}",
                "x-fal-target-url", "https://queue.fal.run/fal-ai/flux-pro/kontext/text-to-image");
        assertEquals(200, r.statusCode());
        assertEquals("fal-ai/flux-pro/kontext/text-to-image",
                FAL.simulator().job((String) SimHttp.json(r).get("request_id")).orElseThrow().endpointId());
    }
}
