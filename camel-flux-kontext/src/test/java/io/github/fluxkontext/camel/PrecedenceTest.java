package io.github.fluxkontext.camel;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.fluxkontext.camel.model.FluxKontextValidationException;
import io.github.fluxkontext.camel.model.KontextInputImage;
import io.github.fluxkontext.camel.model.KontextRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One test per mapping rule: header over body over endpoint option, and how each body type is read. */
class PrecedenceTest extends FluxKontextTestSupport {

    private static final String T2I = "flux-kontext:text-to-image?waitForResult=false";
    private static final String IMAGE = "https://v3.fal.media/files/rabbit/rmgBxhwGYb2d3pl3x9sKf_output.png";

    @TempDir
    Path dir;

    @Test
    void headerPromptWinsOverBody() {
        template.requestBodyAndHeader(T2I, "from the body", FluxKontextConstants.PROMPT, "from the header");

        assertEquals("from the header", onlySubmit().bodyAsJson().get("prompt"));
    }

    @Test
    void bodyPromptWinsOverOption() {
        template.requestBody(T2I + "&prompt=from the option", "from the body");

        assertEquals("from the body", onlySubmit().bodyAsJson().get("prompt"));
    }

    @Test
    void optionAppliesWhenNothingElseSaysSo() {
        template.requestBody(T2I + "&prompt=from the option&seed=7", (Object) null);

        assertEquals(Map.of("prompt", "from the option", "seed", 7), onlySubmit().bodyAsJson());
    }

    @Test
    void headerWinsOverOptionForEveryField() {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(FluxKontextConstants.SEED, 99L);
        headers.put(FluxKontextConstants.GUIDANCE_SCALE, 7.0);
        headers.put(FluxKontextConstants.NUM_IMAGES, 3);
        headers.put(FluxKontextConstants.SAFETY_TOLERANCE, "5");
        headers.put(FluxKontextConstants.OUTPUT_FORMAT, "jpeg");
        headers.put(FluxKontextConstants.ASPECT_RATIO, "9:16");
        headers.put(FluxKontextConstants.ENHANCE_PROMPT, false);
        headers.put(FluxKontextConstants.SYNC_MODE, true);
        template.requestBodyAndHeaders(T2I + "&seed=1&guidanceScale=2&numImages=1&safetyTolerance=1&outputFormat=png"
                                       + "&aspectRatio=1:1&enhancePrompt=true&syncMode=false", "p", headers);

        Map<String, Object> sent = onlySubmit().bodyAsJson();
        assertEquals(99, sent.get("seed"));
        assertEquals(7.0, sent.get("guidance_scale"));
        assertEquals(3, sent.get("num_images"));
        assertEquals("5", sent.get("safety_tolerance"));
        assertEquals("jpeg", sent.get("output_format"));
        assertEquals("9:16", sent.get("aspect_ratio"));
        assertEquals(false, sent.get("enhance_prompt"));
        assertEquals(true, sent.get("sync_mode"));
    }

    @Test
    void headersGivenAsTextAreRead() {
        template.requestBodyAndHeaders(T2I, "p", Map.of(FluxKontextConstants.NUM_IMAGES, "4", FluxKontextConstants.SEED, "123",
                FluxKontextConstants.SYNC_MODE, "true", FluxKontextConstants.SAFETY_TOLERANCE, 6));

        Map<String, Object> sent = onlySubmit().bodyAsJson();
        assertEquals(4, sent.get("num_images"));
        assertEquals(123, sent.get("seed"));
        assertEquals(true, sent.get("sync_mode"));
        assertEquals("6", sent.get("safety_tolerance"), "safety_tolerance always travels as a string");
    }

    @Test
    void typedRequestBodyIsSentAsIs() {
        KontextRequest request = KontextRequest.builder().prompt("typed").seed(5L).aspectRatio("4:3").extra("future_field", "kept").build();
        template.requestBody(T2I, request);

        assertEquals(Map.of("prompt", "typed", "seed", 5, "aspect_ratio", "4:3", "future_field", "kept"), onlySubmit().bodyAsJson());
    }

    @Test
    void theTypedRequestsExtraFieldsCannotBypassValidation() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> KontextRequest.builder().extra("num_images", 9));

        assertTrue(e.getMessage().contains("num_images"), e.getMessage());
    }

    @Test
    void headerWinsOverTypedRequestField() {
        KontextRequest request = KontextRequest.builder().prompt("typed").seed(5L).build();
        template.requestBodyAndHeader(T2I, request, FluxKontextConstants.SEED, 6L);

        assertEquals(6, onlySubmit().bodyAsJson().get("seed"));
    }

    @Test
    void mapBodyUsesFalNamesAndPassesUnknownKeysThrough() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("prompt", "from a map");
        body.put("num_images", 2);
        body.put("safety_tolerance", "4");
        body.put("future_steps", 28);
        body.put("future_option", Map.of("mode", "fast"));
        template.requestBody(T2I + "&numImages=1&seed=3", body);

        Map<String, Object> sent = onlySubmit().bodyAsJson();
        assertEquals("from a map", sent.get("prompt"));
        assertEquals(2, sent.get("num_images"), "the map wins over the option");
        assertEquals(3, sent.get("seed"), "the option fills what the map leaves out");
        assertEquals(28, sent.get("future_steps"));
        assertEquals(Map.of("mode", "fast"), sent.get("future_option"));
    }

    @Test
    void mapBodyKnownKeysAreValidated() {
        FluxKontextValidationException e = failure(FluxKontextValidationException.class, T2I,
                Map.of("prompt", "p", "num_images", "two"), Map.of());

        assertEquals("body field num_images (numImages)", e.getField(), "fal's name, and the option's");
        assertTrue(sim().journal().entries().isEmpty(), "nothing was sent");
    }

    @Test
    void editTakesTheImageFromHeaderBeforeOption() {
        template.requestBodyAndHeader("flux-kontext:edit?waitForResult=false&imageUrl=https://example.com/option.png", "edit it",
                FluxKontextConstants.IMAGE_URL, IMAGE);

        assertEquals(IMAGE, onlySubmit().bodyAsJson().get("image_url"));
    }

    @Test
    void editBodyBytesBecomeADataUriOfTheDetectedType() {
        byte[] png = TestImages.png(8, 6);
        template.requestBodyAndHeader("flux-kontext:edit?waitForResult=false", png, FluxKontextConstants.PROMPT, "make it blue");

        Map<String, Object> sent = onlySubmit().bodyAsJson();
        assertEquals("make it blue", sent.get("prompt"));
        assertEquals("data:image/png;base64," + Base64.getEncoder().encodeToString(png), sent.get("image_url"));
    }

    @Test
    void editAcceptsFilePathStreamAndInputImageBodies() throws Exception {
        byte[] jpeg = TestImages.jpeg(8, 8);
        Path file = Files.write(dir.resolve("in.jpg"), jpeg);
        String expected = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg);
        String uri = "flux-kontext:edit?waitForResult=false&prompt=p";
        for (Object body : List.of(file.toFile(), file, new ByteArrayInputStream(jpeg), KontextInputImage.fromBytes(jpeg))) {
            sim().journal().clear();
            template.requestBody(uri, body);
            assertEquals(expected, onlySubmit().bodyAsJson().get("image_url"), "body type " + body.getClass().getSimpleName());
        }
    }

    @Test
    void multiTakesAListBodyInOrder() {
        byte[] png = TestImages.png(4, 4);
        template.requestBodyAndHeader("flux-kontext:multi?waitForResult=false", List.of(IMAGE, png, "https://example.com/c.jpg"),
                FluxKontextConstants.PROMPT, "combine");

        assertEquals(List.of(IMAGE, "data:image/png;base64," + Base64.getEncoder().encodeToString(png), "https://example.com/c.jpg"),
                onlySubmit().bodyAsJson().get("image_urls"));
    }

    @Test
    void multiHeaderWinsOverListBody() {
        template.requestBodyAndHeaders("flux-kontext:multi?waitForResult=false&prompt=combine", List.of("https://example.com/body.png"),
                Map.of(FluxKontextConstants.IMAGE_URLS, List.of(IMAGE)));

        assertEquals(List.of(IMAGE), onlySubmit().bodyAsJson().get("image_urls"));
    }

    @Test
    void textToImageReadsThePromptFromATextFile() throws Exception {
        Path prompt = Files.writeString(dir.resolve("prompt.txt"), "a red fox in the snow\n");
        template.requestBody(T2I, prompt.toFile());

        assertEquals("a red fox in the snow", onlySubmit().bodyAsJson().get("prompt"));
    }

    @Test
    void outputHeadersOfOneCallAreNotInputOfTheNext() {
        // a first job's output headers (seed, image URLs, status) must not change the second job's input
        Map<String, Object> previousOutput = Map.of(
                FluxKontextConstants.RESULT_SEED, 77L,
                FluxKontextConstants.RESULT_IMAGE_URLS, List.of(IMAGE),
                FluxKontextConstants.STATUS, "COMPLETED",
                FluxKontextConstants.REQUEST_ID, "00000000-0000-0000-0000-000000000000",
                FluxKontextConstants.ENDPOINT_ID, "fal-ai/other-model");
        template.requestBodyAndHeaders(T2I, "second", previousOutput);

        assertEquals(Map.of("prompt", "second"), onlySubmit().bodyAsJson());
        assertEquals("/fal-ai/flux-pro/kontext/text-to-image", onlySubmit().path());
    }
}
