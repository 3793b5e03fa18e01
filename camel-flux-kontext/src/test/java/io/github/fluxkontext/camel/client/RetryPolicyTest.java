package io.github.fluxkontext.camel.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;

import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ContentTooLongException;
import org.apache.hc.core5.http.MessageConstraintException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The retry policy's decisions, one rule per test. */
class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(10), SubmitRetry.SAFE);

    private static FalResponse answer(int status, Map<String, String> headers) {
        return new FalResponse(status, headers, new byte[0], null);
    }

    @ParameterizedTest
    @ValueSource(ints = { 429, 500, 502, 503, 504 })
    void transientAnswersAreRetriedForStatusResultAndCancel(int status) {
        for (CallKind kind : new CallKind[] { CallKind.STATUS, CallKind.RESULT, CallKind.CANCEL, CallKind.DOWNLOAD, CallKind.UPLOAD }) {
            assertTrue(policy.afterResponse(kind, 0, answer(status, Map.of())).isPresent(), kind + " " + status);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 400, 401, 403, 404, 409, 422 })
    void otherClientErrorsAreNeverRetried(int status) {
        assertTrue(policy.afterResponse(CallKind.STATUS, 0, answer(status, Map.of())).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(ints = { 400, 401, 403, 404, 413, 422 })
    void aSubmitRefusedWithAClientErrorCreatedNoJob(int status) {
        assertTrue(RetryPolicy.submitCreatedNoJob(status, null));
        assertTrue(RetryPolicy.submitCreatedNoJob(status, "req-1"), "refused as it stands, whatever it was named");
    }

    @Test
    void aSubmitTurnedAwayCreatedNoJobOnlyWithoutARequestId() {
        assertTrue(RetryPolicy.submitCreatedNoJob(429, null));
        assertTrue(RetryPolicy.submitCreatedNoJob(503, null));
        assertFalse(RetryPolicy.submitCreatedNoJob(429, "req-1"));
        assertFalse(RetryPolicy.submitCreatedNoJob(503, "req-1"));
    }

    @ParameterizedTest
    @ValueSource(ints = { 408, 500, 502, 504 })
    void aSubmitAnsweredWithAGatewayOrServerErrorMayHaveCreatedAJob(int status) {
        assertFalse(RetryPolicy.submitCreatedNoJob(status, null));
    }

    @Test
    void aUserTimeout504IsNotRetried() {
        FalResponse userTimeout = answer(504, Map.of("x-fal-request-timeout-type", "user"));

        assertTrue(RetryPolicy.isUserTimeout(userTimeout));
        assertTrue(policy.afterResponse(CallKind.STATUS, 0, userTimeout).isEmpty());
        assertTrue(policy.afterResponse(CallKind.SUBMIT, 0, userTimeout).isEmpty());
    }

    @Test
    void givesUpAfterMaxRetries() {
        assertTrue(policy.afterResponse(CallKind.STATUS, 2, answer(503, Map.of())).isPresent());
        assertTrue(policy.afterResponse(CallKind.STATUS, 3, answer(503, Map.of())).isEmpty());
        assertTrue(policy.afterError(CallKind.STATUS, 3, new ConnectException()).isEmpty());
    }

    @Test
    void submitIsRetriedOnlyWhereNoJobWasCreated() {
        assertTrue(policy.afterResponse(CallKind.SUBMIT, 0, answer(429, Map.of())).isPresent());
        assertTrue(policy.afterResponse(CallKind.SUBMIT, 0, answer(503, Map.of())).isPresent());
        assertTrue(policy.afterResponse(CallKind.SUBMIT, 0, answer(500, Map.of())).isEmpty());
        assertTrue(policy.afterResponse(CallKind.SUBMIT, 0, answer(502, Map.of())).isEmpty());
        assertTrue(policy.afterResponse(CallKind.SUBMIT, 0, answer(504, Map.of())).isEmpty());
        assertTrue(policy.afterError(CallKind.SUBMIT, 0, new ConnectException("Connection refused")).isPresent());
        assertTrue(policy.afterError(CallKind.SUBMIT, 0, new ConnectionClosedException("closed")).isEmpty(),
                "a connection closed after sending may have created the job");
        assertTrue(policy.afterError(CallKind.SUBMIT, 0, new SocketTimeoutException("read timed out")).isEmpty());
    }

    @Test
    void aSubmit503OrA429CarryingARequestIdIsNotSentAgain() {
        // a gateway that forwarded the submit and then failed passes fal's request id on: a job may exist
        assertTrue(policy.afterResponse(CallKind.SUBMIT, 0, answer(503, Map.of("x-fal-request-id", "abc"))).isEmpty());
        assertTrue(policy.afterResponse(CallKind.SUBMIT, 0, answer(429, Map.of("x-fal-request-id", "abc"))).isEmpty());
        assertTrue(policy.afterResponse(CallKind.STATUS, 0, answer(503, Map.of("x-fal-request-id", "abc"))).isPresent(),
                "a status call is retried all the same");
    }

    @Test
    void noRetryWaitsLongerThanMaxRetryDelay() {
        // jitter is applied before the cap: maxRetryDelay is the longest wait, as its documentation says
        for (int i = 0; i < 2000; i++) {
            long late = policy.backoff(20).toMillis();
            assertTrue(late <= 10_000, "never above 10 s: " + late);
        }
    }

    @Test
    void anAnswerBreakingTheHeaderLimitsIsNotRetried() {
        assertTrue(policy.afterError(CallKind.STATUS, 0, new MessageConstraintException("Maximum header count exceeded")).isEmpty());
    }

    @Test
    void submitRetryAllAlsoRetriesUncertainFailures() {
        RetryPolicy all = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(10), SubmitRetry.ALL);

        assertTrue(all.afterResponse(CallKind.SUBMIT, 0, answer(502, Map.of())).isPresent());
        assertTrue(all.afterError(CallKind.SUBMIT, 0, new ConnectionClosedException("closed")).isPresent());
    }

    @Test
    void submitRetryNoneNeverRetries() {
        RetryPolicy none = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(10), SubmitRetry.NONE);

        assertTrue(none.afterResponse(CallKind.SUBMIT, 0, answer(429, Map.of())).isEmpty());
        assertTrue(none.afterResponse(CallKind.STATUS, 0, answer(429, Map.of())).isPresent(), "only the submit is concerned");
    }

    @Test
    void connectionErrorsAreRetriedButAnOversizedAnswerIsNot() {
        assertTrue(policy.afterError(CallKind.STATUS, 0, new ConnectionClosedException("reset")).isPresent());
        assertTrue(policy.afterError(CallKind.RESULT, 0, new ContentTooLongException("too big")).isEmpty());
        assertTrue(policy.afterError(CallKind.RESULT, 0, new IllegalStateException("a bug")).isEmpty(), "only I/O errors");
    }

    @Test
    void backoffDoublesWithJitterAndIsCapped() {
        for (int i = 0; i < 50; i++) {
            long first = policy.backoff(0).toMillis();
            long third = policy.backoff(2).toMillis();
            long late = policy.backoff(20).toMillis();
            assertTrue(first >= 75 && first <= 125, "100 ms ±25%: " + first);
            assertTrue(third >= 300 && third <= 500, "400 ms ±25%: " + third);
            assertTrue(late >= 7500 && late <= 10000, "capped at 10 s (jitter below it only): " + late);
        }
    }

    @Test
    void retryAfterInSecondsIsHonoured() {
        Optional<Duration> delay = policy.afterResponse(CallKind.STATUS, 0, answer(429, Map.of("retry-after", "3")));

        assertEquals(Duration.ofSeconds(3), delay.orElseThrow());
    }

    @Test
    void retryAfterAsAnHttpDateIsHonoured() {
        Instant now = Instant.parse("2026-11-21T10:00:00Z");
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(4).atZone(ZoneOffset.UTC));

        assertEquals(Duration.ofSeconds(4), RetryPolicy.parseRetryAfter(date, now).orElseThrow());
        assertEquals(Duration.ZERO, RetryPolicy.parseRetryAfter(date, now.plusSeconds(60)).orElseThrow(), "a past date means now");
    }

    @Test
    void retryAfterIsCappedAtMaxDelay() {
        Optional<Duration> delay = policy.afterResponse(CallKind.STATUS, 0, answer(503, Map.of("retry-after", "3600")));

        assertEquals(Duration.ofSeconds(10), delay.orElseThrow());
    }

    @Test
    void unreadableRetryAfterFallsBackToBackoff() {
        assertTrue(RetryPolicy.parseRetryAfter("soon", Instant.now()).isEmpty());
        assertTrue(RetryPolicy.parseRetryAfter("-5", Instant.now()).isEmpty());
        long delay = policy.afterResponse(CallKind.STATUS, 0, answer(429, Map.of("retry-after", "soon"))).orElseThrow().toMillis();
        assertTrue(delay >= 75 && delay <= 125, String.valueOf(delay));
    }

    @Test
    void neverReachedTheServerMeansRefusedOrNotConnected() {
        assertTrue(RetryPolicy.neverReachedServer(new ConnectException()));
        assertTrue(RetryPolicy.neverReachedServer(new java.net.UnknownHostException("queue.fal.run")));
        assertFalse(RetryPolicy.neverReachedServer(new IOException("Connection reset")));
    }
}
