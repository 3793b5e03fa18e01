package io.github.fluxkontext.camel.quarkus;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.fluxkontext.camel.FluxKontextComponent;
import io.github.fluxkontext.camel.FluxKontextConfiguration;
import io.github.fluxkontext.camel.FluxKontextConstants;
import io.github.fluxkontext.camel.FluxKontextModel;
import io.github.fluxkontext.camel.OutputType;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.FalSimulator;
import io.github.fluxkontext.simulator.JournalEntry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The application's routes, Java (KontextRoutes) and YAML (routes/kontext-routes.yaml), on Camel Quarkus against the
 * simulator, the component configured only by application.properties (and FAL_KEY for the key).
 */
@QuarkusTest
@WithTestResource(FalSimulatorResource.class)
class KontextRoutesTest {

    @Inject
    CamelContext camelContext;
    @Inject
    ProducerTemplate template;

    FalSimulator simulator;

    @TempDir
    Path dir;

    @Test
    void theComponentIsConfiguredFromApplicationProperties() {
        FluxKontextConfiguration conf = camelContext.getComponent("flux-kontext", FluxKontextComponent.class).getConfiguration();

        assertEquals(simulator.baseUrl(), conf.getBaseUrl(), "from the test resource");
        assertEquals(OutputType.BYTES, conf.getOutputType());
        assertEquals("png", conf.getOutputFormat());
        assertEquals("16:9", conf.getAspectRatio());
        assertEquals(42L, conf.getSeed());
        assertEquals(20, conf.getPollInterval(), "20ms");
        assertEquals(100, conf.getMaxPollInterval(), "100ms");
        assertEquals(30_000, conf.getTimeout(), "30s");
        assertEquals(50, conf.getRetryDelay(), "50ms");
        assertEquals(2, conf.getMaxRetries());
        assertEquals(8, camelContext.getComponent("flux-kontext", FluxKontextComponent.class).getMaxConcurrentJobs());
        assertNull(conf.getApiKey(), "the key is not configured: the component takes FAL_KEY");
        // not set: the component's own defaults
        assertEquals(FluxKontextModel.PRO, conf.getModel());
        assertEquals(10_000, conf.getConnectTimeout());
    }

    @ParameterizedTest
    @ValueSource(strings = { "java", "yaml" })
    void textToImage(String dsl) throws IOException {
        Exchange done = send(dsl, "text-to-image", "A lighthouse at dusk, " + dsl, Map.of());

        TestImages.assertPng(assertInstanceOf(byte[].class, done.getMessage().getBody()), 16, 9);
        JournalEntry submit = submitOf(done);
        assertEquals("/fal-ai/flux-pro/kontext/text-to-image", submit.path());
        // Bearer: the component's scheme for a host other than fal's
        assertEquals("Bearer " + FalSimulatorResource.KEY, submit.header("Authorization"), "the key from FAL_KEY");
        Map<String, Object> input = submit.bodyAsJson();
        assertEquals("A lighthouse at dusk, " + dsl, input.get("prompt"));
        assertEquals("png", input.get("output_format"));
        assertEquals("16:9", input.get("aspect_ratio"));
        assertEquals(42, ((Number) input.get("seed")).intValue());
    }

    @ParameterizedTest
    @ValueSource(strings = { "java", "yaml" })
    void editAnImageFromALocalFile(String dsl) throws IOException {
        Path photo = TestImages.writePng(dir.resolve("photo.png"), Color.ORANGE);

        Exchange done = send(dsl, "edit", photo.toFile(), Map.of(FluxKontextConstants.PROMPT, "Make it night, " + dsl));

        TestImages.assertPng(assertInstanceOf(byte[].class, done.getMessage().getBody()), 16, 9);
        JournalEntry submit = submitOf(done);
        assertEquals("/fal-ai/flux-pro/kontext", submit.path());
        assertEquals("Make it night, " + dsl, submit.bodyAsJson().get("prompt"));
        TestImages.assertDataUriOf(photo, submit.bodyAsJson().get("image_url"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "java", "yaml" })
    void combineLocalImages(String dsl) throws IOException {
        Path duck = TestImages.writePng(dir.resolve("duck.png"), Color.YELLOW);
        Path shirt = TestImages.writePng(dir.resolve("shirt.png"), Color.BLUE);

        Exchange done = send(dsl, "multi", List.of(duck, shirt.toFile()),
                Map.of(FluxKontextConstants.PROMPT, "Put the duck on the shirt, " + dsl));

        TestImages.assertPng(assertInstanceOf(byte[].class, done.getMessage().getBody()), 16, 9);
        JournalEntry submit = submitOf(done);
        assertEquals("/fal-ai/flux-pro/kontext/multi", submit.path());
        List<?> imageUrls = assertInstanceOf(List.class, submit.bodyAsJson().get("image_urls"));
        assertEquals(2, imageUrls.size(), imageUrls.toString());
        TestImages.assertDataUriOf(duck, imageUrls.get(0));
        TestImages.assertDataUriOf(shirt, imageUrls.get(1));
    }

    /** Sends through the route of that DSL and operation, and checks that this route ran and did not fail. */
    private Exchange send(String dsl, String operation, Object body, Map<String, Object> headers) {
        String route = dsl + "-" + operation;
        Exchange done = template.request("direct:" + route, exchange -> {
            exchange.getMessage().setBody(body);
            exchange.getMessage().setHeaders(new HashMap<>(headers));
        });
        assertNull(done.getException(), () -> "the exchange failed: " + done.getException());
        assertEquals(route, done.getFromRouteId());
        return done;
    }

    private JournalEntry submitOf(Exchange done) {
        String requestId = done.getMessage().getHeader(FluxKontextConstants.REQUEST_ID, String.class);
        return simulator.journal().entries(FalOperation.SUBMIT).stream()
                .filter(submit -> submit.requestId() != null && submit.requestId().equals(requestId))
                .findFirst().orElseThrow(() -> new AssertionError("no submit of request " + requestId));
    }
}
