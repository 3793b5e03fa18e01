package io.github.fluxkontext.camel;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.fluxkontext.camel.model.FalErrorDetail;
import io.github.fluxkontext.camel.model.FluxKontextApiException;
import io.github.fluxkontext.camel.model.FluxKontextJobFailedException;
import io.github.fluxkontext.camel.model.FluxKontextTimeoutException;
import io.github.fluxkontext.camel.model.KontextStatus;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.Fault;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a job that fails, a wait that times out, and a rejected input reach the route. */
class JobFailureTest extends FluxKontextTestSupport {

    @Test
    void timeoutFailsWithTheRequestIdAndCancelsTheJob() {
        sim().setTimings(Duration.ofSeconds(60), Duration.ofMillis(60));

        FluxKontextTimeoutException e = failure(FluxKontextTimeoutException.class, "flux-kontext:text-to-image?timeout=300",
                "a slow fox", Map.of());

        String requestId = onlySubmit().requestId();
        assertNotNull(requestId);
        assertEquals(requestId, e.getRequestId());
        assertEquals(KontextStatus.IN_QUEUE, e.getLastStatus());
        assertTrue(e.isCancelSent());
        assertTrue(e.getMessage().contains(requestId), e.getMessage());
        // the cancel is sent without holding up the failure: await it
        await().until(() -> sim().journal().count(FalOperation.CANCEL) == 1);
        assertEquals(requestId, sim().journal().entries(FalOperation.CANCEL).get(0).requestId());
        await().until(() -> sim().job(requestId).orElseThrow().cancelled());
    }

    @Test
    void aCancelOnTimeoutIsOneAttemptThatDoesNotStretchTheWait() {
        sim().setTimings(Duration.ofSeconds(60), Duration.ofMillis(60));
        sim().faults().add(Fault.on(FalOperation.CANCEL).status(503).always());

        long started = System.nanoTime();
        // with retries, a failing cancel would take 1+2+4+8+16 s more: the timeout fails at once instead
        FluxKontextTimeoutException e = failure(FluxKontextTimeoutException.class,
                "flux-kontext:text-to-image?timeout=300&maxRetries=5&retryDelay=1s&maxRetryDelay=16s", "a slow fox", Map.of());
        Duration waited = Duration.ofNanos(System.nanoTime() - started);

        assertTrue(waited.compareTo(Duration.ofSeconds(10)) < 0, "the wait ended " + waited.toMillis() + " ms after it began");
        assertTrue(e.isCancelSent());
        await().until(() -> sim().journal().count(FalOperation.CANCEL) == 1);
        await().during(Duration.ofMillis(300)).until(() -> sim().journal().count(FalOperation.CANCEL) == 1);
    }

    @Test
    void aJobThatCompletesJustAsTheWaitTimesOutIsNotCancelled() {
        // the result arrives after the deadline: once COMPLETED is seen, the timeout no longer applies
        sim().faults().add(Fault.on(FalOperation.RESULT).delay(Duration.ofMillis(600)));

        io.github.fluxkontext.camel.model.KontextResult result = template.requestBody("flux-kontext:text-to-image?timeout=400",
                "a fox just in time", io.github.fluxkontext.camel.model.KontextResult.class);

        assertEquals(1, result.images().size());
        assertEquals(0, sim().journal().count(FalOperation.CANCEL));
    }

    @Test
    void timeoutWithoutCancelLeavesTheJobRunning() {
        sim().setTimings(Duration.ofSeconds(60), Duration.ofMillis(60));

        FluxKontextTimeoutException e = failure(FluxKontextTimeoutException.class,
                "flux-kontext:text-to-image?timeout=200&cancelOnTimeout=false", "a slow fox", Map.of());

        assertFalse(e.isCancelSent());
        assertEquals(0, sim().journal().count(FalOperation.CANCEL));
        assertFalse(sim().job(e.getRequestId()).orElseThrow().cancelled());
    }

    @Test
    void aFailedJobSurfacesFalsErrorAndErrorType() {
        sim().faults().add(Fault.on(FalOperation.JOB).failJob(503, "runner_disconnected", "Runner disconnected"));

        FluxKontextJobFailedException e = failure(FluxKontextJobFailedException.class, "flux-kontext:text-to-image", "a fox", Map.of());

        assertEquals(onlySubmit().requestId(), e.getRequestId());
        assertEquals("Runner disconnected", e.getError());
        assertEquals("runner_disconnected", e.getErrorType());
        assertEquals(KontextStatus.COMPLETED, e.getLastStatus());
        FluxKontextApiException resultAnswer = (FluxKontextApiException) e.getCause();
        assertEquals(503, resultAnswer.getStatusCode(), "the result request answered with the job's error");
        assertEquals(1, sim().journal().count(FalOperation.RESULT), "a failed job's error answer is asked once, not retried");
    }

    @Test
    void resultWithoutWaitingReportsAFailedJobWithItsDetails() {
        sim().faults().add(Fault.on(FalOperation.JOB).failJob(422, "content_policy_violation", "The prompt was flagged"));
        String requestId = template.requestBody("flux-kontext:text-to-image?waitForResult=false", "a fox",
                io.github.fluxkontext.camel.model.KontextJob.class).requestId();
        await().until(() -> "COMPLETED".equals(sim().job(requestId).orElseThrow().status()));

        FluxKontextJobFailedException e = failure(FluxKontextJobFailedException.class, "flux-kontext:result?waitForResult=false",
                requestId, Map.of());

        assertEquals(requestId, e.getRequestId());
        assertEquals("The prompt was flagged", e.getDetails().get(0).msg());
    }

    @Test
    void a422AtSubmitSurfacesTheDetailList() {
        sim().faults().add(Fault.on(FalOperation.SUBMIT).status(422).body(
                "{\"detail\":[{\"loc\":[\"body\",\"image_url\"],\"msg\":\"Could not download the image\",\"type\":\"file_download_error\"}]}"));

        FluxKontextApiException e = failure(FluxKontextApiException.class, "flux-kontext:edit?imageUrl=https://example.com/gone.png",
                "edit it", Map.of());

        assertEquals(422, e.getStatusCode());
        assertEquals(List.of(new FalErrorDetail(List.of("body", "image_url"), "Could not download the image", "file_download_error", null, null)),
                e.getDetails());
        assertEquals("image_url", e.getDetails().get(0).field());
        assertFalse(e.isRetryable());
        assertTrue(e.getMessage().contains("Could not download the image"), e.getMessage());
        assertEquals(1, sim().journal().count(FalOperation.SUBMIT), "a 422 is not retried");
    }

    @Test
    void aJobRejectedByTheModelCarriesTheDetailOfItsResult() {
        // fal's queue accepts the input; the model rejects it, and the result answers 422 with the details
        sim().faults().add(Fault.on(FalOperation.JOB).failJob(422, "content_policy_violation", "The prompt was flagged"));

        FluxKontextJobFailedException e = failure(FluxKontextJobFailedException.class, "flux-kontext:text-to-image", "a fox", Map.of());

        assertEquals("content_policy_violation", e.getErrorType());
        assertEquals(422, ((FluxKontextApiException) e.getCause()).getStatusCode());
        assertEquals("The prompt was flagged", e.getDetails().get(0).msg());
    }

    @Test
    void anUnknownStatusEndsTheWait() {
        sim().faults().add(Fault.on(FalOperation.STATUS).status(200).always().body(
                "{\"status\":\"PAUSED\",\"request_id\":\"00000000-0000-0000-0000-000000000001\"}"));

        var e = failure(io.github.fluxkontext.camel.model.FluxKontextException.class, "flux-kontext:text-to-image?waitMode=poll", "a fox",
                Map.of());

        assertTrue(e.getMessage().contains("PAUSED"), e.getMessage());
        assertEquals(onlySubmit().requestId(), e.getRequestId());
        await().during(Duration.ofMillis(200)).until(() -> sim().journal().count(FalOperation.STATUS) == 1);
    }
}
