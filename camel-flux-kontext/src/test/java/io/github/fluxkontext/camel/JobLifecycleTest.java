package io.github.fluxkontext.camel;

import java.util.List;
import java.util.Map;

import io.github.fluxkontext.camel.model.KontextCancellation;
import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextResult;
import io.github.fluxkontext.camel.model.KontextStatus;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.JobSnapshot;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wait mode, handle mode, and status/result/cancel of a job known only by its request id. */
class JobLifecycleTest extends FluxKontextTestSupport {

    @Test
    void waitModeReturnsTheResultWithItsImages() {
        Exchange exchange = template.request("flux-kontext:text-to-image?numImages=2&seed=1234&outputFormat=png",
                e -> e.getMessage().setBody("a red fox in the snow"));

        KontextResult result = exchange.getMessage().getBody(KontextResult.class);
        String requestId = exchange.getMessage().getHeader(FluxKontextConstants.REQUEST_ID, String.class);
        JobSnapshot job = sim().job(requestId).orElseThrow();
        assertEquals(requestId, result.requestId());
        assertEquals(job.imageUrls(), result.imageUrls());
        assertEquals(2, result.images().size());
        assertEquals("image/png", result.images().get(0).contentType());
        assertNotNull(result.images().get(0).width());
        assertEquals(1234L, result.seed());
        assertEquals("a red fox in the snow", result.prompt());
        assertEquals(List.of(false, false), result.hasNsfwConcepts());

        Map<String, Object> headers = exchange.getMessage().getHeaders();
        assertEquals("COMPLETED", headers.get(FluxKontextConstants.STATUS));
        assertEquals(job.imageUrls(), headers.get(FluxKontextConstants.RESULT_IMAGE_URLS));
        assertEquals(1234L, headers.get(FluxKontextConstants.RESULT_SEED));
        assertEquals(2, headers.get(FluxKontextConstants.IMAGE_COUNT));
        assertEquals("fal-ai/flux-pro/kontext/text-to-image", headers.get(FluxKontextConstants.ENDPOINT_ID));
        assertEquals(1, sim().journal().count(FalOperation.STATUS_STREAM), "by default the job's status stream is followed");
        assertEquals(0, sim().journal().count(FalOperation.STATUS), "no status poll was needed");
        assertEquals(1, sim().journal().count(FalOperation.RESULT));
    }

    @Test
    void logsAreAskedForWhenWanted() {
        sim().setTimings(java.time.Duration.ofMillis(30), java.time.Duration.ofMillis(300));
        String requestId = template.requestBody("flux-kontext:text-to-image?waitForResult=false", "a fox", KontextJob.class).requestId();
        await().until(() -> "IN_PROGRESS".equals(sim().job(requestId).orElseThrow().status()));

        KontextJob status = template.requestBody("flux-kontext:status?logs=true", requestId, KontextJob.class);

        assertEquals("logs=1", sim().journal().entries(FalOperation.STATUS).get(0).query());
        assertFalse(status.logs().isEmpty(), "a running job has log lines");
        assertNotNull(status.logs().get(0).message());
    }

    @Test
    void aHandedInHttpClientIsUsedAndLeftOpen() throws Exception {
        java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
        try (var http = org.apache.hc.client5.http.impl.async.HttpAsyncClients.custom().disableRedirectHandling()
                .addRequestInterceptorFirst((request, entity, ctx) -> sent.incrementAndGet()).build()) {
            http.start();
            context.getRegistry().bind("myHttpClient", http);

            KontextResult result = template.requestBody("flux-kontext:text-to-image?httpClient=#myHttpClient", "a fox", KontextResult.class);
            context.stop();

            assertEquals(1, result.images().size());
            assertEquals(sim().journal().entries().size(), sent.get(), "every request went through the handed-in client");
            assertEquals(org.apache.hc.core5.reactor.IOReactorStatus.ACTIVE, http.getStatus(), "the component does not close a client it did not build");
        }
    }

    @Test
    void toDEndpointsShareOneHttpClient() throws Exception {
        context.addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from("direct:dynamic").toD("flux-kontext:text-to-image?numImages=${header.n}&waitForResult=false");
            }
        });
        for (int n = 1; n <= 4; n++) {
            template.requestBodyAndHeader("direct:dynamic", "a fox", "n", n);
        }

        assertEquals(4, sim().journal().count(FalOperation.SUBMIT));
        FluxKontextComponent component = context.getComponent("flux-kontext", FluxKontextComponent.class);
        assertEquals(1, component.httpClients().size(), "four endpoints, one HTTP client");
    }

    @Test
    void handleModeReturnsTheQueueHandleAtOnce() {
        Exchange exchange = template.request("flux-kontext:text-to-image?waitForResult=false", e -> e.getMessage().setBody("a fox"));

        KontextJob job = exchange.getMessage().getBody(KontextJob.class);
        assertEquals(job.requestId(), exchange.getMessage().getHeader(FluxKontextConstants.REQUEST_ID));
        assertEquals(KontextStatus.IN_QUEUE, job.status());
        assertNotNull(job.queuePosition());
        assertTrue(job.statusUrl().startsWith(FAL.baseUrl() + "/fal-ai/flux-pro/requests/"), job.statusUrl());
        assertEquals(0, sim().journal().count(FalOperation.STATUS), "handle mode does not poll");
    }

    @Test
    void statusResultAndCancelWorkFromARequestIdAlone() {
        String requestId = template.requestBody("flux-kontext:text-to-image?waitForResult=false", "a fox", KontextJob.class).requestId();
        // a new exchange, with nothing but the id: as another instance would have it from a queue or a database

        KontextJob status = template.requestBody("flux-kontext:status", requestId, KontextJob.class);
        assertEquals(requestId, status.requestId());
        assertNotNull(status.status());

        KontextResult result = template.requestBodyAndHeader("flux-kontext:result", null, FluxKontextConstants.REQUEST_ID, requestId,
                KontextResult.class);
        assertEquals(sim().job(requestId).orElseThrow().imageUrls(), result.imageUrls());

        KontextCancellation tooLate = template.requestBody("flux-kontext:cancel", requestId, KontextCancellation.class);
        assertFalse(tooLate.accepted(), "a completed job cannot be cancelled");
        assertEquals("ALREADY_COMPLETED", tooLate.status());
    }

    @Test
    void cancelOfAQueuedJobIsAccepted() {
        sim().setTimings(java.time.Duration.ofSeconds(30), java.time.Duration.ofMillis(60));
        KontextJob job = template.requestBody("flux-kontext:text-to-image?waitForResult=false", "a fox", KontextJob.class);

        KontextCancellation cancel = template.requestBody("flux-kontext:cancel", job, KontextCancellation.class);

        assertTrue(cancel.accepted());
        assertEquals("CANCELLATION_REQUESTED", cancel.status());
        await().until(() -> sim().job(job.requestId()).orElseThrow().cancelled());
    }

    @Test
    void resultWithoutWaitingFailsWhileTheJobRuns() {
        sim().setTimings(java.time.Duration.ofSeconds(30), java.time.Duration.ofMillis(60));
        String requestId = template.requestBody("flux-kontext:text-to-image?waitForResult=false", "a fox", KontextJob.class).requestId();

        Exchange exchange = template.request("flux-kontext:result?waitForResult=false", e -> e.getMessage().setBody(requestId));

        assertNotNull(exchange.getException());
        assertTrue(exchange.getException().getMessage().contains("has not completed yet"), exchange.getException().getMessage());
        assertEquals("IN_QUEUE", exchange.getMessage().getHeader(FluxKontextConstants.STATUS));
    }

    @Test
    void resultWaitsForAJobSubmittedElsewhere() {
        sim().setTimings(java.time.Duration.ofMillis(300), java.time.Duration.ofMillis(300));
        KontextJob job = template.requestBody("flux-kontext:edit?waitForResult=false&model=max&imageUrl=https://example.com/a.png",
                "make it blue", KontextJob.class);

        // the endpoint id travels with the handle, so the app path is right for the max endpoint too
        KontextResult result = template.requestBody("flux-kontext:result", job, KontextResult.class);

        assertEquals(job.requestId(), result.requestId());
        assertEquals(1, result.images().size());
    }
}
