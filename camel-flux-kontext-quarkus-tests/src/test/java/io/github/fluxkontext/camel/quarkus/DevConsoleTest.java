package io.github.fluxkontext.camel.quarkus;

import java.util.List;
import java.util.Map;

import io.github.fluxkontext.camel.FluxKontextDevConsole;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.console.DevConsole;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The dev console flux-kontext on Camel Quarkus: Camel finds it by its service file,
 * META-INF/services/org/apache/camel/dev-console/flux-kontext, which Camel Quarkus serves only when a discovery
 * pattern lists it: here application.properties' quarkus.camel.service.discovery.include-patterns (with
 * camel-quarkus-console, that extension lists every dev console itself). Without the pattern the resolver finds
 * nothing and this test fails.
 */
@QuarkusTest
@WithTestResource(FalSimulatorResource.class)
class DevConsoleTest {

    @Inject
    CamelContext camelContext;
    @Inject
    ProducerTemplate template;

    @Test
    void theConsoleIsFoundAndCountsTheJobs() {
        DevConsole console = PluginHelper.getDevConsoleResolver(camelContext).resolveDevConsole("flux-kontext");
        assertNotNull(console, "no dev console flux-kontext: is its service file in quarkus.camel.service.discovery.include-patterns?");
        assertInstanceOf(FluxKontextDevConsole.class, console);
        long before = textToImageSubmits(console);

        template.requestBody("direct:java-text-to-image", "A fox for the console");

        assertEquals(before + 1, textToImageSubmits(console));
        assertFalse(console.call(DevConsole.MediaType.TEXT).toString().contains(FalSimulatorResource.KEY), "no key in the console");
    }

    private static long textToImageSubmits(DevConsole console) {
        Map<?, ?> json = assertInstanceOf(Map.class, console.call(DevConsole.MediaType.JSON));
        List<?> components = assertInstanceOf(List.class, json.get("components"));
        assertEquals(1, components.size(), json.toString());
        List<?> endpoints = assertInstanceOf(List.class, ((Map<?, ?>) components.get(0)).get("endpoints"));
        return endpoints.stream().map(e -> (Map<?, ?>) e)
                .filter(e -> String.valueOf(e.get("uri")).contains("text-to-image"))
                .mapToLong(e -> ((Number) e.get("submits")).longValue())
                .findFirst().orElseThrow(() -> new AssertionError("no text-to-image endpoint in " + json));
    }
}
