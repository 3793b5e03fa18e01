package io.github.fluxkontext.camel;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.fluxkontext.camel.model.FluxKontextValidationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every validation rule of the request table, one failing case each: the exchange fails before any
 * HTTP call, with a message that names the field as the user gave it (the header, fal's name in a body), the value
 * and what is allowed. Values fixed in the URI fail earlier, when the route starts: {@link FixedInputAtStartTest}.
 */
class ValidationTest extends FluxKontextTestSupport {

    private static final String T2I = "flux-kontext:text-to-image";
    private static final String EDIT = "flux-kontext:edit?prompt=edit it";
    private static final String MULTI = "flux-kontext:multi?prompt=combine";
    private static final String IMG = "https://example.com/a.png";
    private static int cases;

    static Stream<Arguments> invalidInputs() {
        return Stream.of(
                arguments("no prompt", T2I, null, Map.of(), "prompt", "non-blank"),
                arguments("blank prompt", T2I, "   ", Map.of(), "prompt", "non-blank"),
                arguments("edit without image", EDIT, null, Map.of(), "image_url", "exactly one input image"),
                arguments("edit with two images", EDIT, List.of(IMG, IMG), Map.of(), "image_urls", "exactly one image"),
                arguments("edit image not a URL", EDIT, null, Map.of(FluxKontextConstants.IMAGE_URL, "ftp://example.com/a.png"), "header CamelFluxKontextImageUrl", "http(s) URL"),
                arguments("edit image URL malformed", EDIT, null, Map.of(FluxKontextConstants.IMAGE_URL, "https://exa mple.com/a b.png"), "header CamelFluxKontextImageUrl", "not a valid URL"),
                arguments("data URI without base64", EDIT, null, Map.of(FluxKontextConstants.IMAGE_URL, "data:image/png,abc"), "header CamelFluxKontextImageUrl", "data:image/<type>;base64"),
                arguments("data URI of a non-image", EDIT, null, Map.of(FluxKontextConstants.IMAGE_URL, "data:text/plain;base64,aGVsbG8="), "header CamelFluxKontextImageUrl", "not an accepted image type"),
                arguments("data URI bad base64", EDIT, null, Map.of(FluxKontextConstants.IMAGE_URL, "data:image/png;base64,@@@@"), "header CamelFluxKontextImageUrl", "not valid base64"),
                arguments("bytes that are no image", EDIT, "just text".getBytes(), Map.of(), "image_url", "not an image"),
                arguments("text-to-image with an image", T2I + "?prompt=p", null, Map.of(FluxKontextConstants.IMAGE_URL, IMG), "header CamelFluxKontextImageUrl", "takes no input image"),
                arguments("text-to-image with image bytes", T2I + "?prompt=p", TestImages.png(4, 4), Map.of(), "body", "takes no input image"),
                arguments("multi without images", MULTI, null, Map.of(), "image_urls", "at least one input image"),
                arguments("multi with an empty list", MULTI, List.of(), Map.of(), "image_urls", "at least one input image"),
                arguments("multi with image_url", MULTI, null, Map.of(FluxKontextConstants.IMAGE_URL, IMG), "header CamelFluxKontextImageUrl", "as a list"),
                arguments("seed not an integer", T2I, "p", Map.of(FluxKontextConstants.SEED, "abc"), "header CamelFluxKontextSeed", "an integer"),
                arguments("seed a fraction", T2I, "p", Map.of(FluxKontextConstants.SEED, 1.5), "header CamelFluxKontextSeed", "an integer"),
                arguments("seed negative", T2I, "p", Map.of(FluxKontextConstants.SEED, -1), "header CamelFluxKontextSeed", "from 0 to 4294967295"),
                arguments("seed beyond 32 bits", T2I, "p", Map.of(FluxKontextConstants.SEED, 4_294_967_296L), "header CamelFluxKontextSeed", "from 0 to 4294967295"),
                arguments("multi with eleven images", MULTI, java.util.Collections.nCopies(11, IMG), Map.of(), "image_urls", "at most 10"),
                arguments("endpoint id climbing out of the base path", "flux-kontext:status", "0d6f6a6e-0000-4000-8000-000000000000",
                        Map.of(FluxKontextConstants.ENDPOINT_ID, "fal-ai/../x"), "endpoint id", "no segment of dots only"),
                arguments("guidance below 1", T2I, "p", Map.of(FluxKontextConstants.GUIDANCE_SCALE, 0.5), "header CamelFluxKontextGuidanceScale", "from 1 to 20"),
                arguments("guidance above 20", T2I, "p", Map.of(FluxKontextConstants.GUIDANCE_SCALE, "20.5"), "header CamelFluxKontextGuidanceScale", "from 1 to 20"),
                arguments("guidance not a number", T2I, "p", Map.of(FluxKontextConstants.GUIDANCE_SCALE, "high"), "header CamelFluxKontextGuidanceScale", "a number"),
                arguments("no images", T2I, "p", Map.of(FluxKontextConstants.NUM_IMAGES, 0), "header CamelFluxKontextNumImages", "from 1 to 4"),
                arguments("too many images", T2I, "p", Map.of(FluxKontextConstants.NUM_IMAGES, 5), "header CamelFluxKontextNumImages", "from 1 to 4"),
                arguments("images not integral", T2I, "p", Map.of(FluxKontextConstants.NUM_IMAGES, "2.5"), "header CamelFluxKontextNumImages", "an integer"),
                arguments("safety tolerance 7", T2I, "p", Map.of(FluxKontextConstants.SAFETY_TOLERANCE, "7"), "header CamelFluxKontextSafetyTolerance", "1, 2, 3, 4, 5, 6"),
                arguments("output format webp", T2I, "p", Map.of(FluxKontextConstants.OUTPUT_FORMAT, "webp"), "header CamelFluxKontextOutputFormat", "jpeg, png"),
                arguments("aspect ratio 5:4", T2I, "p", Map.of(FluxKontextConstants.ASPECT_RATIO, "5:4"), "header CamelFluxKontextAspectRatio", "16:9"),
                arguments("enhance prompt yes", T2I, "p", Map.of(FluxKontextConstants.ENHANCE_PROMPT, "yes"), "header CamelFluxKontextEnhancePrompt", "true or false"),
                arguments("sync mode a number", T2I, "p", Map.of(FluxKontextConstants.SYNC_MODE, 1), "header CamelFluxKontextSyncMode", "true or false"),
                arguments("map body with a wrong type", T2I, Map.of("prompt", "p", "enhance_prompt", "sure"), Map.of(), "body field enhance_prompt (enhancePrompt)", "true or false"),
                arguments("map body with a non-string key", T2I, Map.of(1, "p"), Map.of(), "body", "String keys"),
                arguments("image too large to inline", EDIT + "&maxInlineImageSize=64", TestImages.png(64, 64), Map.of(), "image_url", "imageUpload=fal-storage"),
                arguments("stream too large to inline", EDIT + "&maxInlineImageSize=64", new java.io.ByteArrayInputStream(TestImages.png(64, 64)),
                        Map.of(), "body", "at most 64 bytes"),
                arguments("data URI too large to inline", EDIT + "&maxInlineImageSize=64", null,
                        Map.of(FluxKontextConstants.IMAGE_URL, "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(TestImages.png(64, 64))),
                        "header CamelFluxKontextImageUrl", "maxInlineImageSize"),
                arguments("image file that does not exist", EDIT, java.nio.file.Path.of("no-such-dir", "missing.png"), Map.of(), "image_url",
                        "cannot be read"),
                arguments("status without request id", "flux-kontext:status", null, Map.of(), "request id", "CamelFluxKontextRequestId"),
                arguments("request id that is a path", "flux-kontext:result", "../../admin", Map.of(), "request id", "not a fal request id"),
                arguments("request ids that disagree", "flux-kontext:status", "0d6f6a6e-0000-4000-8000-000000000001",
                        Map.of(FluxKontextConstants.REQUEST_ID, "0d6f6a6e-0000-4000-8000-000000000002"), "request id", "left by an earlier call"),
                arguments("bad endpoint id header", "flux-kontext:cancel", "0d6f6a6e-0000-4000-8000-000000000000",
                        Map.of(FluxKontextConstants.ENDPOINT_ID, "no-owner"), "endpoint id", "owner/alias"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidInputs")
    void failsBeforeSendingAndNamesTheField(String name, String uri, Object body, Map<String, Object> headers, String field,
                                            String allowed) {
        FluxKontextValidationException e = failure(FluxKontextValidationException.class, uri, body, new HashMap<>(headers));

        assertEquals(field, e.getField(), e.getMessage());
        assertTrue(e.getMessage().contains(field), e.getMessage());
        assertTrue(e.getMessage().contains(allowed), () -> "message should say what is allowed (" + allowed + "): " + e.getMessage());
        assertTrue(sim().journal().entries().isEmpty(), "no request may reach the server: " + sim().journal().entries());
        cases++;
    }

    @AfterAll
    static void report() {
        System.out.printf("validation: %d invalid inputs tried, all rejected before any request%n", cases);
    }
}
