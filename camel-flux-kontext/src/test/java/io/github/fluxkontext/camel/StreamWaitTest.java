package io.github.fluxkontext.camel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.fluxkontext.camel.model.FluxKontextStoppedException;
import io.github.fluxkontext.camel.model.FluxKontextTimeoutException;
import io.github.fluxkontext.camel.model.KontextResult;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.Fault;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * waitMode=stream: the job is followed on fal's status stream; whatever goes wrong with the stream, the
 * wait goes on by polling, with exactly one submit and the result at the end.
 */
class StreamWaitTest extends FluxKontextTestSupport {

    private static final String STREAM = "flux-kontext:text-to-image?waitMode=stream";

    private static int count(FalOperation operation) {
        return sim().journal().count(operation);
    }

    private void assertOneJobWithItsResult(KontextResult result) {
        assertEquals(1, count(FalOperation.SUBMIT), "exactly one submit");
        assertEquals(sim().jobs().get(0).requestId(), result.requestId());
        assertEquals(1, result.images().size());
        await().until(() -> context.getComponent("flux-kontext", FluxKontextComponent.class).getOpenStreams() == 0);
    }

    @Test
    void theStreamFollowsTheJobToCompletedWithoutAStatusPoll() {
        KontextResult result = template.requestBody(STREAM, "a fox", KontextResult.class);

        assertOneJobWithItsResult(result);
        assertEquals(1, count(FalOperation.STATUS_STREAM));
        assertEquals(0, count(FalOperation.STATUS), "no poll: the stream said COMPLETED");
        assertEquals("logs=0", sim().journal().entries(FalOperation.STATUS_STREAM).get(0).query());
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = { 404, 405, 500 })
    void aRefusedStreamFallsBackToPolling(int status) {
        sim().faults().add(Fault.on(FalOperation.STATUS_STREAM).status(status));

        KontextResult result = template.requestBody(STREAM, "a fox", KontextResult.class);

        assertOneJobWithItsResult(result);
        assertTrue(count(FalOperation.STATUS) > 0, "polled instead");
    }

    @Test
    void anAnswerThatIsNoEventStreamFallsBackToPolling() {
        sim().faults().add(Fault.on(FalOperation.STATUS_STREAM).notEventStream());

        assertOneJobWithItsResult(template.requestBody(STREAM, "a fox", KontextResult.class));
        assertTrue(count(FalOperation.STATUS) > 0, "polled instead");
    }

    @Test
    void aStreamThatBreaksMidwayFallsBackToPolling() {
        sim().setTimings(QUEUE_TIME, Duration.ofMillis(400));
        sim().faults().add(Fault.on(FalOperation.STATUS_STREAM).breakStreamAfterEvents(1));

        assertOneJobWithItsResult(template.requestBody(STREAM, "a fox", KontextResult.class));
        assertTrue(count(FalOperation.STATUS) > 0, "polled instead");
    }

    @Test
    void aSilentStreamFallsBackToPollingAfterTheIdleTimeout() {
        sim().faults().add(Fault.on(FalOperation.STATUS_STREAM).silentStream());

        assertOneJobWithItsResult(template.requestBody(STREAM + "&streamIdleTimeout=300", "a fox", KontextResult.class));
        assertTrue(count(FalOperation.STATUS) > 0, "polled instead");
    }

    @Test
    void jobsBeyondMaxOpenStreamsArePolled() throws Exception {
        FluxKontextComponent capped = new FluxKontextComponent();
        configure(capped.getConfiguration());
        capped.setMaxOpenStreams(1);
        context.addComponent("capped", capped);
        sim().setTimings(QUEUE_TIME, Duration.ofMillis(500));

        List<Future<KontextResult>> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(template.asyncRequestBody("capped:text-to-image?waitMode=stream", "fox " + i, KontextResult.class));
        }
        for (Future<KontextResult> call : calls) {
            assertEquals(1, call.get(10, TimeUnit.SECONDS).images().size());
        }

        assertEquals(3, count(FalOperation.SUBMIT));
        assertEquals(1, count(FalOperation.STATUS_STREAM), "one stream at a time, the first job's");
        long polledJobs = sim().journal().entries(FalOperation.STATUS).stream().map(e -> e.requestId()).distinct().count();
        assertEquals(2, polledJobs, "the two others were polled");
        assertEquals(0, capped.getOpenStreams());
    }

    @Test
    void aTimeoutWhileStreamingEndsTheWaitAndClosesTheStream() {
        sim().setTimings(Duration.ofSeconds(30), RUN_TIME);
        await().until(() -> sim().openStreams() == 0); // nothing left over from other tests

        FluxKontextTimeoutException e = failure(FluxKontextTimeoutException.class, STREAM + "&timeout=500", "a slow fox", Map.of());

        assertEquals(sim().jobs().get(0).requestId(), e.getRequestId());
        assertEquals(0, count(FalOperation.STATUS), "it waited on the stream");
        await().until(() -> context.getComponent("flux-kontext", FluxKontextComponent.class).getOpenStreams() == 0);
        await().until(() -> sim().openStreams() == 0); // the server saw the stream close
    }

    @Test
    void stoppingTheEndpointWhileStreamingEndsTheWaitAndClosesTheStream() throws Exception {
        sim().setTimings(Duration.ofSeconds(30), RUN_TIME);
        Future<Object> call = template.asyncRequestBody(STREAM, "a fox that waits");
        await().until(() -> sim().openStreams() == 1);

        context.getEndpoint(STREAM, FluxKontextEndpoint.class).stop();

        ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
        assertInstanceOf(FluxKontextStoppedException.class, e.getCause().getCause());
        await().until(() -> sim().openStreams() == 0);
    }

    @Test
    void queuePositionsComeFromTheStreamsEvents() {
        sim().setTimings(QUEUE_TIME, Duration.ofSeconds(30));
        for (int i = 0; i < 16; i++) { // the simulator's 16 runners are busy for 30 s: the next jobs queue
            template.requestBody("flux-kontext:text-to-image?waitForResult=false", "busy " + i);
        }
        await().until(() -> sim().jobs().stream().filter(j -> "IN_PROGRESS".equals(j.status())).count() == 16);
        template.requestBody("flux-kontext:text-to-image?waitForResult=false", "ahead of mine");

        Exchange out = template.request(STREAM + "&timeout=700", exchange -> exchange.getMessage().setBody("mine"));

        assertInstanceOf(FluxKontextTimeoutException.class, out.getException());
        assertEquals("IN_QUEUE", out.getMessage().getHeader(FluxKontextConstants.STATUS));
        assertEquals(1, out.getMessage().getHeader(FluxKontextConstants.QUEUE_POSITION), "one job ahead, said the stream");
        assertEquals(0, count(FalOperation.STATUS), "from the stream, not from a poll");
    }
}
