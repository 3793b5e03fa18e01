package io.github.fluxkontext.camel;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import io.github.fluxkontext.camel.model.FluxKontextApiException;
import io.github.fluxkontext.camel.model.FluxKontextException;
import io.github.fluxkontext.camel.model.FluxKontextTransportException;
import io.github.fluxkontext.camel.model.KontextResult;
import io.github.fluxkontext.camel.model.KontextStatus;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.Fault;
import io.github.fluxkontext.simulator.JournalEntry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Transient faults: what is retried, what is not, and that a job once submitted is never lost. */
class ReliabilityTest extends FluxKontextTestSupport {

    private static final String T2I = "flux-kontext:text-to-image";

    @Test
    void aSubmitTurnedAwayWith429Or503IsSentAgainAndMakesOneJob() {
        sim().faults().add(Fault.on(FalOperation.SUBMIT).status(429));
        sim().faults().add(Fault.on(FalOperation.SUBMIT).status(503));

        KontextResult result = template.requestBody(T2I, "a fox", KontextResult.class);

        assertEquals(3, sim().journal().count(FalOperation.SUBMIT));
        assertEquals(1, sim().jobs().size(), "no duplicate job");
        assertEquals(sim().jobs().get(0).requestId(), result.requestId());
    }

    @Test
    void aSubmitAnsweredWith502IsNotSentAgainByDefault() {
        sim().faults().add(Fault.on(FalOperation.SUBMIT).status(502));

        FluxKontextApiException e = failure(FluxKontextApiException.class, T2I, "a fox", Map.of());

        assertEquals(502, e.getStatusCode());
        assertFalse(e.isRetryable(), "a redelivering error handler must not pay for the job twice");
        assertNull(e.getRequestId());
        assertEquals(1, sim().journal().count(FalOperation.SUBMIT));
    }

    @Test
    void aSubmitWhoseConnectionDropsIsNotSentAgainAndSaysAJobMayExist() {
        sim().faults().add(Fault.on(FalOperation.SUBMIT).dropConnectionAfterHandling());

        FluxKontextTransportException e = failure(FluxKontextTransportException.class, T2I, "a fox", Map.of());

        assertTrue(e.isOutcomeUnknown());
        assertTrue(e.getMessage().contains("may have reached fal"), e.getMessage());
        assertEquals(1, sim().journal().count(FalOperation.SUBMIT));
        assertEquals(1, sim().jobs().size(), "the job the lost answer announced exists once, not twice");
    }

    @Test
    void a429AtSubmitIsRetryableButA502IsOnlyWithSubmitRetryAll() {
        sim().faults().add(Fault.on(FalOperation.SUBMIT).status(502));

        FluxKontextApiException e = failure(FluxKontextApiException.class, T2I + "?submitRetry=all&maxRetries=0", "a fox", Map.of());

        assertTrue(e.isRetryable(), "with submitRetry=all the user accepted the risk");
    }

    @Test
    void submitRetryAllSendsAgainAfterADroppedConnection() {
        sim().faults().add(Fault.on(FalOperation.SUBMIT).dropConnection());

        KontextResult result = template.requestBody(T2I + "?submitRetry=all", "a fox", KontextResult.class);

        assertNotNull(result);
        assertEquals(2, sim().journal().count(FalOperation.SUBMIT));
    }

    @Test
    void aRefusedConnectionIsRetriedThenReported() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String uri = T2I + "?baseUrl=http://127.0.0.1:" + closedPort + "&maxRetries=2";

        FluxKontextTransportException e = failure(FluxKontextTransportException.class, uri, "a fox", Map.of());

        assertFalse(e.isOutcomeUnknown(), "a refused connection cannot have created a job");
        assertTrue(e.getMessage().contains("after 2 retries"), e.getMessage());
        assertEquals(2, context.getEndpoint(uri, FluxKontextEndpoint.class).getClient().retryCount());
    }

    @Test
    void transientStatusFailuresDoNotEndTheWait() {
        sim().faults().add(Fault.on(FalOperation.STATUS).status(503).times(2));
        sim().faults().add(Fault.on(FalOperation.STATUS).dropConnection());
        sim().faults().add(Fault.on(FalOperation.STATUS).status(429));
        sim().faults().add(Fault.on(FalOperation.RESULT).status(502));

        // four failed polls in a row: within a budget of five retries
        KontextResult result = template.requestBody(T2I + "?waitMode=poll&maxRetries=5", "a patient fox", KontextResult.class);

        assertEquals(1, result.images().size());
        assertEquals(2, sim().journal().count(FalOperation.RESULT));
    }

    @Test
    void whenTheRetriesRunOutTheRequestIdLetsResultPickTheJobUpLater() {
        sim().faults().add(Fault.on(FalOperation.STATUS).status(503).always());

        FluxKontextApiException e = failure(FluxKontextApiException.class, T2I + "?waitMode=poll&maxRetries=2", "a fox", Map.of());

        String requestId = onlySubmit().requestId();
        assertEquals(requestId, e.getRequestId());
        assertEquals(KontextStatus.IN_QUEUE, e.getLastStatus(), "the last status known: the submit's");
        assertEquals(3, sim().journal().count(FalOperation.STATUS), "one call and two retries");

        sim().faults().clear();
        KontextResult later = template.requestBody("flux-kontext:result", requestId, KontextResult.class);
        assertEquals(requestId, later.requestId());
        assertEquals(1, sim().jobs().size());
    }

    @Test
    void retryAfterInSecondsIsWaitedOut() {
        sim().faults().add(Fault.on(FalOperation.SUBMIT).status(429).retryAfter("1"));

        template.requestBody(T2I + "?waitMode=poll&maxRetryDelay=5s", "a fox");

        List<JournalEntry> submits = sim().journal().entries(FalOperation.SUBMIT);
        assertEquals(2, submits.size());
        Duration gap = Duration.between(submits.get(0).at(), submits.get(1).at());
        assertTrue(gap.compareTo(Duration.ofSeconds(1)) >= 0, "waited " + gap.toMillis() + " ms for Retry-After: 1");
    }

    @Test
    void retryAfterAsAnHttpDateIsWaitedOut() {
        ZonedDateTime until = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).plusSeconds(2);
        sim().faults().add(Fault.on(FalOperation.STATUS).status(503).retryAfter(DateTimeFormatter.RFC_1123_DATE_TIME.format(until)));

        template.requestBody(T2I + "?waitMode=poll&maxRetryDelay=5s", "a fox");

        List<JournalEntry> polls = sim().journal().entries(FalOperation.STATUS);
        Duration gap = Duration.between(polls.get(0).at(), polls.get(1).at());
        Duration advertised = Duration.between(polls.get(0).at(), until.toInstant());
        assertTrue(gap.compareTo(advertised) >= 0, "waited " + gap.toMillis() + " ms, Retry-After asked for " + advertised.toMillis());
    }

    @Test
    void anOversizedAnswerIsAClearErrorNotAnOutOfMemoryError() {
        // the submit and status answers fit in 800 bytes; the result, which echoes the long prompt, does not
        String longPrompt = "a fox in the snow, ".repeat(100);
        FluxKontextException e = failure(FluxKontextException.class, T2I + "?maxDownloadSize=800", longPrompt, Map.of());

        assertNotNull(e.getRequestId());
        assertTrue(e.getMessage().contains("maxDownloadSize"), e.getMessage());
    }

    @Test
    void anOversizedImageIsAClearError() {
        FluxKontextException e = failure(FluxKontextException.class, T2I + "?maxDownloadSize=1000&outputType=bytes&outputFormat=png",
                "a fox", Map.of());

        assertNotNull(e.getRequestId());
        assertTrue(e.getMessage().contains("limit of 1000 bytes"), e.getMessage());
    }

    @Test
    void aMalformedAnswerIsAClearError() {
        sim().faults().add(Fault.on(FalOperation.RESULT).status(200).body("<html>upstream error</html>"));

        FluxKontextException e = failure(FluxKontextException.class, T2I, "a fox", Map.of());

        assertEquals(onlySubmit().requestId(), e.getRequestId());
        assertTrue(e.getMessage().contains("cannot be read") && e.getMessage().contains("<html>upstream error"), e.getMessage());
    }

    @Test
    void aStatusAnswerWithoutStatusIsAClearError() {
        sim().faults().add(Fault.on(FalOperation.STATUS).status(200).body("{}"));

        FluxKontextException e = failure(FluxKontextException.class, T2I + "?waitMode=poll", "a fox", Map.of());

        assertTrue(e.getMessage().contains("has no status"), e.getMessage());
        assertEquals(onlySubmit().requestId(), e.getRequestId());
    }
}
