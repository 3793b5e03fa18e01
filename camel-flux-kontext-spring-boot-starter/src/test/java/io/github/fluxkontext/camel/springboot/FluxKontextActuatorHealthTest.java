package io.github.fluxkontext.camel.springboot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.FalSimulatorExtension;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The producer's readiness check in Spring Boot Actuator's health endpoint, turned on with
 * camel.health.producers-enabled=true: camel-spring-boot's camelHealth indicator runs it, and it asks the
 * (simulated) fal with the configured key. And the endpoint's meters in Actuator's metrics.
 */
@SpringBootTest(classes = FluxKontextActuatorHealthTest.Application.class,
                webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
                properties = {
                        "camel.component.flux-kontext.api-key=starter-key",
                        "camel.health.producers-enabled=true",
                        "camel.health.exposure-level=full",
                        "management.endpoints.web.exposure.include=health,metrics",
                        "management.endpoint.health.show-details=always",
                        "spring.main.banner-mode=off"
                })
@DirtiesContext
class FluxKontextActuatorHealthTest {

    @RegisterExtension
    static final FalSimulatorExtension FAL = FalSimulatorExtension.create(b -> b.apiKey("starter-key")
            .queueTime(Duration.ofMillis(20)).runTime(Duration.ofMillis(50)).imageScale(0.25));

    @DynamicPropertySource
    static void falProperties(DynamicPropertyRegistry registry) {
        registry.add("camel.component.flux-kontext.base-url", FAL::baseUrl);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        @Bean
        RouteBuilder paintRoute() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:paint").to("flux-kontext:text-to-image");
                }
            };
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    ProducerTemplate template;

    @Test
    void actuatorHealthRunsTheProducersReadinessCheckAgainstFal() throws Exception {
        HttpResponse<String> health = get("/actuator/health");

        assertEquals(200, health.statusCode(), health.body());
        JsonNode camelHealth = new ObjectMapper().readTree(health.body()).path("components").path("camelHealth");
        assertEquals("UP", camelHealth.path("status").asText(), health.body());
        Map.Entry<String, JsonNode> check = fluxKontextCheck(camelHealth.path("details"), health.body());
        assertTrue(check.getValue().toString().contains("UP"), check.toString());
        assertTrue(FAL.simulator().journal().entries(FalOperation.STATUS).stream()
                .anyMatch(probe -> "Bearer starter-key".equals(probe.header("Authorization"))), "the check asked fal with the key");
        assertFalse(health.body().contains("starter-key"), "no key in the health answer");
    }

    @Test
    void actuatorMetricsCountTheJobs() throws Exception {
        template.requestBody("direct:paint", "a fox for the metrics");

        HttpResponse<String> submits = get("/actuator/metrics/flux.kontext.submits");

        assertEquals(200, submits.statusCode(), "the meter is in Spring Boot's MeterRegistry: " + submits.body());
        JsonNode measurement = new ObjectMapper().readTree(submits.body()).path("measurements").path(0);
        assertEquals(1.0, measurement.path("value").asDouble(), submits.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Map.Entry<String, JsonNode> fluxKontextCheck(JsonNode details, String body) {
        for (Iterator<Map.Entry<String, JsonNode>> it = details.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> detail = it.next();
            if (detail.getKey().contains("flux-kontext")) {
                return detail;
            }
        }
        throw new AssertionError("no flux-kontext check in " + body);
    }
}
