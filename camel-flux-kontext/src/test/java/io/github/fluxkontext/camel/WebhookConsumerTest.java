package io.github.fluxkontext.camel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.fluxkontext.camel.client.FalWebhookVerifier;
import io.github.fluxkontext.camel.client.WebhookSigner;
import io.github.fluxkontext.camel.model.FluxKontextJobFailedException;
import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextResult;
import io.github.fluxkontext.camel.webhook.WebhookMarker;
import io.github.fluxkontext.camel.webhook.WebhookToken;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.Fault;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * flux-kontext:webhook on platform-http, fed by the simulator's signed callbacks (through a relay that lets a
 * test tamper with them): what reaches the route, once, and what is answered 401, 400, 405, 409, 413, 500 or 503 and
 * never reaches it; only our own callbacks (webhookUserIds, webhookSecret); no callback acknowledged before its
 * exchange is done; refused callers told nothing of the inside.
 */
class WebhookConsumerTest extends WebhookTestSupport {

    /** The user id the simulator signs its callbacks for (the account that submits the tests' jobs). */
    private static final String OUR_FAL_USER = "sim-user";
    private static final String SECRET = "a-shared-secret-of-the-fleet-7c1f";

    /** Another key than fal's, with its own JWKS served by the relay: for callbacks the simulator would not send. */
    private final WebhookSigner testKey = new WebhookSigner();
    private final WebhookRelay relay = relay(port);
    private final AtomicInteger flakyCalls = new AtomicInteger();
    /** The route of /test/held has the callback (entered) and holds it until released. */
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final IdempotentRepository heldCallbacks = MemoryIdempotentRepository.memoryIdempotentRepository();

    private static WebhookRelay relay(int port) {
        try {
            return new WebhookRelay("http://127.0.0.1:" + port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    void closeRelay() {
        release.countDown();
        relay.close();
    }

    /** Camel logs the routes' URIs; the secret in them, and the token derived from it, stay out of the log. */
    @AfterAll
    static void secretIsNotInTheLog() throws IOException {
        Path log = Path.of("target", "test.log");
        if (Files.exists(log)) {
            String text = Files.readString(log);
            assertFalse(text.contains(SECRET), "the webhook secret appears in target/test.log");
            assertFalse(text.contains(new WebhookToken(SECRET).value()), "the webhook token appears in target/test.log");
        }
    }

    @Override
    protected void bindToRegistry(org.apache.camel.spi.Registry registry) {
        registry.bind("heldCallbacks", heldCallbacks);
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        relay.serveJwks(WebhookSigner.jwks(testKey));
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("flux-kontext:webhook?path=" + PATH).routeId("webhook")
                        .onException(FluxKontextJobFailedException.class).handled(true).to("mock:failed").end()
                        .to("mock:jobs");
                from("flux-kontext:webhook?path=/fal/bytes&outputType=bytes").routeId("bytes")
                        .to("mock:bytes");
                from("flux-kontext:webhook?path=/fal/flaky").routeId("flaky")
                        .process(e -> {
                            if (flakyCalls.incrementAndGet() == 1) {
                                throw new IllegalStateException("the database is down");
                            }
                        })
                        .to("mock:flaky");
                from("flux-kontext:webhook?path=/fal/small&maxWebhookSize=64").routeId("small")
                        .to("mock:small");
                from("flux-kontext:webhook?path=/test/webhook&jwksUrl=" + relay.url("/jwks.json")).routeId("test-key")
                        .to("mock:testKey");
                from("flux-kontext:webhook?path=/unsigned/webhook&verifyWebhookSignature=false").routeId("unsigned")
                        .to("mock:unsigned");
                from("flux-kontext:webhook?path=/fal/pinned&webhookUserIds=another-account-of-ours," + OUR_FAL_USER).routeId("pinned")
                        .to("mock:pinned");
                from("flux-kontext:webhook?path=/fal/secret&webhookSecret=" + SECRET).routeId("secret")
                        .to("mock:secret");
                from("flux-kontext:webhook?path=/test/secret&webhookSecret=" + SECRET + "&jwksUrl=" + relay.url("/jwks.json"))
                        .routeId("test-secret").to("mock:testSecret");
                from("flux-kontext:webhook?path=/test/held&idempotentRepository=#heldCallbacks&jwksUrl=" + relay.url("/jwks.json"))
                        .routeId("held")
                        .process(e -> {
                            entered.countDown();
                            assertTrue(release.await(20, TimeUnit.SECONDS), "released");
                        })
                        .to("mock:held");
            }
        };
    }

    private MockEndpoint mock(String name) {
        return getMockEndpoint("mock:" + name);
    }

    /** {@code count} exchanges arrive at the mock. */
    private static void arrives(MockEndpoint mock, int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> mock.getReceivedCounter() >= count);
    }

    /** Nothing more arrives at the mock within a while (the deliveries were answered already). */
    private static void staysAt(MockEndpoint mock, int count) {
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> mock.getReceivedCounter() == count);
    }

    @Test
    void aValidCallbackReachesTheRouteOnceWithTheOutputAndTheHeadersOfAWait() throws Exception {
        String id = submit(url(PATH), "A lighthouse at dusk");

        assertEquals(List.of(200), statuses(deliveries(id, 1)));
        arrives(mock("jobs"), 1);
        Exchange received = mock("jobs").getReceivedExchanges().get(0);
        KontextResult result = received.getMessage().getBody(KontextResult.class);
        assertEquals(id, result.requestId());
        assertEquals(1, result.images().size());
        assertEquals("A lighthouse at dusk", result.prompt());
        assertEquals(id, received.getMessage().getHeader(FluxKontextConstants.REQUEST_ID));
        assertEquals("COMPLETED", received.getMessage().getHeader(FluxKontextConstants.STATUS));
        assertEquals(result.imageUrls(), received.getMessage().getHeader(FluxKontextConstants.RESULT_IMAGE_URLS));
        assertEquals(result.seed(), received.getMessage().getHeader(FluxKontextConstants.RESULT_SEED));
        assertEquals(1, received.getMessage().getHeader(FluxKontextConstants.IMAGE_COUNT));
        assertTrue(received.getFromEndpoint() instanceof FluxKontextEndpoint, "from flux-kontext:webhook");
        staysAt(mock("jobs"), 1);
        assertEquals(1, consumer("webhook").getRoutedCallbacks());
        assertEquals(0, sim().journal().count(FalOperation.RESULT), "the output came with the callback");
    }

    @Test
    void withOutputTypeBytesTheRouteGetsTheImage() throws Exception {
        String id = submit(url("/fal/bytes"), "A teapot");

        arrives(mock("bytes"), 1);
        Exchange received = mock("bytes").getReceivedExchanges().get(0);
        byte[] image = received.getMessage().getBody(byte[].class);
        assertEquals((byte) 0xFF, image[0], "a JPEG");
        assertEquals((byte) 0xD8, image[1], "a JPEG");
        assertEquals("image/jpeg", received.getMessage().getHeader(Exchange.CONTENT_TYPE));
        assertEquals(id + "-0.jpg", received.getMessage().getHeader(Exchange.FILE_NAME));
    }

    @Test
    void aFailedJobReachesTheRouteAsAFailedExchangeAndTheDeliveryIsAccepted() throws Exception {
        sim().faults().add(Fault.on(FalOperation.JOB).failJob(422, "content_policy_violation", "The prompt was flagged").times(2));
        String id = submit(url(PATH), "A forbidden thing");
        String unhandled = submit(url("/fal/bytes"), "Another forbidden thing");

        arrives(mock("failed"), 1);
        FluxKontextJobFailedException failure = assertInstanceOf(FluxKontextJobFailedException.class,
                mock("failed").getReceivedExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT));
        assertEquals(id, failure.getRequestId());
        assertEquals("Invalid status code: 422", failure.getError());
        assertEquals("content_policy_violation", failure.getErrorType());
        assertEquals(List.of(200), statuses(deliveries(id, 1)), "the delivery succeeded although the job failed");
        assertEquals(List.of(200), statuses(deliveries(unhandled, 1)), "also where the route has no error handler");
        staysAt(mock("jobs"), 0);
        staysAt(mock("bytes"), 0);
        assertEquals(0, sim().journal().count(FalOperation.RESULT), "the error came with the callback");
    }

    @Test
    void aTamperedBodyIsRefused401AndNeverReachesTheRoute() throws Exception {
        relay.change(forward -> new WebhookRelay.Forward(forward.headers(),
                new String(forward.body(), StandardCharsets.UTF_8).replace("A cat", "A dog").getBytes(StandardCharsets.UTF_8)));
        String id = submit(relay.url(PATH), "A cat");

        assertEquals(List.of(401, 401, 401, 401), statuses(deliveries(id, 4)), "every delivery, until fal gives up");
        staysAt(mock("jobs"), 0);
        assertEquals(4, consumer("webhook").getRefusedCallbacks());
    }

    @Test
    void aCallbackSignedWithAnotherKeyIsRefused401() throws Exception {
        relay.change(forward -> {
            String requestId = forward.header(FalWebhookVerifier.REQUEST_ID_HEADER);
            Map<String, String> forged = testKey.headers(requestId, Instant.now().getEpochSecond(), forward.body());
            WebhookRelay.Forward changed = forward;
            for (Map.Entry<String, String> header : forged.entrySet()) {
                changed = changed.with(header.getKey(), header.getValue());
            }
            return changed;
        });
        String id = submit(relay.url(PATH), "A cat");

        assertEquals(List.of(401, 401, 401, 401), statuses(deliveries(id, 4)));
        staysAt(mock("jobs"), 0);
    }

    @Test
    void aMissingSignatureIsRefused401() throws Exception {
        relay.change(forward -> forward.with(FalWebhookVerifier.SIGNATURE_HEADER, null));
        String id = submit(relay.url(PATH), "A cat");

        assertEquals(List.of(401, 401, 401, 401), statuses(deliveries(id, 4)));
        staysAt(mock("jobs"), 0);
    }

    @Test
    void aSignatureAlsoGivenAsQueryParameterIsRefused401() throws Exception {
        // platform-http maps query parameters to headers: the header would arrive as a list of two values
        String id = submit(url(PATH + "?X-Fal-Webhook-Signature=00"), "A cat");

        assertEquals(List.of(401, 401, 401, 401), statuses(deliveries(id, 4)));
        staysAt(mock("jobs"), 0);
    }

    @Test
    void aTimestamp301SecondsOldIsRefused401AndTheFreshRedeliveryIsAccepted() throws Exception {
        sim().faults().add(Fault.on(FalOperation.WEBHOOK).staleTimestamp(Duration.ofSeconds(301)));
        String id = submit(url(PATH), "A cat");

        assertEquals(List.of(401, 200), statuses(deliveries(id, 2)));
        arrives(mock("jobs"), 1);
        staysAt(mock("jobs"), 1);
    }

    @Test
    void onlyPostIsAccepted() throws Exception {
        assertEquals(405, send("GET", url(PATH), Map.of(), null));
        assertEquals(405, send("PUT", url(PATH), Map.of("Content-Type", "application/json"), "{}".getBytes(StandardCharsets.UTF_8)));
        staysAt(mock("jobs"), 0);
    }

    @Test
    void aBodyAboveMaxWebhookSizeIsRefused413() throws Exception {
        String id = submit(url("/fal/small"), "A cat");

        assertEquals(List.of(413, 413, 413, 413), statuses(deliveries(id, 4)));
        byte[] large = new byte[65];
        assertEquals(413, send("POST", url("/fal/small"), testKey.headers("some-id", Instant.now().getEpochSecond(), large), large));
        staysAt(mock("small"), 0);
    }

    @Test
    void aSignedBodyThatIsNotACallbackIsRefused400() throws Exception {
        long now = Instant.now().getEpochSecond();
        byte[] notJson = "this is not JSON".getBytes(StandardCharsets.UTF_8);
        assertEquals(400, send("POST", url("/test/webhook"), testKey.headers("job-1", now, notJson), notJson));
        byte[] noRequestId = "{\"status\":\"OK\",\"payload\":{\"images\":[]}}".getBytes(StandardCharsets.UTF_8);
        assertEquals(400, send("POST", url("/test/webhook"), testKey.headers("job-1", now, noRequestId), noRequestId));
        byte[] otherJob = callback("job-2");
        assertEquals(400, send("POST", url("/test/webhook"), testKey.headers("job-1", now, otherJob), otherJob),
                "the signed request id must be the body's");
        staysAt(mock("testKey"), 0);

        byte[] good = callback("job-1");
        assertEquals(200, send("POST", url("/test/webhook"), testKey.headers("job-1", now, good), good), "the key itself is fine");
        assertEquals(1, mock("testKey").getReceivedCounter());
    }

    @Test
    void forgedCallbacksCannotMakeItFetchFalsKeysOften() throws Exception {
        long now = Instant.now().getEpochSecond();
        for (int i = 0; i < 20; i++) {
            byte[] body = callback("forged-" + i);
            assertEquals(401, send("POST", url(PATH), testKey.headers("forged-" + i, now, body), body));
        }
        assertTrue(sim().journal().count(FalOperation.JWKS) <= 2, "JWKS fetched " + sim().journal().count(FalOperation.JWKS) + " times");
        staysAt(mock("jobs"), 0);
    }

    @Test
    void aDeliveryWhoseRouteFailsIsAnswered500AndTheRedeliveryReachesTheRouteOnce() throws Exception {
        String id = submit(url("/fal/flaky"), "A cat");

        assertEquals(List.of(500, 200), statuses(deliveries(id, 2)));
        arrives(mock("flaky"), 1);
        staysAt(mock("flaky"), 1);
        assertEquals(2, flakyCalls.get(), "the failed delivery and the redelivery");
        assertEquals(1, consumer("flaky").getRouteFailures());
    }

    @Test
    void aDeliveryBrokenOffInTheMiddleOfItsBodyDoesNotReachTheRouteAndTheNextDoesOnce() throws Exception {
        sim().faults().add(Fault.on(FalOperation.WEBHOOK).failDelivery());
        try (LogCapture log = LogCapture.of(FluxKontextWebhookConsumer.class)) {
            String id = submit(url(PATH), "A cat");

            assertEquals(List.of(-1, 200), statuses(deliveries(id, 2)), "the broken request, then fal's next delivery");
            arrives(mock("jobs"), 1);
            staysAt(mock("jobs"), 1);
            assertEquals(List.of(), log.lines(Level.ERROR, ""), "a caller's broken request is no error of ours");
            assertTrue(log.lines(Level.WARN, "could not be handled").isEmpty(), log.lines().toString());
        }
    }

    @Test
    void aDuplicateDeliveryReachesTheRouteOnce() throws Exception {
        sim().faults().add(Fault.on(FalOperation.WEBHOOK).duplicateDelivery());
        String id = submit(url(PATH), "A cat");

        assertEquals(List.of(200, 200), statuses(deliveries(id, 2)));
        arrives(mock("jobs"), 1);
        staysAt(mock("jobs"), 1);
        assertEquals(1, consumer("webhook").getDuplicateCallbacks());
    }

    @Test
    void afterFalRotatesItsKeyCallbacksVerifyAfterOneRefetch() throws Exception {
        String first = submit(url(PATH), "Before");
        assertEquals(List.of(200), statuses(deliveries(first, 1)));
        assertEquals(1, sim().journal().count(FalOperation.JWKS));

        sim().rotateWebhookKey();
        String second = submit(url(PATH), "After");

        assertEquals(List.of(200), statuses(deliveries(second, 1)), "verified at the first delivery");
        assertEquals(2, sim().journal().count(FalOperation.JWKS), "one refetch");
        arrives(mock("jobs"), 2);
    }

    @Test
    void withoutVerificationAnUnsignedCallbackIsAcceptedButStillOnlyACallback() throws Exception {
        byte[] good = callback("job-unsigned");
        assertEquals(200, send("POST", url("/unsigned/webhook"), Map.of("Content-Type", "application/json"), good));
        assertEquals(200, send("POST", url("/unsigned/webhook"), Map.of(), good), "the same job again: acknowledged");
        byte[] notJson = "not JSON".getBytes(StandardCharsets.UTF_8);
        assertEquals(400, send("POST", url("/unsigned/webhook"), Map.of(), notJson));
        arrives(mock("unsigned"), 1);
        staysAt(mock("unsigned"), 1);
        assertEquals("job-unsigned", mock("unsigned").getReceivedExchanges().get(0).getMessage().getHeader(FluxKontextConstants.REQUEST_ID));
    }

    // ---- Trust: only our own callbacks

    @Test
    void anotherFalAccountsCallbackIsRefused401AndTheSameCallbackForOurAccountIsRoutedOnce() throws Exception {
        // fal signs every account's callbacks with the same keys: this one verifies, but someone else submitted it
        sim().faults().add(Fault.on(FalOperation.WEBHOOK).otherAccount("intruder"));
        try (LogCapture log = LogCapture.of(FluxKontextWebhookConsumer.class)) {
            String id = submit(url("/fal/pinned"), "A cat");

            assertEquals(List.of(401, 200), statuses(deliveries(id, 2)), "refused, then accepted when signed for our account");
            arrives(mock("pinned"), 1);
            staysAt(mock("pinned"), 1);
            assertEquals(id, mock("pinned").getReceivedExchanges().get(0).getMessage().getHeader(FluxKontextConstants.REQUEST_ID));
            assertEquals(1, consumer("pinned").getRefusedCallbacks());
            assertEquals(1, log.lines(Level.WARN, "fal user 'intruder', which is not one of webhookUserIds").size(), log.lines().toString());
        }
    }

    @Test
    void aSignedCallbackWithoutTheProducersTokenIsRefused401AndAtTheUrlTheProducerGaveFalItIsRouted() throws Exception {
        String without = submit(url("/fal/secret"), "Submitted without the secret");
        String with = template.requestBody("flux-kontext:text-to-image?waitForResult=false&webhookSecret=" + SECRET
                                           + "&webhookUrl=RAW(" + url("/fal/secret") + ")", "Submitted with it", KontextJob.class).requestId();

        assertEquals(List.of(401, 401, 401, 401), statuses(deliveries(without, 4)), "signed by fal, but not our job");
        assertEquals(List.of(200), statuses(deliveries(with, 1)));
        arrives(mock("secret"), 1);
        staysAt(mock("secret"), 1);
        Exchange routed = mock("secret").getReceivedExchanges().get(0);
        assertEquals(with, routed.getMessage().getHeader(FluxKontextConstants.REQUEST_ID));

        String falWebhook = sim().journal().entries(FalOperation.SUBMIT).stream().filter(e -> with.equals(e.requestId()))
                .findFirst().orElseThrow().query();
        String token = new WebhookToken(SECRET).value();
        assertTrue(falWebhook.contains(WebhookToken.PARAMETER + "%3D" + token), falWebhook);
        assertFalse(falWebhook.contains(SECRET), "the token, never the secret: " + falWebhook);
        assertFalse(routed.getMessage().getHeaders().containsKey(WebhookToken.PARAMETER));
        assertTrue(routed.getMessage().getHeaders().values().stream().noneMatch(v -> String.valueOf(v).contains(token)),
                "no token in the route's exchange: " + routed.getMessage().getHeaders());
    }

    @Test
    void theTokenGivenTwiceOrOnlyAsAnHttpHeaderIsRefused401AndTheMarkerGivenTwice400() throws Exception {
        WebhookToken token = new WebhookToken(SECRET);
        long now = Instant.now().getEpochSecond();
        byte[] first = callback("job-1");
        byte[] second = callback("job-2");
        byte[] third = callback("job-3");

        assertEquals(401, send("POST", token.addTo(token.addTo(url("/test/secret"))), testKey.headers("job-1", now, first), first),
                "twice");
        Map<String, String> asHeader = new HashMap<>(testKey.headers("job-1", now, first));
        asHeader.put(WebhookToken.PARAMETER, token.value());
        assertEquals(401, send("POST", url("/test/secret"), asHeader, first), "only the URL fal was given counts");
        assertEquals(400, send("POST", WebhookMarker.mark(WebhookMarker.mark(token.addTo(url("/test/secret")))),
                testKey.headers("job-2", now, second), second), "marked twice");
        staysAt(mock("testSecret"), 0);

        assertEquals(200, send("POST", token.addTo(url("/test/secret")), testKey.headers("job-3", now, third), third), "once: fine");
        assertEquals(1, mock("testSecret").getReceivedCounter());
    }

    @Test
    void aConsumerThatAcceptsAnyFalAccountSaysSoAtStartAndOneWithEitherOptionDoesNot() throws Exception {
        try (LogCapture log = LogCapture.of(FluxKontextWebhookConsumer.class)) {
            addConsumers("mock:open", "flux-kontext:webhook?path=/open/webhook",
                    "flux-kontext:webhook?path=/pinned/webhook&webhookUserIds=" + OUR_FAL_USER,
                    "flux-kontext:webhook?path=/secret/webhook&webhookSecret=" + SECRET);

            List<String> warnings = log.lines(Level.WARN, "anyone with a fal account can submit a cheap job");
            assertEquals(1, warnings.size(), log.lines().toString());
            assertTrue(warnings.get(0).contains("/open/webhook") && warnings.get(0).contains("webhookUserIds")
                       && warnings.get(0).contains("webhookSecret"), warnings.get(0));
        }
    }

    @Test
    void webhookUserIdsNeedSignaturesAndAWebhookSecretIsNotAPassword() {
        Exception unsigned = assertThrows(Exception.class,
                () -> context.getEndpoint("flux-kontext:webhook?verifyWebhookSignature=false&webhookUserIds=" + OUR_FAL_USER));
        assertTrue(rootMessage(unsigned).contains("Option webhookUserIds needs verifyWebhookSignature=true"), rootMessage(unsigned));
        Exception empty = assertThrows(Exception.class, () -> context.getEndpoint("flux-kontext:webhook?webhookUserIds=,"));
        assertTrue(rootMessage(empty).contains("Option webhookUserIds lists no fal user id"), rootMessage(empty));
        Exception shortSecret = assertThrows(Exception.class, () -> context.getEndpoint("flux-kontext:webhook?webhookSecret=hunter2"));
        assertTrue(rootMessage(shortSecret).contains("Option webhookSecret must be at least 16 characters"), rootMessage(shortSecret));
        assertFalse(rootMessage(shortSecret).contains("hunter2"), "the secret is not in the message");
    }

    // ---- No callback lost

    @Test
    void aRepeatWhileTheFirstIsHeldInTheRouteIsNotAcknowledgedAndAfterTheFirstFinishedItIs() throws Exception {
        byte[] body = callback("job-held");
        Map<String, String> signed = testKey.headers("job-held", Instant.now().getEpochSecond(), body);
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> {
            try {
                return send("POST", url("/test/held"), signed, body);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(entered.await(20, TimeUnit.SECONDS), "the route holds the first delivery");

        HttpResponse<String> repeat = answer("POST", url("/test/held"), signed, body);
        assertEquals(409, repeat.statusCode(), "not acknowledged: the first may yet fail");
        assertTrue(repeat.headers().firstValue("Retry-After").isPresent());
        assertFalse(heldCallbacks.contains("job-held"), "remembered only once its exchange is done");

        release.countDown();
        assertEquals(200, first.get(20, TimeUnit.SECONDS));
        assertTrue(heldCallbacks.contains("job-held"));
        assertEquals(200, send("POST", url("/test/held"), signed, body), "now a duplicate: acknowledged");
        arrives(mock("held"), 1);
        staysAt(mock("held"), 1);
        assertEquals(1, consumer("held").getRepeatsWhileHandled());
        assertEquals(1, consumer("held").getDuplicateCallbacks());
    }

    // ---- Refused callers learn nothing of the inside

    @Test
    void refusedCallersGetFixedTextsAndTheDetailGoesToTheLog() throws Exception {
        try (LogCapture log = LogCapture.of(FluxKontextWebhookConsumer.class)) {
            byte[] body = callback("job-1");
            HttpResponse<String> stale = answer("POST", url("/test/webhook"), testKey.headers("job-1", Instant.now().getEpochSecond() - 400, body),
                    body);
            assertEquals(401, stale.statusCode());
            assertEquals("Unauthorized", stale.body(), "no clock offset");

            byte[] otherJob = callback("job-2");
            HttpResponse<String> mismatch = answer("POST", url("/test/webhook"), testKey.headers("job-1", Instant.now().getEpochSecond(),
                    otherJob), otherJob);
            assertEquals(400, mismatch.statusCode());
            assertEquals("Bad Request: not a webhook callback", mismatch.body());

            int nobody = freePort();
            addConsumers("mock:nokeys", "flux-kontext:webhook?path=/fal/nokeys&jwksUrl=http://127.0.0.1:" + nobody + "/keys.json");
            HttpResponse<String> noKeys = answer("POST", url("/fal/nokeys"), testKey.headers("job-1", Instant.now().getEpochSecond(), body),
                    body);
            assertEquals(503, noKeys.statusCode());
            assertEquals("Service Unavailable: deliver it again later", noKeys.body(), "no JWKS fetch error, no host");

            String logged = String.join("\n", log.lines());
            // 400 s, or 401 when the second turned between the header's timestamp and the check (a busy machine)
            assertTrue(logged.matches("(?s).*40[01] s away from now.*"), logged);
            assertTrue(logged.contains("is not the body's"), logged);
            assertTrue(logged.contains("could not be fetched from http://127.0.0.1:" + nobody), logged);
        }
        staysAt(mock("testKey"), 0);
    }

    @Test
    void theKeysUrlIsLoggedWithoutCredentialsNorQuery() throws Exception {
        try (LogCapture log = LogCapture.of(FluxKontextWebhookConsumer.class)) {
            addConsumers("mock:proxied", "flux-kontext:webhook?path=/fal/proxied&webhookUserIds=" + OUR_FAL_USER
                                         + "&jwksUrl=RAW(https://keys-user:keys-pa55word@keys.example.com/jwks.json?sig=s3cr3t)");

            String logged = String.join("\n", log.lines());
            assertTrue(logged.contains("https://...@keys.example.com/jwks.json?..."), logged);
            assertFalse(logged.contains("keys-pa55word") || logged.contains("keys-user") || logged.contains("s3cr3t"), logged);
        }
    }

    /** Starts a route from each of these consumer URIs to the mock. */
    private void addConsumers(String mock, String... uris) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (String uri : uris) {
                    from(uri).to(mock);
                }
            }
        });
    }

    /** A callback body for a job that succeeded. */
    private static byte[] callback(String requestId) {
        return ("{\"request_id\":\"" + requestId + "\",\"status\":\"OK\",\"payload\":{\"images\":[{\"url\":\"https://example.com/a.jpg\"}],"
                + "\"seed\":1,\"prompt\":\"p\"}}").getBytes(StandardCharsets.UTF_8);
    }
}
