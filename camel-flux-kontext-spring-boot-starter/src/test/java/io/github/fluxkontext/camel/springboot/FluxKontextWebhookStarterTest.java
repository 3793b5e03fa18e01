package io.github.fluxkontext.camel.springboot;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextResult;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.Fault;
import io.github.fluxkontext.simulator.FalSimulator;
import io.github.fluxkontext.simulator.FalSimulatorExtension;
import io.github.fluxkontext.simulator.WebhookDelivery;
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

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * flux-kontext:webhook on Spring Boot's web server (Tomcat) through camel-platform-http-starter: on Spring Boot 3.5
 * with Camel 4.18 platform-http hands the body over as characters, and fal's callbacks (UTF-8 JSON) still verify.
 * The consumer accepts only its own account's callbacks of jobs submitted with its webhook secret, both set as
 * Spring Boot properties.
 */
@SpringBootTest(classes = FluxKontextWebhookStarterTest.Application.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
                properties = {
                        "camel.component.flux-kontext.api-key=starter-key",
                        "camel.component.flux-kontext.poll-interval=20ms",
                        "camel.component.flux-kontext.max-poll-interval=20s",
                        "camel.component.flux-kontext.timeout=30s",
                        "camel.component.flux-kontext.path=/fal/webhook",
                        "camel.component.flux-kontext.webhook-tolerance=1m",
                        "camel.component.flux-kontext.webhook-user-ids=sim-user",
                        "camel.component.flux-kontext.webhook-secret=the-starter-tests-webhook-secret",
                        "spring.main.banner-mode=off"
                })
@DirtiesContext
class FluxKontextWebhookStarterTest {

    @RegisterExtension
    static final FalSimulatorExtension FAL = FalSimulatorExtension.create(b -> b.apiKey("starter-key")
            .queueTime(Duration.ofMillis(20)).runTime(Duration.ofMillis(50)).imageScale(0.25)
            .webhookRetryDelays(List.of(Duration.ofMillis(50), Duration.ofMillis(100))));

    /** What reached the webhook route. */
    static final List<KontextResult> RECEIVED = new CopyOnWriteArrayList<>();

    @DynamicPropertySource
    static void falProperties(DynamicPropertyRegistry registry) {
        registry.add("camel.component.flux-kontext.base-url", FAL::baseUrl);
        registry.add("camel.component.flux-kontext.jwks-url", () -> FAL.baseUrl() + "/.well-known/jwks.json");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        @Bean
        RouteBuilder webhookRoutes() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("flux-kontext:webhook").process(e -> RECEIVED.add(e.getMessage().getBody(KontextResult.class)));
                    from("flux-kontext:webhook?path=/fal/small&maxWebhookSize=1024").routeId("small")
                            .process(e -> RECEIVED.add(e.getMessage().getBody(KontextResult.class)));
                }
            };
        }
    }

    @Autowired
    ProducerTemplate template;
    @LocalServerPort
    int port;

    private String webhookUrl() {
        return "http://127.0.0.1:" + port + "/fal/webhook";
    }

    @Test
    void aCallbackVerifiesAndReachesTheRoute(FalSimulator sim) {
        String id = template.requestBody("flux-kontext:text-to-image?waitForResult=false&webhookUrl=RAW(" + webhookUrl() + ")",
                "A lighthouse", KontextJob.class).requestId();

        await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVED.stream().anyMatch(r -> r.requestId().equals(id)));
        await().atMost(Duration.ofSeconds(5)).until(() -> sim.webhookDeliveries().stream().anyMatch(d -> d.requestId().equals(id)));
        List<WebhookDelivery> deliveries = sim.webhookDeliveries().stream().filter(d -> d.requestId().equals(id)).toList();
        assertEquals(List.of(200), deliveries.stream().map(WebhookDelivery::status).toList(), "verified at once");
    }

    @Test
    void anotherAccountsCallbackOrOneWithoutOurTokenIsRefusedAndNeverRouted(FalSimulator sim) {
        sim.faults().add(Fault.on(FalOperation.WEBHOOK).otherAccount("intruder"));
        String theirs = template.requestBody("flux-kontext:text-to-image?waitForResult=false&webhookUrl=RAW(" + webhookUrl() + ")",
                "Signed for another account first", KontextJob.class).requestId();
        String untokened = template.requestBody("flux-kontext:text-to-image?waitForResult=false&webhookSecret=not-the-consumers-secret"
                                                + "&webhookUrl=RAW(" + webhookUrl() + ")", "Submitted with another secret", KontextJob.class)
                .requestId();

        assertEquals(List.of(401, 200), statuses(sim, theirs, 2), "refused, then accepted when signed for our account");
        assertEquals(List.of(401, 401, 401), statuses(sim, untokened, 3), "every delivery, until fal gives up");
        await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVED.stream().anyMatch(r -> r.requestId().equals(theirs)));
        assertTrue(RECEIVED.stream().noneMatch(r -> r.requestId().equals(untokened)));
    }

    @Test
    void aChunkedBodyAboveMaxWebhookSizeIsRefused413(FalSimulator sim) throws Exception {
        // the URL a producer gave fal, token included: the body is what is refused
        String id = template.requestBody("flux-kontext:text-to-image?waitForResult=false&webhookUrl=RAW(http://127.0.0.1:" + port
                                         + "/fal/small)", "A fox", KontextJob.class).requestId();
        String query = sim.journal().entries(FalOperation.SUBMIT).stream().filter(e -> id.equals(e.requestId())).findFirst()
                .orElseThrow().query();
        String url = URLDecoder.decode(query.substring(query.indexOf("fal_webhook=") + "fal_webhook=".length()), StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[64 * 1024]))).build();

        HttpResponse<String> answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertEquals(413, answer.statusCode(), "chunked: no Content-Length to refuse it by");
        assertEquals("Payload Too Large", answer.body());
    }

    private static List<Integer> statuses(FalSimulator sim, String requestId, int attempts) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> sim.webhookDeliveries().stream().filter(d -> d.requestId().equals(requestId)).count() >= attempts);
        return sim.webhookDeliveries().stream().filter(d -> d.requestId().equals(requestId)).map(WebhookDelivery::status).toList();
    }

    @Test
    void aWaitingExchangeCompletesFromItsCallback(FalSimulator sim) {
        KontextResult result = template.requestBody("flux-kontext:text-to-image?waitMode=webhook&webhookUrl=RAW(" + webhookUrl() + ")",
                "A fox", KontextResult.class);

        assertEquals(1, result.images().size());
        assertTrue(sim.journal().entries(FalOperation.RESULT).stream().noneMatch(e -> result.requestId().equals(e.requestId())),
                "completed from the callback, not fetched");
        assertTrue(RECEIVED.stream().noneMatch(r -> r.requestId().equals(result.requestId())), "and not routed as well");
    }
}
