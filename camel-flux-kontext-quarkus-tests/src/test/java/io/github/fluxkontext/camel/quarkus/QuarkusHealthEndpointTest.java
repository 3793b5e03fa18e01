package io.github.fluxkontext.camel.quarkus;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fluxkontext.simulator.FalSimulator;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The producers' readiness checks on Quarkus' health endpoint, /q/health/ready, through
 * camel-quarkus-microprofile-health (the quarkus-http profile): it shows Camel's producer checks as one check,
 * camel-producers, and answers 503 while one of them is DOWN.
 */
@QuarkusTest
@WithTestResource(FalSimulatorResource.class)
@Tag("quarkus-http")
class QuarkusHealthEndpointTest {

    @Inject
    CamelContext camelContext;

    @TestHTTPResource("/q/health/ready")
    URL ready;

    FalSimulator simulator;

    @Test
    void readyWhenFalTakesTheKey() throws Exception {
        long probesBefore = FalSimulatorResource.statusRequestsWithTheKey(simulator);

        HttpResponse<String> health = get();

        assertEquals(200, health.statusCode(), health.body());
        assertEquals("UP", producersCheck(health).path("status").asText(), health.body());
        assertTrue(FalSimulatorResource.statusRequestsWithTheKey(simulator) > probesBefore, "the endpoint ran the producers' checks, which asked fal with the key");
    }

    @Test
    void notReadyWhileFalRefusesAProducersKey() throws Exception {
        WrongKeyRoute.add(camelContext);
        try {
            HttpResponse<String> health = get();

            assertEquals(503, health.statusCode(), health.body());
            JsonNode producers = producersCheck(health);
            assertEquals("DOWN", producers.path("status").asText(), health.body());
            assertEquals("401", producers.path("data").path("http.response.code").asText(), health.body());
            assertEquals("status", producers.path("data").path("operation").asText(), "the wrong key's endpoint: " + health.body());
            assertFalse(health.body().contains(WrongKeyRoute.WRONG_KEY), "no key in the health answer");
        } finally {
            WrongKeyRoute.remove(camelContext);
        }
        assertEquals(200, get().statusCode(), "ready again once the route is gone");
    }

    private HttpResponse<String> get() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(ready.toURI()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode producersCheck(HttpResponse<String> health) throws Exception {
        for (JsonNode check : new ObjectMapper().readTree(health.body()).path("checks")) {
            if ("camel-producers".equals(check.path("name").asText())) {
                return check;
            }
        }
        throw new AssertionError("no camel-producers check in " + health.body());
    }
}
