package io.github.fluxkontext.camel.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.github.fluxkontext.camel.ledger.MutableClock;
import io.github.fluxkontext.camel.model.FluxKontextWebhookException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signature, timestamp and key handling of webhook callbacks, on a clock the test moves and a JWKS "server" the
 * test answers for: which callbacks verify, when the keys are fetched, and that nobody can make it fetch them often.
 */
class FalWebhookVerifierTest {

    private static final String JWKS_URL = "https://rest.alpha.fal.ai/.well-known/jwks.json";
    private static final String ID = "0b6e2f3a-6a55-4c7e-9d0e-2a1f5d7c8b90";
    private static final byte[] BODY = ("{\"request_id\":\"" + ID + "\",\"status\":\"OK\",\"payload\":{\"images\":[]}}")
            .getBytes(StandardCharsets.UTF_8);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));
    private final WebhookSigner fal = new WebhookSigner();
    /** What the JWKS URL answers: a body, or null for a connection failure. */
    private final AtomicReference<String> served = new AtomicReference<>(WebhookSigner.jwks(fal));
    private final List<FalRequest> fetches = new CopyOnWriteArrayList<>();
    /** When set, fetches wait until the test completes them. */
    private final List<CompletableFuture<FalResponse>> held = new CopyOnWriteArrayList<>();
    private volatile boolean hold;

    private final FalWebhookVerifier verifier = new FalWebhookVerifier(new FalWebhookKeys(JWKS_URL, request -> {
        fetches.add(request);
        CompletableFuture<FalResponse> answer = new CompletableFuture<>();
        if (hold) {
            held.add(answer);
        } else {
            answer(answer);
        }
        return answer;
    }, clock, FalWebhookVerifier.MIN_REFETCH_INTERVAL), Duration.ofSeconds(300), clock);

    private void answer(CompletableFuture<FalResponse> answer) {
        String body = served.get();
        if (body == null) {
            answer.completeExceptionally(new IOException("Connection refused"));
        } else {
            answer.complete(new FalResponse(200, Map.of(), body.getBytes(StandardCharsets.UTF_8), "application/json"));
        }
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    private CompletableFuture<Void> verify(Map<String, String> headers, byte[] body) {
        return verifier.verify(headers.get(FalWebhookVerifier.REQUEST_ID_HEADER), headers.get(FalWebhookVerifier.USER_ID_HEADER),
                headers.get(FalWebhookVerifier.TIMESTAMP_HEADER), headers.get(FalWebhookVerifier.SIGNATURE_HEADER), body);
    }

    /** The status of the refusal, or 0 when the callback verified. */
    private int outcome(Map<String, String> headers, byte[] body) {
        try {
            verify(headers, body).join();
            return 0;
        } catch (CompletionException e) {
            return ((FluxKontextWebhookException) e.getCause()).getStatusCode();
        }
    }

    @Test
    void aCallbackSignedWithFalsKeyVerifiesAndTheKeysAreFetchedWithoutCredentials() {
        CompletableFuture<Void> verified = verify(fal.headers(ID, now(), BODY), BODY);
        assertTrue(verified.isDone() && !verified.isCompletedExceptionally());
        assertEquals(1, fetches.size());
        FalRequest fetch = fetches.get(0);
        assertEquals("GET", fetch.method());
        assertEquals(JWKS_URL, fetch.url());
        assertNull(fetch.credentialsOrigin(), "no credentials go to the JWKS URL");
        assertEquals(FalWebhookKeys.MAX_JWKS_BYTES, fetch.maxBytes(), "the answer is bounded");
    }

    @Test
    void tamperedBodyOtherKeyAndBadHeadersAreRefusedWith401() {
        Map<String, String> good = fal.headers(ID, now(), BODY);
        byte[] tampered = new String(BODY, StandardCharsets.UTF_8).replace("OK", "ok").getBytes(StandardCharsets.UTF_8);
        assertEquals(401, outcome(good, tampered), "tampered body");
        assertEquals(401, outcome(new WebhookSigner().headers(ID, now(), BODY), BODY), "signed with a key that is not fal's");
        for (String header : good.keySet()) {
            Map<String, String> missing = new java.util.HashMap<>(good);
            missing.remove(header);
            assertEquals(401, outcome(missing, BODY), "without " + header);
        }
        Map<String, String> otherId = new java.util.HashMap<>(good);
        otherId.put(FalWebhookVerifier.REQUEST_ID_HEADER, "another-id");
        assertEquals(401, outcome(otherId, BODY), "the request id is signed");
        Map<String, String> notHex = new java.util.HashMap<>(good);
        notHex.put(FalWebhookVerifier.SIGNATURE_HEADER, "zz" + good.get(FalWebhookVerifier.SIGNATURE_HEADER).substring(2));
        assertEquals(401, outcome(notHex, BODY), "not hex");
        Map<String, String> shortSignature = new java.util.HashMap<>(good);
        shortSignature.put(FalWebhookVerifier.SIGNATURE_HEADER, good.get(FalWebhookVerifier.SIGNATURE_HEADER).substring(2));
        assertEquals(401, outcome(shortSignature, BODY), "63 bytes");
        assertEquals(0, outcome(good, BODY), "and the good one verifies");
    }

    @Test
    void theTimestampMustBeWithinTheToleranceEitherWay() {
        assertEquals(0, outcome(fal.headers(ID, now() - 300, BODY), BODY), "300 s old");
        assertEquals(401, outcome(fal.headers(ID, now() - 301, BODY), BODY), "301 s old");
        assertEquals(0, outcome(fal.headers(ID, now() + 300, BODY), BODY), "300 s ahead");
        assertEquals(401, outcome(fal.headers(ID, now() + 301, BODY), BODY), "301 s ahead");
        Map<String, String> notSeconds = new java.util.HashMap<>(fal.headers(ID, now(), BODY));
        notSeconds.put(FalWebhookVerifier.TIMESTAMP_HEADER, "2026-12-06T10:00:00Z");
        assertEquals(401, outcome(notSeconds, BODY));
    }

    @Test
    void keysAreCachedFor24HoursThenFetchedAgain() {
        assertEquals(0, outcome(fal.headers(ID, now(), BODY), BODY));
        clock.advance(Duration.ofHours(23));
        assertEquals(0, outcome(fal.headers(ID, now(), BODY), BODY));
        assertEquals(1, fetches.size(), "cached");
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        assertEquals(0, outcome(fal.headers(ID, now(), BODY), BODY));
        assertEquals(2, fetches.size(), "fetched again after 24 h");
    }

    @Test
    void aRotatedKeyVerifiesAfterOneRefetch() {
        assertEquals(0, outcome(fal.headers(ID, now(), BODY), BODY));
        WebhookSigner rotated = new WebhookSigner();
        served.set(WebhookSigner.jwks(rotated));
        assertEquals(0, outcome(rotated.headers(ID, now(), BODY), BODY), "verifies with the new key");
        assertEquals(2, fetches.size(), "one refetch");
        assertEquals(0, outcome(rotated.headers(ID, now(), BODY), BODY));
        assertEquals(2, fetches.size(), "then cached");
        assertEquals(401, outcome(fal.headers(ID, now(), BODY), BODY), "the old key is gone");
    }

    @Test
    void forgedCallbacksCannotMakeItHammerTheJwksUrl() {
        WebhookSigner forger = new WebhookSigner();
        for (int i = 0; i < 50; i++) {
            assertEquals(401, outcome(forger.headers(ID, now(), BODY), BODY));
        }
        assertEquals(2, fetches.size(), "the first fetch and one refetch");
        clock.advance(FalWebhookVerifier.MIN_REFETCH_INTERVAL.minusSeconds(1));
        assertEquals(401, outcome(forger.headers(ID, now(), BODY), BODY));
        assertEquals(2, fetches.size());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(401, outcome(forger.headers(ID, now(), BODY), BODY));
        assertEquals(3, fetches.size(), "one refetch per interval at most");
        assertEquals(0, outcome(fal.headers(ID, now(), BODY), BODY), "genuine callbacks still verify");
    }

    @Test
    void callbacksArrivingDuringAFetchShareItAndWaitWithoutAThread() {
        hold = true;
        CompletableFuture<Void> first = verify(fal.headers(ID, now(), BODY), BODY);
        CompletableFuture<Void> second = verify(fal.headers(ID, now(), BODY), BODY);
        assertFalse(first.isDone() || second.isDone(), "waiting for the keys");
        assertEquals(1, fetches.size(), "one fetch for both");
        answer(held.get(0));
        first.join();
        second.join();
        assertEquals(1, fetches.size());
    }

    @Test
    void withoutKeysTheAnswerIs503AndTheUrlIsNotAskedAgainAtOnce() {
        served.set(null);
        assertEquals(503, outcome(fal.headers(ID, now(), BODY), BODY));
        assertEquals(503, outcome(fal.headers(ID, now(), BODY), BODY));
        assertEquals(1, fetches.size(), "not asked again within the interval");
        served.set(WebhookSigner.jwks(fal));
        clock.advance(FalWebhookVerifier.MIN_REFETCH_INTERVAL);
        assertEquals(0, outcome(fal.headers(ID, now(), BODY), BODY));
        assertEquals(2, fetches.size());
    }

    @Test
    void whenTheJwksIsUnreachableExpiredKeysAreStillUsed() {
        assertEquals(0, outcome(fal.headers(ID, now(), BODY), BODY));
        served.set(null);
        clock.advance(Duration.ofHours(25));
        assertEquals(0, outcome(fal.headers(ID, now(), BODY), BODY), "the keys of yesterday");
        assertEquals(2, fetches.size());
    }

    @Test
    void aJwksWithoutAnEd25519KeyIsNoKey() {
        served.set("{\"keys\":[{\"kty\":\"RSA\",\"n\":\"abc\",\"e\":\"AQAB\"}]}");
        assertEquals(503, outcome(fal.headers(ID, now(), BODY), BODY));
        FluxKontextWebhookException e = assertThrows(FluxKontextWebhookException.class,
                () -> {
                    try {
                        verify(fal.headers(ID, now(), BODY), BODY).join();
                    } catch (CompletionException wrapped) {
                        throw wrapped.getCause();
                    }
                });
        assertTrue(e.getMessage().contains(JWKS_URL), e.getMessage());
    }
}
