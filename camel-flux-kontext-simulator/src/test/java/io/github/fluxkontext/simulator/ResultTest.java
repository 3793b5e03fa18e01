package io.github.fluxkontext.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultTest {

    private static final String T2I = "fal-ai/flux-pro/kontext/text-to-image";

    @RegisterExtension
    static final FalSimulatorExtension FAL = FalSimulatorExtension.create(b -> b
            .queueTime(Duration.ofMillis(10)).runTime(Duration.ofMillis(30)).imageScale(0.125));

    @Test
    void resultIsTheKontextOutput() {
        SimHttp http = new SimHttp(FAL.simulator());
        String id = http.submitId(T2I, "{\"prompt\":\"result\",\"seed\":77,\"num_images\":2}");
        HttpResponse<byte[]> r = http.result("fal-ai/flux-pro", id);
        assertEquals(200, r.statusCode());
        assertEquals(id, r.headers().firstValue("x-fal-request-id").orElseThrow());
        Map<String, Object> out = SimHttp.json(r);
        assertEquals(List.of("images", "timings", "seed", "has_nsfw_concepts", "prompt"), List.copyOf(out.keySet()));
        assertEquals(77, out.get("seed"));
        assertEquals("result", out.get("prompt"));
        assertEquals(List.of(false, false), out.get("has_nsfw_concepts"));
        assertTrue(((Map<?, ?>) out.get("timings")).get("inference") instanceof Number);
        List<Map<String, Object>> images = SimHttp.images(out);
        assertEquals(2, images.size());
        Map<String, Object> img = images.get(0);
        assertEquals(FAL.baseUrl() + "/files/" + id + "/0.jpeg", img.get("url"));
        assertEquals("image/jpeg", img.get("content_type"));
        assertEquals(128, img.get("width"));
        assertEquals(128, img.get("height"));
        assertEquals("0.jpeg", img.get("file_name"));
        assertEquals(List.of(img.get("url"), images.get(1).get("url")),
                FAL.simulator().job(id).orElseThrow().imageUrls());
    }

    @Test
    void randomSeedIsReturnedWhenNoneGiven() {
        SimHttp http = new SimHttp(FAL.simulator());
        String id = http.submitId(T2I, "{\"prompt\":\"no seed\"}");
        Object seed = SimHttp.json(http.result("fal-ai/flux-pro", id)).get("seed");
        assertTrue(seed instanceof Number && ((Number) seed).longValue() >= 0, String.valueOf(seed));
    }

    @Test
    void resultBeforeCompletionIs202WithTheStatus() {
        FAL.simulator().setTimings(Duration.ofSeconds(30), Duration.ofMillis(30));
        try {
            SimHttp http = new SimHttp(FAL.simulator());
            String id = http.submitId(T2I, "{\"prompt\":\"early\"}");
            HttpResponse<byte[]> r = http.get("/fal-ai/flux-pro/requests/" + id);
            assertEquals(202, r.statusCode());
            assertEquals("IN_QUEUE", SimHttp.json(r).get("status"));
            http.put("/fal-ai/flux-pro/requests/" + id + "/cancel", null);
        } finally {
            FAL.simulator().setTimings(Duration.ofMillis(10), Duration.ofMillis(30));
        }
    }

    @Test
    void expireResultMakesResultAndFilesAnswerExpired() {
        SimHttp http = new SimHttp(FAL.simulator());
        String id = http.submitId(T2I, "{\"prompt\":\"expire\"}");
        Map<String, Object> out = SimHttp.json(http.result("fal-ai/flux-pro", id));
        String url = (String) SimHttp.images(out).get(0).get("url");
        assertEquals(200, http.get(url).statusCode());
        FAL.simulator().expireResult(id);
        HttpResponse<byte[]> r = http.get("/fal-ai/flux-pro/requests/" + id);
        assertEquals(404, r.statusCode());
        assertEquals("Request result has expired", SimHttp.json(r).get("detail"));
        assertEquals(404, http.get(url).statusCode());
        assertEquals("File has expired", SimHttp.json(http.get(url)).get("detail"));
        assertEquals(200, http.get("/fal-ai/flux-pro/requests/" + id + "/status").statusCode());
    }

    @Test
    void resultTtlExpiresResultsByItself() {
        try (FalSimulator sim = FalSimulator.builder().queueTime(Duration.ZERO).runTime(Duration.ZERO)
                .resultTtl(Duration.ofMillis(200)).imageScale(0.125).start()) {
            SimHttp http = new SimHttp(sim);
            String id = http.submitId(T2I, "{\"prompt\":\"ttl\"}");
            http.awaitCompleted("fal-ai/flux-pro", id);
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> http.get("/fal-ai/flux-pro/requests/" + id).statusCode() == 404);
        }
    }

    @Test
    void foreignUrlBaseIsUsedInSubmitAndStatusAnswers() {
        FalSimulator sim = FAL.simulator();
        sim.setForeignUrlBase("http://127.0.0.1:9/x/");
        try {
            SimHttp http = new SimHttp(sim);
            Map<String, Object> submitted = http.submit(T2I, "{\"prompt\":\"foreign\"}");
            String id = (String) submitted.get("request_id");
            assertEquals("http://127.0.0.1:9/x/fal-ai/flux-pro/requests/" + id, submitted.get("response_url"));
            assertEquals("http://127.0.0.1:9/x/fal-ai/flux-pro/requests/" + id + "/cancel", submitted.get("cancel_url"));
            Map<String, Object> status = http.awaitCompleted("fal-ai/flux-pro", id);
            assertEquals("http://127.0.0.1:9/x/fal-ai/flux-pro/requests/" + id + "/status", status.get("status_url"));
            // the images are still served by the simulator itself
            String url = (String) SimHttp.images(SimHttp.json(http.get("/fal-ai/flux-pro/requests/" + id))).get(0).get("url");
            assertTrue(url.startsWith(sim.baseUrl()), url);
        } finally {
            sim.setForeignUrlBase(null);
        }
    }
}
