package io.github.fluxkontext.camel;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.github.fluxkontext.camel.model.FluxKontextValidationException;
import io.github.fluxkontext.camel.model.KontextCancellation;
import io.github.fluxkontext.camel.model.KontextInputImage;
import io.github.fluxkontext.camel.model.KontextLora;
import io.github.fluxkontext.camel.model.KontextRequest;
import io.github.fluxkontext.camel.model.KontextResult;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.JournalEntry;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The Kontext family beyond pro and max: dev and LoRA, each with its own endpoint, fields and rules. What goes on the
 * wire for each of the four endpoints, where the result is fetched, and what is refused before anything is sent.
 */
class KontextFamilyTest extends FluxKontextTestSupport {

    private static final String IMAGE = "https://v3.fal.media/files/rabbit/rmgBxhwGYb2d3pl3x9sKf_output.png";
    private static final Set<String> PRO_MAX_FIELDS = Set.of("aspect_ratio", "safety_tolerance", "enhance_prompt");

    @TempDir
    static Path dir;

    // ---- the four endpoints: the JSON sent, the path, the result fetched under the model's app id

    @Test
    void devEditSendsDevsFieldsToItsEndpoint() {
        Exchange out = template.request("flux-kontext:edit?model=dev&numInferenceSteps=20&acceleration=regular&resolutionMode=16:9"
                                        + "&enableSafetyChecker=false&guidanceScale=2.5&seed=7",
                e -> imageAndPrompt(e, "make it blue"));
        e2eOk(out);

        JournalEntry submit = onlySubmit();
        assertEquals("/fal-ai/flux-kontext/dev", submit.path());
        assertEquals(Map.of("prompt", "make it blue", "seed", 7, "guidance_scale", 2.5, "num_inference_steps", 20,
                "acceleration", "regular", "resolution_mode", "16:9", "enable_safety_checker", false),
                withoutImage(submit.bodyAsJson()));
        assertFetchedUnder("fal-ai/flux-kontext", out);
    }

    @Test
    void loraEditSendsTheLorasAsFalsObjects() {
        Exchange out = template.request("flux-kontext:edit?model=lora&loras=https://example.com/w/style.safetensors:0.8,user/ink"
                                        + "&resolutionMode=auto&guidanceScale=0",
                e -> imageAndPrompt(e, "ink drawing"));
        e2eOk(out);

        JournalEntry submit = onlySubmit();
        assertEquals("/fal-ai/flux-kontext-lora", submit.path());
        assertEquals(Map.of("prompt", "ink drawing", "guidance_scale", 0.0, "resolution_mode", "auto",
                "loras", List.of(Map.of("path", "https://example.com/w/style.safetensors", "scale", 0.8), Map.of("path", "user/ink"))),
                withoutImage(submit.bodyAsJson()));
        assertFetchedUnder("fal-ai/flux-kontext-lora", out);
    }

    @Test
    void loraTextToImageSendsTheImageSize() {
        Exchange out = template.request("flux-kontext:text-to-image?model=lora&imageSize=320x200&numInferenceSteps=12"
                                        + "&loras=user/ink:1.5",
                e -> e.getMessage().setBody("a lighthouse"));
        e2eOk(out);

        JournalEntry submit = onlySubmit();
        assertEquals("/fal-ai/flux-kontext-lora/text-to-image", submit.path());
        assertEquals(Map.of("prompt", "a lighthouse", "image_size", Map.of("width", 320, "height", 200), "num_inference_steps", 12,
                "loras", List.of(Map.of("path", "user/ink", "scale", 1.5))), submit.bodyAsJson());
        assertFetchedUnder("fal-ai/flux-kontext-lora", out);
    }

    @Test
    void loraInpaintSendsItsThreeImagesAndStrength() {
        byte[] image = TestImages.png(64, 48);
        byte[] mask = TestImages.png(64, 48);
        byte[] reference = TestImages.jpeg(32, 32);
        Exchange out = template.request("flux-kontext:inpaint?model=lora&strength=0.7&seed=3", e -> {
            e.getMessage().setBody(image);
            e.getMessage().setHeader(FluxKontextConstants.PROMPT, "a red door");
            e.getMessage().setHeader(FluxKontextConstants.MASK_URL, mask);
            e.getMessage().setHeader(FluxKontextConstants.REFERENCE_IMAGE_URL, reference);
        });
        e2eOk(out);

        JournalEntry submit = onlySubmit();
        assertEquals("/fal-ai/flux-kontext-lora/inpaint", submit.path());
        Map<String, Object> sent = submit.bodyAsJson();
        assertEquals(Set.of("prompt", "image_url", "mask_url", "reference_image_url", "strength", "seed"), sent.keySet());
        assertEquals(0.7, sent.get("strength"));
        assertEquals(dataUri("image/png", image), sent.get("image_url"));
        assertEquals(dataUri("image/png", mask), sent.get("mask_url"));
        assertEquals(dataUri("image/jpeg", reference), sent.get("reference_image_url"));
        assertFetchedUnder("fal-ai/flux-kontext-lora", out);
        KontextResult result = out.getMessage().getBody(KontextResult.class);
        assertEquals(64, result.images().get(0).width(), "inpaint keeps the input's size");
    }

    // ---- inpaint's images: everything imageUrl takes, inlined or uploaded

    @Test
    void inpaintTakesLocalFilesForImageMaskAndReferenceInline() throws Exception {
        File image = write("in.png", TestImages.png(40, 40));
        Path mask = dir.resolve("mask.png");
        Files.write(mask, TestImages.png(40, 40));
        byte[] reference = TestImages.png(20, 20);

        template.requestBodyAndHeaders("flux-kontext:inpaint?model=lora&waitForResult=false", image,
                Map.of(FluxKontextConstants.PROMPT, "a window", FluxKontextConstants.MASK_URL, mask,
                        FluxKontextConstants.REFERENCE_IMAGE_URL, reference));

        Map<String, Object> sent = onlySubmit().bodyAsJson();
        assertEquals(dataUri("image/png", Files.readAllBytes(image.toPath())), sent.get("image_url"));
        assertEquals(dataUri("image/png", Files.readAllBytes(mask)), sent.get("mask_url"));
        assertEquals(dataUri("image/png", reference), sent.get("reference_image_url"));
    }

    @Test
    void inpaintUploadsLocalImagesWithFalStorage() throws Exception {
        File image = write("up.png", TestImages.png(40, 40));
        Exchange out = template.request("flux-kontext:inpaint?model=lora&imageUpload=fal-storage", e -> {
            e.getMessage().setBody(image);
            e.getMessage().setHeader(FluxKontextConstants.PROMPT, "a window");
            e.getMessage().setHeader(FluxKontextConstants.MASK_URL, dir.resolve("up.png"));
            e.getMessage().setHeader(FluxKontextConstants.REFERENCE_IMAGE_URL, TestImages.jpeg(16, 16));
        });
        e2eOk(out);

        assertEquals(3, sim().journal().count(FalOperation.STORAGE_UPLOAD), "the image, the mask and the reference");
        Map<String, Object> sent = onlySubmit().bodyAsJson();
        for (String field : List.of("image_url", "mask_url", "reference_image_url")) {
            assertTrue(String.valueOf(sent.get(field)).startsWith(FAL.baseUrl()), field + " is an uploaded file's URL: " + sent);
        }
    }

    @Test
    void aMapBodyTakesFalsNamesForTheFamilysFields() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("prompt", "poster");
        body.put("image_size", Map.of("width", 256, "height", 128));
        body.put("loras", List.of(Map.of("path", "user/ink", "scale", 2, "force", true), "user/pen:0.5"));
        body.put("enable_safety_checker", true);
        body.put("some_new_fal_field", "kept");

        template.requestBody("flux-kontext:text-to-image?model=lora&waitForResult=false", body);

        assertEquals(Map.of("prompt", "poster", "image_size", Map.of("width", 256, "height", 128), "enable_safety_checker", true,
                "some_new_fal_field", "kept", "loras", List.of(Map.of("path", "user/ink", "scale", 2.0, "force", true),
                        Map.of("path", "user/pen", "scale", 0.5))),
                onlySubmit().bodyAsJson());
    }

    @Test
    void theLorasHeaderTakesStringsMapsAndKontextLoras() {
        template.requestBodyAndHeader("flux-kontext:text-to-image?model=lora&waitForResult=false&imageSize=square_hd", "poster",
                FluxKontextConstants.LORAS, List.of("https://hf.example/a.safetensors", Map.of("path", "b", "force", false),
                        KontextLora.of("c", 4.0)));

        Map<String, Object> sent = onlySubmit().bodyAsJson();
        assertEquals("square_hd", sent.get("image_size"));
        assertEquals(List.of(Map.of("path", "https://hf.example/a.safetensors"), Map.of("path", "b", "force", false),
                Map.of("path", "c", "scale", 4.0)), sent.get("loras"));
    }

    @Test
    void aKontextRequestBodyCarriesInpaintsImagesAndFields() throws Exception {
        Path mask = dir.resolve("typed-mask.png");
        Files.write(mask, TestImages.png(40, 40));
        KontextRequest request = KontextRequest.builder()
                .prompt("a red door")
                .imageUrl(IMAGE)
                .mask(KontextInputImage.fromPath(mask))
                .referenceImageUrl(IMAGE)
                .strength(0.5)
                .loras(List.of(KontextLora.of("user/ink", 0.7)))
                .build();

        template.requestBody("flux-kontext:inpaint?model=lora&waitForResult=false", request);

        Map<String, Object> sent = onlySubmit().bodyAsJson();
        assertEquals(IMAGE, sent.get("image_url"));
        assertEquals(dataUri("image/png", Files.readAllBytes(mask)), sent.get("mask_url"));
        assertEquals(IMAGE, sent.get("reference_image_url"));
        assertEquals(0.5, sent.get("strength"));
        assertEquals(List.of(Map.of("path", "user/ink", "scale", 0.7)), sent.get("loras"));
    }

    @Test
    void aKontextRequestBodysValueIsNamedAsItsField() {
        KontextRequest request = KontextRequest.builder().prompt("p").imageUrl(IMAGE).maskUrl(IMAGE).referenceImageUrl(IMAGE)
                .strength(2.0).build();

        FluxKontextValidationException e = failure(FluxKontextValidationException.class, "flux-kontext:inpaint?model=lora", request,
                Map.of());

        assertEquals("strength of the KontextRequest body", e.getField());
        assertTrue(sim().journal().entries().isEmpty());
    }

    @Test
    void theImageSizeHeaderTakesAWidthAndHeightMap() {
        template.requestBodyAndHeader("flux-kontext:text-to-image?model=lora&waitForResult=false", "poster",
                FluxKontextConstants.IMAGE_SIZE, Map.of("width", 640, "height", "480"));

        assertEquals(Map.of("width", 640, "height", 480), onlySubmit().bodyAsJson().get("image_size"));
    }

    // ---- the model's app id for status, result and cancel

    @Test
    void cancelOfALoraJobAsksTheLoraApp() {
        String id = template.requestBody("flux-kontext:text-to-image?model=lora&waitForResult=false", "a lighthouse",
                io.github.fluxkontext.camel.model.KontextJob.class).requestId();

        template.requestBody("flux-kontext:cancel?model=lora", id, KontextCancellation.class);

        JournalEntry cancel = sim().journal().entries(FalOperation.CANCEL).get(0);
        assertEquals("/fal-ai/flux-kontext-lora/requests/" + id + "/cancel", cancel.path());
    }

    // ---- refused before any call: combinations fal does not have

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "flux-kontext:multi?model=dev          | models that have multi: pro, max",
            "flux-kontext:multi?model=lora         | models that have multi: pro, max",
            "flux-kontext:text-to-image?model=dev  | models that have text-to-image: pro, max, lora",
            "flux-kontext:inpaint?model=pro        | models that have inpaint: lora",
            "flux-kontext:inpaint?model=max        | models that have inpaint: lora",
            "flux-kontext:inpaint                  | models that have inpaint: lora" })
    void aCombinationFalDoesNotHaveFailsTheStart(String uri, String models) {
        Exception e = assertThrows(Exception.class, () -> context.addRoutes(route(uri)));

        assertTrue(rootMessage(e).contains("fal has no such endpoint"), rootMessage(e));
        assertTrue(rootMessage(e).contains(models), rootMessage(e));
        assertTrue(sim().journal().entries().isEmpty(), "nothing sent");
    }

    // ---- refused before any call: a field the model does not have

    static Stream<Arguments> fieldsOfOtherModels() {
        return Stream.of(
                arguments("flux-kontext:edit?model=dev&imageUrl=" + IMAGE, Map.of(FluxKontextConstants.ASPECT_RATIO, "16:9"),
                        "header CamelFluxKontextAspectRatio", "pro, max"),
                arguments("flux-kontext:edit?model=lora&imageUrl=" + IMAGE, Map.of(FluxKontextConstants.SAFETY_TOLERANCE, "2"),
                        "header CamelFluxKontextSafetyTolerance", "pro, max"),
                arguments("flux-kontext:edit?model=dev&imageUrl=" + IMAGE, Map.of(FluxKontextConstants.LORAS, List.of("a:1")),
                        "header CamelFluxKontextLoras", "lora"),
                arguments("flux-kontext:edit?model=pro&imageUrl=" + IMAGE, Map.of(FluxKontextConstants.NUM_INFERENCE_STEPS, 20),
                        "header CamelFluxKontextNumInferenceSteps", "dev, lora"),
                arguments("flux-kontext:edit?model=lora&imageUrl=" + IMAGE, Map.of(FluxKontextConstants.STRENGTH, 0.5),
                        "header CamelFluxKontextStrength", "lora (inpaint)"),
                arguments("flux-kontext:edit?model=lora&imageUrl=" + IMAGE, Map.of(FluxKontextConstants.IMAGE_SIZE, "square"),
                        "header CamelFluxKontextImageSize", "lora (text-to-image)"),
                arguments("flux-kontext:text-to-image?model=lora", Map.of(FluxKontextConstants.RESOLUTION_MODE, "auto"),
                        "header CamelFluxKontextResolutionMode", "dev, lora (edit)"),
                arguments("flux-kontext:edit?model=max&imageUrl=" + IMAGE, Map.of(FluxKontextConstants.MASK_URL, IMAGE),
                        "header CamelFluxKontextMaskUrl", "lora (inpaint)"),
                arguments("flux-kontext:text-to-image?model=pro", Map.of(FluxKontextConstants.ACCELERATION, "high"),
                        "header CamelFluxKontextAcceleration", "dev, lora"));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("fieldsOfOtherModels")
    void aFieldTheModelDoesNotHaveIsRefusedNamingTheModelsThatHaveIt(String uri, Map<String, Object> headers, String field,
                                                                     String models) {
        FluxKontextValidationException e = failure(FluxKontextValidationException.class, uri, "a prompt", headers);

        assertEquals(field, e.getField());
        assertTrue(e.getMessage().contains("models that have it: " + models), e.getMessage());
        assertTrue(sim().journal().entries().isEmpty(), "nothing sent: " + sim().journal().entries());
    }

    @Test
    void aMapBodyFieldTheModelDoesNotHaveIsRefusedByItsName() {
        FluxKontextValidationException e = failure(FluxKontextValidationException.class, "flux-kontext:edit?model=dev",
                Map.of("prompt", "p", "image_url", IMAGE, "enhance_prompt", true), Map.of());

        assertEquals("body field enhance_prompt (enhancePrompt)", e.getField());
        assertTrue(e.getMessage().contains("model=dev edit (fal-ai/flux-kontext/dev) has no enhance_prompt"), e.getMessage());
        assertTrue(sim().journal().entries().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "flux-kontext:edit?model=dev&safetyTolerance=2        | option safetyTolerance | pro, max",
            "flux-kontext:text-to-image?model=pro&loras=a:1       | option loras           | lora",
            "flux-kontext:edit?model=lora&strength=0.5            | option strength        | lora (inpaint)",
            "flux-kontext:text-to-image?model=max&imageSize=square | option imageSize      | lora (text-to-image)" })
    void aFieldOptionTheModelDoesNotHaveFailsTheStart(String uri, String option, String models) {
        Exception e = assertThrows(Exception.class, () -> context.addRoutes(route(uri)));

        assertTrue(rootMessage(e).startsWith("Invalid " + option + ":"), rootMessage(e));
        assertTrue(rootMessage(e).contains("models that have it: " + models), rootMessage(e));
        assertTrue(sim().journal().entries().isEmpty());
    }

    // ---- refused before any call: the values of dev's and LoRA's own fields

    @ParameterizedTest(name = "{0} {1}={2}")
    @CsvSource(delimiter = '|', value = {
            "edit?model=dev&imageUrl=" + IMAGE + "        | CamelFluxKontextNumInferenceSteps | 9        | from 10 to 50",
            "edit?model=dev&imageUrl=" + IMAGE + "        | CamelFluxKontextGuidanceScale     | 0        | from 1 to 20",
            "edit?model=lora&imageUrl=" + IMAGE + "       | CamelFluxKontextGuidanceScale     | 21       | from 0 to 20",
            "edit?model=lora&imageUrl=" + IMAGE + "       | CamelFluxKontextAcceleration      | turbo    | none, regular, high",
            "edit?model=dev&imageUrl=" + IMAGE + "        | CamelFluxKontextResolutionMode    | 7:5      | match_input",
            "text-to-image?model=lora                     | CamelFluxKontextImageSize         | 20000x10 | 1 to 14142",
            "text-to-image?model=lora                     | CamelFluxKontextImageSize         | huge     | landscape_4_3",
            "text-to-image?model=lora                     | CamelFluxKontextLoras             | a:4.5    | scale from 0 to 4",
            "inpaint?model=lora&imageUrl=" + IMAGE + "&maskUrl=" + IMAGE + "&referenceImageUrl=" + IMAGE
            + "                                           | CamelFluxKontextStrength          | 0        | from 0.01 to 1" })
    void aValueOutsideTheModelsRangeIsRefused(String uri, String header, String value, String allowed) {
        FluxKontextValidationException e = failure(FluxKontextValidationException.class, "flux-kontext:" + uri, "a prompt",
                Map.of(header, value));

        assertTrue(e.getField().startsWith("header " + header), e.getField());
        assertTrue(e.getMessage().contains(allowed), e.getMessage());
        assertTrue(sim().journal().entries().isEmpty());
    }

    @Test
    void inpaintNeedsItsMaskAndReference() {
        FluxKontextValidationException e = failure(FluxKontextValidationException.class,
                "flux-kontext:inpaint?model=lora&imageUrl=" + IMAGE + "&maskUrl=" + IMAGE, "a prompt", Map.of());

        assertEquals("reference_image_url", e.getField());
        assertTrue(e.getMessage().contains("header CamelFluxKontextReferenceImageUrl"), e.getMessage());
        assertTrue(sim().journal().entries().isEmpty());
    }

    @Test
    void aLoraMapWithAKeyFalDoesNotHaveIsRefused() {
        FluxKontextValidationException e = failure(FluxKontextValidationException.class, "flux-kontext:text-to-image?model=lora",
                "a prompt", Map.of(FluxKontextConstants.LORAS, List.of(Map.of("path", "a", "weight", 1))));

        assertEquals("header CamelFluxKontextLoras[0]", e.getField());
        assertTrue(e.getMessage().contains("unknown key 'weight'"), e.getMessage());
        assertTrue(sim().journal().entries().isEmpty());
    }

    // ---- endpointId: another endpoint gets only the shared checks; a known one its own rules

    @Test
    void anotherEndpointIdTakesAnyFamilyFieldButChecksTheSharedOnes() {
        template.requestBodyAndHeaders("flux-kontext:edit?waitForResult=false&endpointId=fal-ai/flux-kontext-next&imageUrl=" + IMAGE,
                Map.of("prompt", "p", "aspect_ratio", "5:7", "future_field", 1),
                Map.of(FluxKontextConstants.LORAS, List.of("a:9")));

        JournalEntry submit = onlySubmit();
        assertEquals("/fal-ai/flux-kontext-next", submit.path());
        assertEquals("5:7", submit.bodyAsJson().get("aspect_ratio"));
        assertEquals(List.of(Map.of("path", "a", "scale", 9.0)), submit.bodyAsJson().get("loras"));
        assertEquals(1, submit.bodyAsJson().get("future_field"));
        sim().reset();

        FluxKontextValidationException e = failure(FluxKontextValidationException.class,
                "flux-kontext:edit?endpointId=fal-ai/flux-kontext-next&imageUrl=" + IMAGE, "p",
                Map.of(FluxKontextConstants.NUM_IMAGES, 9));
        assertEquals("header CamelFluxKontextNumImages", e.getField());
        assertTrue(sim().journal().entries().isEmpty());
    }

    @Test
    void aKnownEndpointIdFollowsItsModelsRules() {
        FluxKontextValidationException e = failure(FluxKontextValidationException.class,
                "flux-kontext:edit?endpointId=fal-ai/flux-kontext/dev&imageUrl=" + IMAGE, "p",
                Map.of(FluxKontextConstants.ASPECT_RATIO, "16:9"));

        assertTrue(e.getMessage().contains("models that have it: pro, max"), e.getMessage());
        assertTrue(sim().journal().entries().isEmpty());
    }

    // ---- helpers

    private static void e2eOk(Exchange out) {
        if (out.getException() != null) {
            throw new AssertionError("the exchange failed", out.getException());
        }
    }

    /** The result was fetched from the model's app (fal-protocol §2), and it is the exchange's body. */
    private static void assertFetchedUnder(String appId, Exchange out) {
        String id = out.getMessage().getHeader(FluxKontextConstants.REQUEST_ID, String.class);
        List<JournalEntry> results = sim().journal().entries(FalOperation.RESULT);
        assertFalse(results.isEmpty(), "a result was fetched");
        for (JournalEntry result : results) {
            assertEquals("/" + appId + "/requests/" + id, result.path());
        }
        KontextResult body = out.getMessage().getBody(KontextResult.class);
        assertEquals(id, body.requestId());
        assertFalse(body.images().isEmpty());
    }

    private static void imageAndPrompt(Exchange exchange, String prompt) {
        exchange.getMessage().setBody(TestImages.png(48, 32));
        exchange.getMessage().setHeader(FluxKontextConstants.PROMPT, prompt);
    }

    private static Map<String, Object> withoutImage(Map<String, Object> sent) {
        assertTrue(String.valueOf(sent.get("image_url")).startsWith("data:image/png;base64,"), "the image went inline");
        for (String field : PRO_MAX_FIELDS) {
            assertFalse(sent.containsKey(field), field + " is pro/max's only");
        }
        Map<String, Object> rest = new LinkedHashMap<>(sent);
        rest.remove("image_url");
        return rest;
    }

    private static String dataUri(String type, byte[] bytes) {
        return "data:" + type + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }

    private static File write(String name, byte[] bytes) throws Exception {
        Path path = dir.resolve(name);
        Files.write(path, bytes);
        return path.toFile();
    }

    private static RouteBuilder route(String uri) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:family").to(uri);
            }
        };
    }
}
