package io.github.fluxkontext.camel;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import io.github.fluxkontext.camel.model.FluxKontextValidationException;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The request controls on the submit, as the simulator's journal shows them: mediaExpiration as fal's lifecycle
 * preference, falHeaders passed through; and each refused pass-through, with its message and nothing sent.
 */
class RequestControlsTest extends FluxKontextTestSupport {

    private static final String T2I = "flux-kontext:text-to-image?waitForResult=false";
    private static final String LIFECYCLE = "X-Fal-Object-Lifecycle-Preference";

    @Test
    void mediaExpirationIsSentAsTheLifecyclePreferenceInWholeSeconds() {
        template.requestBody(T2I + "&mediaExpiration=1h", "a lighthouse");

        assertEquals("{\"expiration_duration_seconds\": 3600}", onlySubmit().header(LIFECYCLE));
    }

    @Test
    void theMediaExpirationHeaderWinsOverTheOption() {
        template.requestBodyAndHeader(T2I + "&mediaExpiration=1h", "a lighthouse", FluxKontextConstants.MEDIA_EXPIRATION,
                Duration.ofMinutes(5));

        assertEquals("{\"expiration_duration_seconds\": 300}", onlySubmit().header(LIFECYCLE));
    }

    @Test
    void aMediaExpirationHeaderMayBeWrittenAsText() {
        template.requestBodyAndHeader(T2I, "a lighthouse", FluxKontextConstants.MEDIA_EXPIRATION, "PT2H");

        assertEquals("{\"expiration_duration_seconds\": 7200}", onlySubmit().header(LIFECYCLE));
    }

    @Test
    void withoutMediaExpirationFalKeepsItsDefault() {
        template.requestBody(T2I, "a lighthouse");

        assertNull(onlySubmit().header(LIFECYCLE));
    }

    @Test
    void falHeadersOfTheOptionAndTheMessageArePassedThroughTheMessageWinning() {
        template.requestBodyAndHeader(T2I + "&falHeaders=x-fal-no-retry=1,x-fal-runner-hint=eu", "a lighthouse",
                FluxKontextConstants.FAL_HEADERS, Map.of("X-Fal-Runner-Hint", "us", "x-fal-debug", true));

        assertEquals("1", onlySubmit().header("x-fal-no-retry"));
        assertEquals("us", onlySubmit().header("x-fal-runner-hint"));
        assertEquals("true", onlySubmit().header("x-fal-debug"));
    }

    static Stream<Arguments> refusedPassThroughs() {
        return Stream.of(
                arguments("Authorization", "Key another:key-of-someone", "only x-fal-* request headers"),
                arguments("X-Custom-Trace", "abc", "only x-fal-* request headers"),
                arguments("x-fal-key", "whatever", "looks like a credential"),
                arguments("x-fal-note", "see " + KEY, "contains an API key"),
                arguments("x-fal-queue-priority", "low", "sets x-fal-queue-priority itself"),
                arguments("X-Fal-Object-Lifecycle-Preference", "{\"expiration_duration_seconds\": 1}", "sets x-fal-object-lifecycle-preference itself"),
                arguments("x-fal-runner-hint", "eu\r\nAuthorization: Key x", "printable ASCII"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedPassThroughs")
    void aRefusedPassThroughFailsNamingTheHeaderAndNothingIsSent(String name, String value, String why) {
        FluxKontextValidationException e = failure(FluxKontextValidationException.class, T2I, "a lighthouse",
                Map.of(FluxKontextConstants.FAL_HEADERS, Map.of(name, value)));

        assertEquals("header " + FluxKontextConstants.FAL_HEADERS, e.getField());
        assertTrue(e.getMessage().contains("'" + name.toLowerCase(java.util.Locale.ROOT) + "'"), "names the header: " + e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
        assertFalse(e.getMessage().contains(KEY.substring(KEY.indexOf(':') + 1)), "never the key: " + e.getMessage());
        assertTrue(sim().journal().entries().isEmpty(), "nothing sent: " + sim().journal().entries());
    }

    @Test
    void moreThanSixteenPassThroughsAreRefused() {
        Map<String, Object> many = new LinkedHashMap<>();
        for (int i = 0; i < 17; i++) {
            many.put("x-fal-h" + i, "1");
        }

        FluxKontextValidationException e = failure(FluxKontextValidationException.class, T2I, "a lighthouse",
                Map.of(FluxKontextConstants.FAL_HEADERS, many));

        assertTrue(e.getMessage().contains("at most 16"), e.getMessage());
        assertTrue(sim().journal().entries().isEmpty());
    }

    @Test
    void aMediaExpirationHeaderThatIsNoDurationFailsNamingIt() {
        FluxKontextValidationException e = failure(FluxKontextValidationException.class, T2I, "a lighthouse",
                Map.of(FluxKontextConstants.MEDIA_EXPIRATION, "soon"));

        assertEquals("header " + FluxKontextConstants.MEDIA_EXPIRATION, e.getField());
        assertTrue(sim().journal().entries().isEmpty());
    }

    static Stream<Arguments> refusedOptions() {
        return Stream.of(
                arguments("falHeaders=authorization=Key%20abc", "option falHeaders", "only x-fal-* request headers"),
                arguments("falHeaders=x-fal-no-retry", "option falHeaders", "name=value pairs"),
                arguments("falHeaders=x-fal-request-timeout=5", "option falHeaders", "sets x-fal-request-timeout itself"),
                arguments("mediaExpiration=1500", "option mediaExpiration", "whole seconds"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedOptions")
    void aRefusedOptionFailsTheRouteStartNamingIt(String option, String field, String why) {
        Exception e = assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:controls").to(T2I + "&" + option);
            }
        }));

        Throwable cause = e;
        while (!(cause instanceof FluxKontextValidationException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        FluxKontextValidationException validation = (FluxKontextValidationException) cause;
        assertEquals(field, validation.getField());
        assertTrue(validation.getMessage().contains(why), validation.getMessage());
        assertTrue(sim().journal().entries().isEmpty(), "nothing sent: " + sim().journal().entries());
    }
}
