package io.github.fluxkontext.simulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Signed webhook deliveries, their retries, the faults that spoil them, and key rotation. */
class WebhookTest {

    private static final String T2I = "fal-ai/flux-pro/kontext/text-to-image";
    private static final Duration RETRY = Duration.ofMillis(50);

    @RegisterExtension
    final FalSimulatorExtension fal = FalSimulatorExtension.create(b -> b
            .queueTime(Duration.ZERO).runTime(Duration.ZERO).imageScale(0.125)
            .webhookUserId("test-user").webhookRetryDelays(List.of(RETRY, RETRY, RETRY))
            .webhookTimeout(Duration.ofSeconds(10)));

    private WebhookReceiver receiver;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    static String submitWithWebhook(FalSimulator sim, String url, String prompt) {
        return new SimHttp(sim).submitId(T2I + "?fal_webhook=" + URLEncoder.encode(url, StandardCharsets.UTF_8),
                "{\"prompt\":\"" + prompt + "\"}");
    }

    private static List<WebhookDelivery> awaitDeliveries(FalSimulator sim, int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.webhookDeliveries().size() >= n);
        return sim.webhookDeliveries();
    }

    @Test
    void aCompletedJobIsDeliveredSignedAndTheSignatureVerifiesWithTheJwksKey(FalSimulator sim) throws Exception {
        String id = submitWithWebhook(sim, receiver.url(), "signed");
        WebhookReceiver.Received r = receiver.next();

        assertEquals("application/json", r.header("Content-Type"));
        assertEquals(id, r.header("X-Fal-Webhook-Request-Id"));
        assertEquals("test-user", r.header("X-Fal-Webhook-User-Id"));
        long timestamp = Long.parseLong(r.header("X-Fal-Webhook-Timestamp"));
        assertTrue(Math.abs(Instant.now().getEpochSecond() - timestamp) <= 5, "timestamp " + timestamp);
        assertTrue(WebhookReceiver.verifies(sim.jwksUrl(), r), "the signature verifies");
        Map<String, Object> body = r.json();
        assertEquals(id, body.get("request_id"));
        assertEquals(id, body.get("gateway_request_id"));
        assertEquals("OK", body.get("status"));
        assertEquals("signed", ((Map<?, ?>) body.get("payload")).get("prompt"));

        WebhookDelivery d = awaitDeliveries(sim, 1).get(0);
        assertEquals(new WebhookDelivery(id, receiver.url(), 1, 200, null, d.at()), d);
        assertTrue(d.delivered());
    }

    @Test
    void aLoraInpaintCallbackHasTheSamePayloadShapeAndNoBillableUnits(FalSimulator sim) throws Exception {
        String red = TestImages.dataUri(TestImages.png(32, 24, new java.awt.Color(200, 30, 30)), "image/png");
        String white = TestImages.dataUri(TestImages.png(32, 24, java.awt.Color.WHITE), "image/png");
        String id = new SimHttp(sim).submitId("fal-ai/flux-kontext-lora/inpaint?fal_webhook="
                + URLEncoder.encode(receiver.url(), StandardCharsets.UTF_8), "{\"prompt\":\"patch\",\"image_url\":\""
                + red + "\",\"mask_url\":\"" + white + "\",\"reference_image_url\":\"" + red + "\",\"seed\":4}");
        WebhookReceiver.Received r = receiver.next();

        assertTrue(WebhookReceiver.verifies(sim.jwksUrl(), r));
        // fal documents no cost header on callbacks; the billable units are on the result answer only
        assertNull(r.header("x-fal-billable-units"));
        Map<String, Object> body = r.json();
        assertEquals(List.of("request_id", "gateway_request_id", "status", "payload"), List.copyOf(body.keySet()));
        assertEquals("OK", body.get("status"));
        Map<?, ?> payload = (Map<?, ?>) body.get("payload");
        assertEquals(List.of("images", "timings", "seed", "has_nsfw_concepts", "prompt"), List.copyOf(payload.keySet()));
        assertEquals(4, payload.get("seed"));
        assertEquals("image/png", ((Map<?, ?>) ((List<?>) payload.get("images")).get(0)).get("content_type"));
        assertEquals(payload, SimHttp.json(new SimHttp(sim).get("/fal-ai/flux-kontext-lora/requests/" + id)));
    }

    @Test
    void theJwksIsServedWithoutCredentialsInFalsShape(FalSimulator sim) {
        assertEquals(sim.baseUrl() + "/.well-known/jwks.json", sim.jwksUrl());
        List<Map<String, Object>> keys = WebhookReceiver.jwks(sim.jwksUrl()); // no Authorization header
        assertEquals(1, keys.size());
        Map<String, Object> key = keys.get(0);
        assertEquals("OKP", key.get("kty"));
        assertEquals("Ed25519", key.get("crv"));
        assertNotNull(key.get("kid"));
        String x = (String) key.get("x");
        assertEquals(43, x.length(), "32 bytes, base64url without padding: " + x);
        assertFalse(x.contains("=") || x.contains("+") || x.contains("/"));
        assertEquals(FalOperation.JWKS, sim.journal().entries().get(0).operation());
    }

    @Test
    void aFailedJobIsDeliveredAsError(FalSimulator sim) throws Exception {
        sim.faults().add(Fault.on(FalOperation.JOB).failJob(503, "runner_disconnected", "Runner disconnected"));
        String id = submitWithWebhook(sim, receiver.url(), "fails");
        WebhookReceiver.Received r = receiver.next();
        assertTrue(WebhookReceiver.verifies(sim.jwksUrl(), r));
        Map<String, Object> body = r.json();
        assertEquals(id, body.get("request_id"));
        assertEquals("ERROR", body.get("status"));
        assertEquals("Invalid status code: 503", body.get("error"));
        assertEquals(Map.of("detail", "Runner disconnected", "error_type", "runner_disconnected"), body.get("payload"));
    }

    @Test
    void aDeliveryAnswered500IsRetriedOnTheSchedule(FalSimulator sim) throws Exception {
        AtomicInteger requests = new AtomicInteger();
        receiver.answer(r -> requests.incrementAndGet() == 1 ? 500 : 200);
        String id = submitWithWebhook(sim, receiver.url(), "retried");
        WebhookReceiver.Received first = receiver.next();
        WebhookReceiver.Received second = receiver.next();
        assertArrayEquals(first.body(), second.body(), "every attempt posts the same payload");
        assertTrue(WebhookReceiver.verifies(sim.jwksUrl(), second));

        List<WebhookDelivery> d = awaitDeliveries(sim, 2);
        assertEquals(List.of(1, 2), d.stream().map(WebhookDelivery::attempt).toList());
        assertEquals(List.of(500, 200), d.stream().map(WebhookDelivery::status).toList());
        assertEquals(List.of(id, id), d.stream().map(WebhookDelivery::requestId).toList());
        assertFalse(d.get(1).at().isBefore(d.get(0).at().plus(RETRY)));
    }

    @Test
    void retriesStopWhenTheScheduleIsUsedUp(FalSimulator sim) throws Exception {
        int unusedPort;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            unusedPort = s.getLocalPort();
        }
        submitWithWebhook(sim, "http://127.0.0.1:" + unusedPort + "/nobody", "refused");
        List<WebhookDelivery> d = awaitDeliveries(sim, 4); // the first attempt and three retries
        assertEquals(List.of(-1, -1, -1, -1), d.stream().map(WebhookDelivery::status).toList());
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> sim.webhookDeliveries().size() == 4);
    }

    @Test
    void aReceiverThatDoesNotAnswerTimesOutAndIsTriedAgain() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        receiver.answer(r -> requests.incrementAndGet() == 1 ? 0 : 200);
        try (FalSimulator sim = FalSimulator.builder().queueTime(Duration.ZERO).runTime(Duration.ZERO)
                .webhookRetryDelays(List.of(RETRY)).webhookTimeout(Duration.ofMillis(300)).start()) {
            submitWithWebhook(sim, receiver.url(), "slow receiver");
            List<WebhookDelivery> d = awaitDeliveries(sim, 2);
            assertEquals(List.of(-1, 200), d.stream().map(WebhookDelivery::status).toList());
            assertFalse(d.get(1).at().isBefore(d.get(0).at().plus(Duration.ofMillis(300))), "after the timeout");
        }
    }

    @Test
    void badSignatureDoesNotVerifyAndTheNextAttemptDoes(FalSimulator sim) throws Exception {
        sim.faults().add(Fault.on(FalOperation.WEBHOOK).badSignature());
        receiver.answer(r -> WebhookReceiver.verifies(sim.jwksUrl(), r) ? 200 : 401);
        submitWithWebhook(sim, receiver.url(), "bad signature");
        WebhookReceiver.Received first = receiver.next();
        assertFalse(WebhookReceiver.verifies(sim.jwksUrl(), first));
        assertTrue(WebhookReceiver.verifies(sim.jwksUrl(), receiver.next()));
        List<WebhookDelivery> d = awaitDeliveries(sim, 2);
        assertEquals(List.of(401, 200), d.stream().map(WebhookDelivery::status).toList());
        assertEquals(Arrays.asList(WebhookFault.BAD_SIGNATURE, null), d.stream().map(WebhookDelivery::fault).toList());
    }

    @Test
    void staleTimestampIsThatOldAndSignedConsistently(FalSimulator sim) throws Exception {
        sim.faults().add(Fault.on(FalOperation.WEBHOOK).staleTimestamp(Duration.ofSeconds(301)));
        submitWithWebhook(sim, receiver.url(), "stale");
        WebhookReceiver.Received r = receiver.next();
        long age = Instant.now().getEpochSecond() - Long.parseLong(r.header("X-Fal-Webhook-Timestamp"));
        assertTrue(age >= 301 && age <= 306, "age " + age);
        assertTrue(WebhookReceiver.verifies(sim.jwksUrl(), r));
        assertEquals(WebhookFault.STALE_TIMESTAMP, awaitDeliveries(sim, 1).get(0).fault());
    }

    @Test
    void otherAccountSignsWithFalsKeyForAnotherUserIdAndTheNextAttemptIsOurs(FalSimulator sim) throws Exception {
        sim.faults().add(Fault.on(FalOperation.WEBHOOK).otherAccount("someone-else"));
        receiver.answer(r -> "test-user".equals(r.header("X-Fal-Webhook-User-Id")) ? 200 : 401);
        submitWithWebhook(sim, receiver.url(), "another account");
        WebhookReceiver.Received theirs = receiver.next();
        assertEquals("someone-else", theirs.header("X-Fal-Webhook-User-Id"));
        assertTrue(WebhookReceiver.verifies(sim.jwksUrl(), theirs), "fal's key signs every account's callbacks");
        WebhookReceiver.Received ours = receiver.next();
        assertEquals("test-user", ours.header("X-Fal-Webhook-User-Id"));
        assertTrue(WebhookReceiver.verifies(sim.jwksUrl(), ours));
        List<WebhookDelivery> d = awaitDeliveries(sim, 2);
        assertEquals(List.of(401, 200), d.stream().map(WebhookDelivery::status).toList());
        assertEquals(Arrays.asList(WebhookFault.OTHER_ACCOUNT, null), d.stream().map(WebhookDelivery::fault).toList());
        assertThrows(IllegalArgumentException.class, () -> Fault.on(FalOperation.WEBHOOK).otherAccount(" "));
    }

    @Test
    void duplicateDeliverySendsTheSameSignedCallbackTwice(FalSimulator sim) throws Exception {
        sim.faults().add(Fault.on(FalOperation.WEBHOOK).duplicateDelivery());
        submitWithWebhook(sim, receiver.url(), "twice");
        WebhookReceiver.Received first = receiver.next();
        WebhookReceiver.Received second = receiver.next();
        assertArrayEquals(first.body(), second.body());
        for (String h : List.of("X-Fal-Webhook-Request-Id", "X-Fal-Webhook-Timestamp", "X-Fal-Webhook-Signature")) {
            assertEquals(first.header(h), second.header(h), h);
        }
        List<WebhookDelivery> d = awaitDeliveries(sim, 2);
        assertEquals(List.of(1, 1), d.stream().map(WebhookDelivery::attempt).toList());
        assertEquals(List.of(WebhookFault.DUPLICATE_DELIVERY, WebhookFault.DUPLICATE_DELIVERY),
                d.stream().map(WebhookDelivery::fault).toList());
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> receiver.pending().isEmpty());
    }

    @Test
    void failDeliveryBreaksTheRequestAndTheScheduleRetriesIt(FalSimulator sim) throws Exception {
        sim.faults().add(Fault.on(FalOperation.WEBHOOK).failDelivery().times(2));
        String id = submitWithWebhook(sim, receiver.url(), "broken request");
        List<WebhookDelivery> d = awaitDeliveries(sim, 3);
        assertEquals(List.of(-1, -1, 200), d.stream().map(WebhookDelivery::status).toList());
        assertEquals(Arrays.asList(WebhookFault.FAIL_DELIVERY, WebhookFault.FAIL_DELIVERY, null),
                d.stream().map(WebhookDelivery::fault).toList());
        assertEquals(List.of(1, 2, 3), d.stream().map(WebhookDelivery::attempt).toList());
        // the receiver saw each broken attempt as a request whose body ended before its Content-Length
        List<WebhookReceiver.Received> got = receiver.pending();
        assertEquals(3, got.size());
        assertNotNull(got.get(0).error());
        assertNotNull(got.get(1).error());
        assertEquals(id, got.get(2).json().get("request_id"));
        assertTrue(WebhookReceiver.verifies(sim.jwksUrl(), got.get(2)));
    }

    @Test
    void webhookFaultsRespectTheirRequestId(FalSimulator sim) throws Exception {
        sim.faults().add(Fault.on(FalOperation.WEBHOOK).badSignature().forRequestId("another-job").always());
        submitWithWebhook(sim, receiver.url(), "not that one");
        assertTrue(WebhookReceiver.verifies(sim.jwksUrl(), receiver.next()));
        assertNull(awaitDeliveries(sim, 1).get(0).fault());
    }

    @Test
    void rotationSignsWithTheNewKeyAndTheJwksListsOnlyIt(FalSimulator sim) throws Exception {
        String oldJwks = sim.jwksUrl();
        Object oldKid = WebhookReceiver.jwks(oldJwks).get(0).get("kid");
        var oldKeys = WebhookReceiver.keys(oldJwks);
        submitWithWebhook(sim, receiver.url(), "before");
        assertTrue(WebhookReceiver.verifies(sim.jwksUrl(), receiver.next()));

        sim.rotateWebhookKey();
        List<Map<String, Object>> jwks = WebhookReceiver.jwks(sim.jwksUrl());
        assertEquals(1, jwks.size());
        assertNotEquals(oldKid, jwks.get(0).get("kid"));
        submitWithWebhook(sim, receiver.url(), "after");
        WebhookReceiver.Received r = receiver.next();
        assertTrue(WebhookReceiver.verifies(sim.jwksUrl(), r));
        assertNotEquals(oldKeys, WebhookReceiver.keys(sim.jwksUrl()));
    }

    @Test
    void resetDropsPendingRetriesAndForgetsDeliveries() throws Exception {
        receiver.answer(r -> 500);
        try (FalSimulator sim = FalSimulator.builder().queueTime(Duration.ZERO).runTime(Duration.ZERO)
                .webhookRetryDelays(List.of(Duration.ofMillis(500))).start()) {
            String id = submitWithWebhook(sim, receiver.url(), "reset");
            assertEquals(id, receiver.next().header("X-Fal-Webhook-Request-Id"));
            awaitDeliveries(sim, 1);
            sim.reset(); // well before the retry is due
            assertTrue(sim.webhookDeliveries().isEmpty());
            await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() -> receiver.pending().isEmpty());
        }
    }

    @Test
    void webhookFaultsAreOnlyForWebhooksAndHttpFaultsNeverForThem() {
        assertThrows(IllegalStateException.class, () -> Fault.on(FalOperation.SUBMIT).badSignature());
        assertThrows(IllegalStateException.class, () -> Fault.on(null).failDelivery());
        assertThrows(IllegalStateException.class, () -> Fault.on(FalOperation.WEBHOOK).status(500));
        assertFalse(Fault.on(null).status(500).matches(FalOperation.WEBHOOK, "id"));
        assertTrue(Fault.on(FalOperation.WEBHOOK).failDelivery().matches(FalOperation.WEBHOOK, "id"));
    }
}
