package io.github.fluxkontext.camel;

import java.util.Map;
import java.util.stream.Stream;

import io.github.fluxkontext.camel.model.FluxKontextValidationException;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Kontext input fixed in an endpoint's URI (or the component's options) is checked when the route starts, by the
 * same rules as each message, and named as the user wrote it: a value that would fail every message fails the
 * deployment instead, and nothing is sent.
 */
class FixedInputAtStartTest extends FluxKontextTestSupport {

    static Stream<Arguments> fixedBadValues() {
        return Stream.of(
                arguments("flux-kontext:text-to-image?numImages=9", "option numImages", "9", "from 1 to 4"),
                arguments("flux-kontext:text-to-image?numImages=0", "option numImages", "0", "from 1 to 4"),
                arguments("flux-kontext:text-to-image?aspectRatio=16x9", "option aspectRatio", "'16x9'", "16:9"),
                arguments("flux-kontext:multi?outputFormat=gif", "option outputFormat", "'gif'", "jpeg, png"),
                arguments("flux-kontext:text-to-image?guidanceScale=50", "option guidanceScale", "50.0", "from 1 to 20"),
                arguments("flux-kontext:edit?safetyTolerance=9", "option safetyTolerance", "'9'", "1, 2, 3, 4, 5, 6"),
                arguments("flux-kontext:text-to-image?seed=-1", "option seed", "-1", "from 0 to 4294967295"),
                arguments("flux-kontext:edit?imageUrl=ftp://example.com/a.png", "option imageUrl", "'ftp://example.com/a.png'",
                        "http(s) URL"),
                arguments("flux-kontext:edit?imageUrl=data:text/plain;base64,aGVsbG8=", "option imageUrl", "'data:text/plain",
                        "not an accepted image type"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixedBadValues")
    void aBadValueInTheUriFailsTheRouteStartNamingTheOption(String uri, String option, String value, String allowed) {
        Exception e = assertThrows(Exception.class, () -> context.addRoutes(route(uri)));

        FluxKontextValidationException cause = cause(e);
        assertEquals(option, cause.getField(), cause.getMessage());
        assertTrue(cause.getMessage().startsWith("Invalid " + option + ": " + value), cause.getMessage());
        assertTrue(cause.getMessage().contains(allowed), "says what is allowed (" + allowed + "): " + cause.getMessage());
        assertTrue(rootMessage(e).contains(option), "what the start failure says: " + rootMessage(e));
        assertTrue(sim().journal().entries().isEmpty(), "nothing sent: " + sim().journal().entries());
    }

    @Test
    void aBadComponentDefaultFailsTheStartOfEveryRouteThatSubmits() {
        context.getComponent("flux-kontext", FluxKontextComponent.class).getConfiguration().setNumImages(5);

        Exception e = assertThrows(Exception.class, () -> context.addRoutes(route("flux-kontext:text-to-image")));

        assertEquals("option numImages", cause(e).getField());
    }

    @Test
    void fixedValuesThatFollowTheRulesStartAndAreSent() throws Exception {
        context.addRoutes(route("flux-kontext:text-to-image?numImages=2&aspectRatio=16:9&outputFormat=png&guidanceScale=20"
                                + "&safetyTolerance=6&seed=4294967295"));

        template.requestBody("direct:fixed", "four foxes");

        Map<String, Object> sent = onlySubmit().bodyAsJson();
        assertEquals(2, sent.get("num_images"));
        assertEquals("16:9", sent.get("aspect_ratio"));
        assertEquals("6", sent.get("safety_tolerance"));
    }

    @Test
    void theImageUrlOptionIsCheckedOnlyWhereItIsUsed() throws Exception {
        // a component-wide imageUrl is edit's only: text-to-image ignores it, so it does not fail there
        context.getComponent("flux-kontext", FluxKontextComponent.class).getConfiguration().setImageUrl("ftp://example.com/a.png");

        context.addRoutes(route("flux-kontext:text-to-image"));

        template.requestBody("direct:fixed", "a fox");
        assertEquals("a fox", onlySubmit().bodyAsJson().get("prompt"));
    }

    @Test
    void aMapBodyValueIsNamedByFalsFieldAndTheOption() {
        FluxKontextValidationException e = failure(FluxKontextValidationException.class, "flux-kontext:text-to-image",
                Map.of("prompt", "p", "num_images", 9), Map.of());

        assertEquals("body field num_images (numImages)", e.getField());
        assertTrue(e.getMessage().startsWith("Invalid body field num_images (numImages): 9"), e.getMessage());
        assertTrue(sim().journal().entries().isEmpty(), "nothing sent");
    }

    @Test
    void aHeaderValueIsNamedByTheHeader() {
        FluxKontextValidationException e = failure(FluxKontextValidationException.class, "flux-kontext:text-to-image", "p",
                Map.of(FluxKontextConstants.ASPECT_RATIO, "16x9"));

        assertEquals("header CamelFluxKontextAspectRatio", e.getField(), e.getMessage());
    }

    private static RouteBuilder route(String uri) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:fixed").to(uri);
            }
        };
    }

    private static FluxKontextValidationException cause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FluxKontextValidationException validation) {
                return validation;
            }
        }
        throw new AssertionError("no FluxKontextValidationException in " + e, e);
    }
}
