package io.github.fluxkontext.camel;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.fluxkontext.camel.model.FluxKontextJobFailedException;
import io.github.fluxkontext.camel.model.KontextResult;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.Fault;
import io.github.fluxkontext.simulator.JournalEntry;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * waitMode=webhook in one CamelContext: the waiting exchange completes from its callback, received by the
 * context's flux-kontext:webhook consumer, with no status poll and no result request; the callback is not
 * routed as well; and without a callback the background poll completes the wait.
 */
class WebhookWaitTest extends WebhookTestSupport {

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("flux-kontext:webhook?path=" + PATH).routeId("webhook").to("mock:routed");
            }
        };
    }

    /** A producer that waits for the callback to this context's consumer; its background poll comes only after 20 s. */
    private String waitingFor(String webhookUrl, String options) {
        return "flux-kontext:text-to-image?waitMode=webhook&maxPollInterval=20s&webhookUrl=RAW(" + webhookUrl + ")" + options;
    }

    private static List<JournalEntry> requests(FalOperation operation, String requestId) {
        return sim().journal().entries(operation).stream().filter(e -> requestId.equals(e.requestId())).toList();
    }

    @Test
    void theWaitingExchangeCompletesFromItsCallbackWithoutAskingFal() {
        long started = System.nanoTime();
        KontextResult result = template.requestBody(waitingFor(url(PATH), ""), "A fox in the snow", KontextResult.class);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        String id = result.requestId();
        assertEquals(1, result.images().size());
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "long before the first poll (20 s): " + took);
        assertEquals(List.of(), requests(FalOperation.STATUS, id), "no status poll");
        assertEquals(List.of(), requests(FalOperation.RESULT, id), "the output came with the callback");
        assertEquals(List.of(200), statuses(deliveries(id, 1)));
        assertTrue(onlySubmit().query().contains("fal_webhook="
                                                 + URLEncoder.encode(url(PATH) + "?fluxKontextWaiting=true", StandardCharsets.UTF_8)),
                "the webhook URL says a producer waits: " + onlySubmit().query());
        assertEquals(1, consumer("webhook").getCallbacksCompletingWaits());
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> getMockEndpoint("mock:routed").getReceivedCounter() == 0);
        assertEquals(0, consumer("webhook").getRoutedCallbacks(), "completed the wait, so not routed as well");
    }

    @Test
    void aFailedJobFailsTheWaitingExchangeWithTheCallbacksError() {
        sim().faults().add(Fault.on(FalOperation.JOB).failJob(503, "runner_disconnected", "Runner disconnected"));

        FluxKontextJobFailedException e = failure(FluxKontextJobFailedException.class, waitingFor(url(PATH), ""), "A fox", Map.of());

        String id = onlySubmit().requestId();
        assertEquals(id, e.getRequestId());
        assertEquals("Invalid status code: 503", e.getError());
        assertEquals("runner_disconnected", e.getErrorType());
        assertEquals(List.of(), requests(FalOperation.RESULT, id), "the error came with the callback");
        assertEquals(List.of(200), statuses(deliveries(id, 1)));
    }

    @Test
    void withOutputTypeBytesTheImageIsDownloaded() {
        byte[] image = template.requestBody(waitingFor(url(PATH), "&outputType=bytes"), "A teapot", byte[].class);

        assertEquals((byte) 0xFF, image[0], "a JPEG");
        // counted once the callback is handed over, which may be after the exchange went on
        await().atMost(Duration.ofSeconds(5)).until(() -> consumer("webhook").getCallbacksCompletingWaits() == 1);
    }

    @Test
    void whenTheCallbackNeverComesTheBackgroundPollCompletesTheWait() {
        String nobody = "http://127.0.0.1:" + freePort() + "/fal/webhook";

        KontextResult result = template.requestBody(waitingFor(nobody, "").replace("maxPollInterval=20s", "maxPollInterval=300ms"),
                "A fox", KontextResult.class);

        String id = result.requestId();
        assertEquals(1, result.images().size());
        assertTrue(requests(FalOperation.STATUS, id).size() >= 1, "polled");
        assertEquals(1, requests(FalOperation.RESULT, id).size(), "the result fetched once");
    }

    @Test
    void resultWithWaitModeWebhookAsksAtOnceForAJobSubmittedEarlier() {
        String id = template.requestBody("flux-kontext:text-to-image?waitForResult=false", "A fox",
                io.github.fluxkontext.camel.model.KontextJob.class).requestId();
        await().atMost(Duration.ofSeconds(10)).until(() -> sim().job(id).map(job -> "COMPLETED".equals(String.valueOf(job.status())))
                .orElse(false));

        long started = System.nanoTime();
        KontextResult result = template.requestBodyAndHeader("flux-kontext:result?waitMode=webhook&maxPollInterval=20s", null,
                FluxKontextConstants.REQUEST_ID, id, KontextResult.class);

        assertEquals(id, result.requestId());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(10)) < 0, "not after maxPollInterval");
    }

    @Test
    void waitModeWebhookNeedsAWebhookUrl() {
        Exception e = assertThrows(Exception.class, () -> context.getEndpoint("flux-kontext:text-to-image?waitMode=webhook"));
        assertTrue(rootMessage(e).contains("Option webhookUrl is required with waitMode=webhook"), rootMessage(e));
        // without waiting, or to fetch a result, there is nothing to call back
        context.getEndpoint("flux-kontext:text-to-image?waitMode=webhook&waitForResult=false");
        context.getEndpoint("flux-kontext:result?waitMode=webhook");
    }

    @Test
    void theWebhookIsAConsumerAndTheOtherOperationsAreProducers() throws Exception {
        Exception sent = assertThrows(Exception.class, () -> template.requestBody("flux-kontext:webhook", "x"));
        assertTrue(rootMessage(sent).contains("use it in from()"), rootMessage(sent));

        Exception consumed = assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("flux-kontext:status").to("mock:never");
            }
        }));
        assertTrue(rootMessage(consumed).contains("flux-kontext:status is a producer"), rootMessage(consumed));
    }

    @Test
    void aBadPathIsRefusedAtStart() {
        Exception e = assertThrows(Exception.class, () -> context.getEndpoint("flux-kontext:webhook?path=fal/webhook"));
        assertTrue(rootMessage(e).contains("Option path"), rootMessage(e));
    }
}
