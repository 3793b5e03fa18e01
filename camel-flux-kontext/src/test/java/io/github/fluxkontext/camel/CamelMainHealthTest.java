package io.github.fluxkontext.camel;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The readiness check and the dev console where a Camel Main application (and JBang, which runs on Camel
 * Main) shows them: the management HTTP server's health and console paths, turned on by properties alone.
 */
class CamelMainHealthTest extends FluxKontextTestSupport {

    private final List<Main> started = new ArrayList<>();

    @AfterEach
    void stopMains() {
        started.forEach(Main::stop);
    }

    @Test
    void theHealthEndpointShowsTheProducerUpWhenFalTakesTheKey() throws Exception {
        int port = startMain(KEY);

        HttpResponse<String> health = get(port, "/observe/health?exposureLevel=full");

        assertEquals(200, health.statusCode(), health.body());
        JsonNode check = fluxKontextCheck(health.body());
        assertEquals("UP", check.path("status").asText(), check.toString());
    }

    @Test
    void theHealthEndpointIsDownWhenFalRefusesTheKey() throws Exception {
        int port = startMain("not-the-key:at-all");

        HttpResponse<String> health = get(port, "/observe/health?exposureLevel=full");

        assertEquals(503, health.statusCode(), "a DOWN readiness check makes the application not ready: " + health.body());
        JsonNode check = fluxKontextCheck(health.body());
        assertEquals("DOWN", check.path("status").asText(), check.toString());
        assertTrue(check.toString().contains("refused the key"), check.toString());
        assertFalse(health.body().contains("not-the-key"), "no key in the health answer");
    }

    @Test
    void theDevConsoleIsServedWithTheEndpointsFigures() throws Exception {
        int port = startMain(KEY);
        mainContext().createProducerTemplate().requestBody("direct:paint", "a fox for the console");

        HttpResponse<String> console = get(port, "/q/dev/flux-kontext", "Accept", "application/json");

        assertEquals(200, console.statusCode(), console.body());
        JsonNode endpoint = new ObjectMapper().readTree(console.body()).path("flux-kontext").path("components").path(0)
                .path("endpoints").path(0);
        assertEquals(1, endpoint.path("submits").asInt(), console.body());
        assertEquals(1, endpoint.path("completions").asInt(), console.body());
        assertFalse(console.body().contains(KEY), "no key in the console");
    }

    private org.apache.camel.CamelContext mainContext() {
        return started.get(started.size() - 1).getCamelContext();
    }

    private int startMain(String apiKey) throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        Main main = new Main();
        main.addInitialProperty("camel.component.flux-kontext.base-url", FAL.baseUrl());
        main.addInitialProperty("camel.component.flux-kontext.api-key", apiKey);
        main.addInitialProperty("camel.component.flux-kontext.auth-scheme", "Key");
        // camel-platform-http-main's management server: /observe/health
        main.addInitialProperty("camel.management.enabled", "true");
        main.addInitialProperty("camel.management.port", Integer.toString(port));
        main.addInitialProperty("camel.management.healthCheckEnabled", "true");
        main.addInitialProperty("camel.management.devConsoleEnabled", "true");
        main.addInitialProperty("camel.main.devConsoleEnabled", "true");
        main.addInitialProperty("camel.health.enabled", "true");
        main.addInitialProperty("camel.health.producersEnabled", "true");
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:paint").to("flux-kontext:text-to-image");
            }
        });
        main.start();
        started.add(main);
        return port;
    }

    private static HttpResponse<String> get(int port, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode fluxKontextCheck(String body) throws Exception {
        for (JsonNode check : new ObjectMapper().readTree(body).path("checks")) {
            if (check.path("name").asText().startsWith("producer:flux-kontext-text-to-image")) {
                return check;
            }
        }
        throw new AssertionError("no flux-kontext check in " + body);
    }
}
