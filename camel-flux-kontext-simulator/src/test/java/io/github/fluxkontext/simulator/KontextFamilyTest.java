package io.github.fluxkontext.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.awt.Color;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dev and LoRA endpoints beside pro/max: queue URLs under their own app ids, status metrics, results and what they cost. */
class KontextFamilyTest {

    static final String DEV = "fal-ai/flux-kontext/dev";
    static final String LORA = "fal-ai/flux-kontext-lora";
    static final String LORA_T2I = "fal-ai/flux-kontext-lora/text-to-image";
    static final String INPAINT = "fal-ai/flux-kontext-lora/inpaint";
    private static final String RED = TestImages.dataUri(TestImages.png(64, 48, new Color(200, 30, 30)), "image/png");
    private static final String WHITE = TestImages.dataUri(TestImages.png(64, 48, Color.WHITE), "image/png");
    private static final String BLUE = TestImages.dataUri(TestImages.png(32, 32, new Color(30, 60, 210)), "image/png");

    @RegisterExtension
    static final FalSimulatorExtension FAL = FalSimulatorExtension.create(b -> b
            .queueTime(Duration.ZERO).runTime(Duration.ofMillis(20)).imageScale(0.125));

    static Stream<Arguments> endpoints() {
        return Stream.of(
                Arguments.of(DEV, "fal-ai/flux-kontext", "{\"prompt\":\"dev edit\",\"image_url\":\"" + RED + "\",\"seed\":5}",
                        "image/jpeg"),
                Arguments.of(LORA, "fal-ai/flux-kontext-lora", "{\"prompt\":\"lora edit\",\"image_url\":\"" + RED
                        + "\",\"seed\":5,\"loras\":[{\"path\":\"https://example.com/style.safetensors\",\"scale\":0.8}]}",
                        "image/png"),
                Arguments.of(LORA_T2I, "fal-ai/flux-kontext-lora", "{\"prompt\":\"lora text\",\"seed\":5,"
                        + "\"loras\":[{\"path\":\"owner/repo\"}]}", "image/png"),
                Arguments.of(INPAINT, "fal-ai/flux-kontext-lora", "{\"prompt\":\"lora inpaint\",\"image_url\":\"" + RED
                        + "\",\"mask_url\":\"" + WHITE + "\",\"reference_image_url\":\"" + BLUE + "\",\"seed\":5}", "image/png"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void aValidInputIsServedUnderItsAppId(String endpoint, String app, String input, String contentType) {
        FalSimulator sim = FAL.simulator();
        SimHttp http = new SimHttp(sim);
        Map<String, Object> submitted = http.submit(endpoint, input);
        String id = (String) submitted.get("request_id");
        String base = sim.baseUrl() + "/" + app + "/requests/" + id;
        assertEquals(base, submitted.get("response_url"));
        assertEquals(base + "/status", submitted.get("status_url"));
        assertEquals(base + "/cancel", submitted.get("cancel_url"));
        assertEquals("/" + endpoint, sim.journal().entries(FalOperation.SUBMIT).get(0).path());
        assertEquals(app, sim.job(id).orElseThrow().appId());

        Map<String, Object> status = http.awaitCompleted(app, id);
        assertFalse(status.containsKey("error"), status.toString());
        Object inference = ((Map<?, ?>) status.get("metrics")).get("inference_time");
        assertTrue(inference instanceof Number n && n.doubleValue() >= 0.015, "metrics.inference_time " + inference);

        HttpResponse<byte[]> result = http.get("/" + app + "/requests/" + id);
        assertEquals(200, result.statusCode(), () -> new String(result.body()));
        assertEquals(id, result.headers().firstValue("x-fal-request-id").orElseThrow());
        assertTrue(result.headers().firstValue("x-fal-billable-units").isPresent());
        Map<String, Object> out = SimHttp.json(result);
        assertEquals(List.of("images", "timings", "seed", "has_nsfw_concepts", "prompt"), List.copyOf(out.keySet()));
        assertEquals(5, out.get("seed"));
        assertTrue(((Map<?, ?>) out.get("timings")).get("inference") instanceof Number);
        Map<String, Object> image = SimHttp.images(out).get(0);
        assertEquals(contentType, image.get("content_type"));
        HttpResponse<byte[]> file = http.get((String) image.get("url"));
        assertEquals(contentType, file.headers().firstValue("content-type").orElseThrow());
        assertEquals(image.get("width"), TestImages.decode(file.body()).getWidth());

        // the full endpoint id form is accepted too; another app does not know the request
        assertEquals(200, http.get("/" + endpoint + "/requests/" + id).statusCode());
        assertEquals(404, http.get("/fal-ai/flux-pro/requests/" + id + "/status").statusCode());
    }

    @Test
    void cancelOfAQueuedLoraJobUsesTheLoraApp() {
        FalSimulator sim = FAL.simulator();
        sim.setTimings(Duration.ofSeconds(30), Duration.ofMillis(20));
        try {
            SimHttp http = new SimHttp(sim);
            String id = http.submitId(INPAINT, "{\"prompt\":\"p\",\"image_url\":\"" + RED + "\",\"mask_url\":\"" + WHITE
                    + "\",\"reference_image_url\":\"" + BLUE + "\"}");
            assertEquals(202, http.put("/fal-ai/flux-kontext-lora/requests/" + id + "/cancel", null).statusCode());
            assertEquals("client_cancelled", http.awaitCompleted("fal-ai/flux-kontext-lora", id).get("error_type"));
        } finally {
            sim.setTimings(Duration.ZERO, Duration.ofMillis(20));
        }
    }

    @Test
    void billableUnitsArePerImageForProMaxAndDevAndPerMegapixelForLora() {
        try (FalSimulator sim = FalSimulator.builder().queueTime(Duration.ZERO).runTime(Duration.ZERO).start()) {
            SimHttp http = new SimHttp(sim);
            assertEquals("3", units(http, "fal-ai/flux-pro/kontext/max/text-to-image", "{\"prompt\":\"p\",\"num_images\":3}"));
            assertEquals("2", units(http, DEV, "{\"prompt\":\"p\",\"image_url\":\"" + RED + "\",\"num_images\":2}"));
            // landscape_4_3 is 1024x768: under a megapixel, so one unit per image
            assertEquals("2", units(http, LORA_T2I, "{\"prompt\":\"p\",\"num_images\":2}"));
            // 2048x1536 is three megapixels; 1100x1000 is just over one, so it counts two
            assertEquals("3", units(http, LORA_T2I, "{\"prompt\":\"p\",\"image_size\":{\"width\":2048,\"height\":1536}}"));
            assertEquals("4", units(http, LORA_T2I,
                    "{\"prompt\":\"p\",\"num_images\":2,\"image_size\":{\"width\":1100,\"height\":1000}}"));
        }
    }

    @Test
    void billableUnitsCanBeSetPerEndpoint() {
        try (FalSimulator sim = FalSimulator.builder().queueTime(Duration.ZERO).runTime(Duration.ZERO).imageScale(0.125)
                .billableUnits(DEV, BillableUnits.fixed("3.008"))
                .billableUnits("/" + LORA_T2I + "/", BillableUnits.none())
                .billableUnits("fal-ai/flux-pro/kontext/text-to-image", BillableUnits.perMegapixel()).start()) {
            SimHttp http = new SimHttp(sim);
            assertEquals("3.008", units(http, DEV, "{\"prompt\":\"p\",\"image_url\":\"" + RED + "\"}"));
            assertNull(units(http, LORA_T2I, "{\"prompt\":\"p\"}"));
            assertEquals("2", units(http, "fal-ai/flux-pro/kontext/text-to-image", "{\"prompt\":\"p\",\"num_images\":2}"));
            // the other LoRA endpoints keep their default
            assertEquals("1", units(http, LORA, "{\"prompt\":\"p\",\"image_url\":\"" + RED + "\"}"));
        }
        assertThrows(IllegalArgumentException.class, () -> FalSimulator.builder().billableUnits("no-slash", BillableUnits.perImage()));
        assertThrows(IllegalArgumentException.class, () -> BillableUnits.fixed(" "));
    }

    @Test
    void aFailedJobHasNoBillableUnits() {
        SimHttp http = new SimHttp(FAL.simulator());
        String id = http.submitId(DEV, "{\"prompt\":\"no image\"}");
        HttpResponse<byte[]> r = http.result("fal-ai/flux-kontext", id);
        assertEquals(422, r.statusCode());
        assertTrue(r.headers().firstValue("x-fal-billable-units").isEmpty());
    }

    /** The result's {@code x-fal-billable-units}, or null if it has none. */
    private static String units(SimHttp http, String endpoint, String input) {
        String app = EndpointId.parse(endpoint).orElseThrow().appId();
        HttpResponse<byte[]> r = http.result(app, http.submitId(endpoint, input));
        assertEquals(200, r.statusCode(), () -> new String(r.body()));
        return r.headers().firstValue("x-fal-billable-units").orElse(null);
    }
}
