package io.github.fluxkontext.camel;

import java.util.Map;

import io.github.fluxkontext.camel.model.KontextResult;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.spi.EndpointUriFactory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generated configurers and URI factory at work: Camel Main properties, URI options, secrets. */
class ConfigurationBindingTest extends FluxKontextTestSupport {

    @Test
    void camelMainBindsComponentOptionsFromProperties() throws Exception {
        Main main = new Main();
        main.addInitialProperty("camel.component.flux-kontext.base-url", FAL.baseUrl());
        main.addInitialProperty("camel.component.flux-kontext.api-key", KEY);
        main.addInitialProperty("camel.component.flux-kontext.auth-scheme", "Key");
        main.addInitialProperty("camel.component.flux-kontext.poll-interval", "50ms");
        main.addInitialProperty("camel.component.flux-kontext.max-poll-interval", "1s");
        main.addInitialProperty("camel.component.flux-kontext.output-format", "png");
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:generate").to("flux-kontext:text-to-image");
            }
        });
        main.start();
        try {
            CamelContext camel = main.getCamelContext();
            FluxKontextConfiguration bound = camel.getComponent("flux-kontext", FluxKontextComponent.class).getConfiguration();
            assertEquals(FAL.baseUrl(), bound.getBaseUrl());
            assertEquals(KEY, bound.getApiKey());
            assertEquals(50, bound.getPollInterval(), "durations accept 50ms");
            assertEquals(1000, bound.getMaxPollInterval(), "durations accept 1s");

            KontextResult result = camel.createProducerTemplate().requestBody("direct:generate", "a fox", KontextResult.class);

            assertEquals("image/png", result.images().get(0).contentType());
            assertEquals("Key " + KEY, onlySubmit().header("Authorization"));
        } finally {
            main.stop();
        }
    }

    @Test
    void camelMainReadsAPropertiesFileWithEnvironmentPlaceholders() throws Exception {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("classpath:camel-main-test.properties");
        main.start();
        try {
            FluxKontextConfiguration bound = main.getCamelContext().getComponent("flux-kontext", FluxKontextComponent.class)
                    .getConfiguration();
            assertEquals(OutputType.BYTES, bound.getOutputType());
            assertEquals(120_000, bound.getTimeout());
            assertEquals(7, bound.getMaxRetries(), "from the environment variable FLUX_KONTEXT_TEST_MAX_RETRIES");
            assertEquals(FluxKontextModel.MAX, bound.getModel(), "the placeholder's default when the variable is not set");
        } finally {
            main.stop();
        }
    }

    @Test
    void theKeyFallsBackToTheFalKeyEnvironmentVariable() {
        // surefire sets FAL_KEY for this JVM (see the pom); the simulator here accepts any key
        try (io.github.fluxkontext.simulator.FalSimulator anyKey = io.github.fluxkontext.simulator.FalSimulator.start()) {
            template.requestBody("flux-kontext:text-to-image?waitForResult=false&apiKey=&authScheme=Key&baseUrl=" + anyKey.baseUrl(),
                    "a fox");

            assertEquals("Key " + System.getenv("FAL_KEY"),
                    anyKey.journal().entries(io.github.fluxkontext.simulator.FalOperation.SUBMIT).get(0).header("Authorization"));
        }
    }

    @Test
    void uriOptionsOverrideTheComponentWithoutChangingIt() {
        FluxKontextEndpoint endpoint = context.getEndpoint("flux-kontext:edit?model=max&pollInterval=2s&timeout=3m&numImages=3"
                                                           + "&outputType=bytes&imageUpload=fal-storage", FluxKontextEndpoint.class);

        FluxKontextConfiguration configuration = endpoint.getConfiguration();
        assertEquals(2000, configuration.getPollInterval());
        assertEquals(180_000, configuration.getTimeout());
        assertEquals(3, configuration.getNumImages());
        assertEquals("fal-ai/flux-pro/kontext/max", endpoint.getFalEndpointId());
        FluxKontextConfiguration defaults = context.getComponent("flux-kontext", FluxKontextComponent.class).getConfiguration();
        assertEquals(20, defaults.getPollInterval());
        assertNull(defaults.getNumImages());
        assertEquals(OutputType.RESULT, defaults.getOutputType());
    }

    @Test
    void theKeyIsMaskedInTheEndpointUri() {
        FluxKontextEndpoint endpoint = context.getEndpoint("flux-kontext:text-to-image?apiKey=" + KEY, FluxKontextEndpoint.class);

        assertFalse(endpoint.toString().contains(KEY), endpoint.toString());
        assertFalse(endpoint.getConfiguration().toString().contains(KEY));
        assertTrue(endpoint.getEndpointUri().contains("apiKey") || endpoint.toString().contains("xxxxxx"), endpoint.toString());
    }

    @Test
    void theWebhookSecretIsMaskedLikeTheKey() throws Exception {
        String secret = "a-webhook-secret-that-stays-hidden";
        FluxKontextEndpoint endpoint = context.getEndpoint("flux-kontext:text-to-image?webhookSecret=" + secret, FluxKontextEndpoint.class);

        assertFalse(endpoint.toString().contains(secret), endpoint.toString());
        assertFalse(endpoint.getConfiguration().toString().contains(secret), endpoint.getConfiguration().toString());
        assertTrue(context.getCamelContextExtension().getEndpointUriFactory("flux-kontext").secretPropertyNames().contains("webhookSecret"));
    }

    @Test
    void theUriFactoryKnowsEveryOptionAndTheSecret() throws Exception {
        EndpointUriFactory factory = context.getCamelContextExtension().getEndpointUriFactory("flux-kontext");

        assertTrue(factory.propertyNames().containsAll(java.util.Set.of("operation", "apiKey", "baseUrl", "pollInterval",
                "outputType", "imageUpload", "maxRetries", "submitRetry", "sslContextParameters")));
        assertTrue(factory.secretPropertyNames().contains("apiKey"));
        assertEquals("flux-kontext:multi?model=max", factory.buildUri("flux-kontext", Map.of("operation", "multi", "model", "max"), false));
    }

    @Test
    void badOptionValuesFailWhenTheRouteStarts() {
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.addComponent("flux-kontext", new FluxKontextComponent());
        Exception e = assertThrows(Exception.class, () -> {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:x").to("flux-kontext:edit?outputType=file");
                }
            });
            camel.start();
        });
        camel.stop();
        assertTrue(rootMessage(e).contains("outputType") && rootMessage(e).contains("bytes, result, urls"), rootMessage(e));
    }

    @Test
    void plainHttpToAnotherHostNeedsAnOptIn() {
        Exception e = assertThrows(Exception.class, () -> context.getEndpoint("flux-kontext:edit?baseUrl=http://fal.example.com"));
        assertTrue(rootMessage(e).contains("allowInsecureHttp"), rootMessage(e));

        FluxKontextEndpoint allowed = context.getEndpoint("flux-kontext:edit?baseUrl=http://fal.example.com&allowInsecureHttp=true",
                FluxKontextEndpoint.class);
        assertEquals("http://fal.example.com", allowed.getServiceUrl());
    }
}
