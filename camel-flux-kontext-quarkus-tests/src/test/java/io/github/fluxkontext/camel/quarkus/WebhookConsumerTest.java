package io.github.fluxkontext.camel.quarkus;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextResult;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.FalSimulator;
import io.github.fluxkontext.simulator.WebhookDelivery;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * flux-kontext:webhook on Quarkus' HTTP server through camel-quarkus-platform-http (the quarkus-http profile): the
 * simulator's signed callbacks verify (keys from its JWKS, jwks-url set by the test resource) and reach the route, and
 * a producer with waitMode=webhook completes from its callback. The path, /fal/webhook, is application.properties'
 * camel.component.flux-kontext.path. The route is added by the test, so that the application starts where
 * platform-http is missing (the default build).
 */
@QuarkusTest
@WithTestResource(FalSimulatorResource.class)
@Tag("quarkus-http")
class WebhookConsumerTest {

    /** What reached the webhook route. */
    static final List<KontextResult> RECEIVED = new CopyOnWriteArrayList<>();

    @Inject
    CamelContext camelContext;
    @Inject
    ProducerTemplate template;

    @TestHTTPResource("/fal/webhook")
    URL webhookUrl;

    FalSimulator simulator;

    @BeforeEach
    void webhookRoute() throws Exception {
        if (camelContext.getRoute("webhook") == null) {
            camelContext.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // outputType=result: the typed result (application.properties makes bytes the default)
                    from("flux-kontext:webhook?outputType=result").routeId("webhook")
                            .process(e -> RECEIVED.add(e.getMessage().getBody(KontextResult.class)));
                }
            });
        }
    }

    @Test
    void aCallbackVerifiesAndReachesTheRoute() {
        String id = template.requestBody("flux-kontext:text-to-image?waitForResult=false&outputType=result&webhookUrl=RAW(" + webhookUrl + ")",
                "A lighthouse for the webhook", KontextJob.class).requestId();

        await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVED.stream().anyMatch(r -> r.requestId().equals(id)));
        await().atMost(Duration.ofSeconds(5)).until(() -> simulator.webhookDeliveries().stream().anyMatch(d -> d.requestId().equals(id)));
        List<WebhookDelivery> deliveries = simulator.webhookDeliveries().stream().filter(d -> d.requestId().equals(id)).toList();
        assertEquals(List.of(200), deliveries.stream().map(WebhookDelivery::status).toList(), "verified and acknowledged at once");
    }

    @Test
    void aWaitingExchangeCompletesFromItsCallback() {
        KontextResult result = template.requestBody("flux-kontext:text-to-image?waitMode=webhook&outputType=result&webhookUrl=RAW("
                                                    + webhookUrl + ")", "A fox for the webhook", KontextResult.class);

        assertEquals(1, result.images().size());
        assertTrue(simulator.journal().entries(FalOperation.RESULT).stream().noneMatch(e -> result.requestId().equals(e.requestId())),
                "completed from the callback, not fetched");
        assertTrue(RECEIVED.stream().noneMatch(r -> r.requestId().equals(result.requestId())), "and not routed as well");
    }
}
