package io.github.fluxkontext.camel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextStatus;
import io.github.fluxkontext.simulator.JournalEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** What goes on the wire for each of the six fal endpoints, with every option set, and with none. */
class RequestMappingTest extends FluxKontextTestSupport {

    private static final String IMAGE = "https://v3.fal.media/files/rabbit/rmgBxhwGYb2d3pl3x9sKf_output.png";
    private static final String IMAGE_2 = "https://v3.fal.media/files/tiger/bml6YA7DWJXOigadvxk75_image.webp";
    private static final String ALL_OPTIONS = "seed=42&guidanceScale=4.5&numImages=2&safetyTolerance=3&outputFormat=png"
                                              + "&aspectRatio=16:9&enhancePrompt=true&syncMode=false&waitForResult=false";

    @ParameterizedTest(name = "{0} model={1} -> {2}")
    @CsvSource({
            "edit,          pro, /fal-ai/flux-pro/kontext",
            "edit,          max, /fal-ai/flux-pro/kontext/max",
            "text-to-image, pro, /fal-ai/flux-pro/kontext/text-to-image",
            "text-to-image, max, /fal-ai/flux-pro/kontext/max/text-to-image",
            "multi,         pro, /fal-ai/flux-pro/kontext/multi",
            "multi,         max, /fal-ai/flux-pro/kontext/max/multi" })
    void sendsFalFieldNamesForEveryOption(String operation, String model, String path) {
        Object body = switch (operation) {
            case "multi" -> List.of(IMAGE, IMAGE_2);
            default -> "Put a donut next to the flour.";
        };
        String imageOption = operation.equals("edit") ? "&imageUrl=" + IMAGE : "";
        String prompt = operation.equals("multi") ? "&prompt=Put a donut next to the flour." : "";

        KontextJob job = template.requestBody("flux-kontext:" + operation + "?model=" + model + "&" + ALL_OPTIONS + imageOption + prompt,
                body, KontextJob.class);

        JournalEntry submit = onlySubmit();
        assertEquals("POST", submit.method());
        assertEquals(path, submit.path());
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("prompt", "Put a donut next to the flour.");
        if (operation.equals("edit")) {
            expected.put("image_url", IMAGE);
        }
        if (operation.equals("multi")) {
            expected.put("image_urls", List.of(IMAGE, IMAGE_2));
        }
        expected.put("seed", 42);
        expected.put("guidance_scale", 4.5);
        expected.put("num_images", 2);
        expected.put("safety_tolerance", "3");
        expected.put("output_format", "png");
        expected.put("aspect_ratio", "16:9");
        expected.put("enhance_prompt", true);
        expected.put("sync_mode", false);
        assertEquals(expected, submit.bodyAsJson());
        assertEquals("application/json", submit.header("Content-Type").split(";")[0]);
        assertEquals("Key " + KEY, submit.header("Authorization"));

        assertNotNull(job.requestId());
        assertEquals(path.substring(1), job.endpointId());
        assertEquals(KontextStatus.IN_QUEUE, job.status());
    }

    @Test
    void leavesUnsetFieldsOut() {
        template.requestBody("flux-kontext:text-to-image?waitForResult=false", "a lighthouse at dusk");

        assertEquals(Map.of("prompt", "a lighthouse at dusk"), onlySubmit().bodyAsJson());
    }

    @Test
    void sendsBearerWhenAsked() {
        template.requestBody("flux-kontext:text-to-image?waitForResult=false&authScheme=Bearer", "a lighthouse");

        assertEquals("Bearer " + KEY, onlySubmit().header("Authorization"));
    }

    @Test
    void picksBearerForAHostThatIsNotFal() {
        // the simulator's 127.0.0.1 is no fal host, like an aggregator: Bearer unless told otherwise
        context.getComponent("flux-kontext", FluxKontextComponent.class).getConfiguration().setAuthScheme(null);
        template.requestBody("flux-kontext:text-to-image?waitForResult=false", "a lighthouse");

        assertEquals("Bearer " + KEY, onlySubmit().header("Authorization"));
    }

    @Test
    void usesTheEndpointIdOverride() {
        template.requestBody("flux-kontext:edit?waitForResult=false&endpointId=fal-ai/flux-kontext/dev&imageUrl=" + IMAGE, "make it blue");

        assertEquals("/fal-ai/flux-kontext/dev", onlySubmit().path());
    }

    @Test
    void sendsFalsQueueHeadersAndWebhook() {
        template.requestBody("flux-kontext:text-to-image?waitForResult=false&priority=low&startTimeout=30s"
                             + "&webhookUrl=https://hooks.example.com/fal?x=1", "a lighthouse");

        JournalEntry submit = onlySubmit();
        assertEquals("low", submit.header("x-fal-queue-priority"));
        assertEquals("30.0", submit.header("x-fal-request-timeout"));
        assertEquals("fal_webhook=https%3A%2F%2Fhooks.example.com%2Ffal%3Fx%3D1", submit.query());
    }
}
