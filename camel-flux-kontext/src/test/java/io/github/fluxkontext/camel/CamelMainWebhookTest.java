package io.github.fluxkontext.camel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.webhook.WebhookToken;
import io.github.fluxkontext.simulator.ChunkedBodyWriter;
import io.github.fluxkontext.simulator.WebhookDelivery;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The webhook consumer in a Camel Main application, configured by properties alone, on Camel Main's own HTTP server
 * (camel-platform-http-main, Vert.x): the trust options bind from {@code camel.component.flux-kontext.*}, and a body
 * far over maxWebhookSize is refused once the limit is passed, chunked or not, before much more than the limit was
 * read (the server's own body limit, 10 MB by default, plays no part).
 */
class CamelMainWebhookTest extends FluxKontextTestSupport {

    private static final int MAX_WEBHOOK_SIZE = 64 * 1024;
    private static final long HUGE_BODY = 64L * 1024 * 1024;
    private static final String SECRET = "camel-main-webhook-secret-5d2a91";

    private final int port = WebhookTestSupport.freePort();
    private Main main;

    @Override
    public boolean isUseRouteBuilder() {
        return false;
    }

    @BeforeEach
    void startMain() throws Exception {
        main = new Main();
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.host", "127.0.0.1");
        main.addInitialProperty("camel.server.port", Integer.toString(port));
        main.addInitialProperty("camel.component.flux-kontext.base-url", FAL.baseUrl());
        main.addInitialProperty("camel.component.flux-kontext.api-key", KEY);
        main.addInitialProperty("camel.component.flux-kontext.auth-scheme", "Key");
        main.addInitialProperty("camel.component.flux-kontext.jwks-url", FAL.simulator().jwksUrl());
        main.addInitialProperty("camel.component.flux-kontext.webhook-user-ids", "sim-user");
        main.addInitialProperty("camel.component.flux-kontext.webhook-secret", SECRET);
        main.addInitialProperty("camel.component.flux-kontext.max-webhook-size", Integer.toString(MAX_WEBHOOK_SIZE));
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("flux-kontext:webhook?path=/fal/webhook").routeId("webhook").to("mock:routed");
            }
        });
        main.start();
    }

    @AfterEach
    void stopMain() {
        main.stop();
    }

    private CamelContext mainContext() {
        return main.getCamelContext();
    }

    private FluxKontextWebhookConsumer webhookConsumer() {
        return (FluxKontextWebhookConsumer) mainContext().getRoute("webhook").getConsumer();
    }

    @Test
    void ourOwnCallbackReachesTheRouteWithTheOptionsSetByProperties() {
        String url = "http://127.0.0.1:" + port + "/fal/webhook";
        String id = mainContext().createProducerTemplate()
                .requestBody("flux-kontext:text-to-image?waitForResult=false&webhookUrl=RAW(" + url + ")", "A fox", KontextJob.class)
                .requestId();

        MockEndpoint routed = mainContext().getEndpoint("mock:routed", MockEndpoint.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> routed.getReceivedCounter() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> sim().webhookDeliveries().stream().anyMatch(d -> d.requestId().equals(id)));
        assertEquals(List.of(200), sim().webhookDeliveries().stream().filter(d -> d.requestId().equals(id))
                .map(WebhookDelivery::status).toList(), "verified, our account, our token");
    }

    @Test
    void aChunkedBodyFarOverMaxWebhookSizeIsRefusedBeforeMuchMoreThanTheLimitIsRead() throws Exception {
        String tokenQuery = new WebhookToken(SECRET).addTo(""); // a caller that knows the URL: the body is what is refused
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSendBufferSize(MAX_WEBHOOK_SIZE);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /fal/webhook" + tokenQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                       + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            AtomicLong written = new AtomicLong();
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> ChunkedBodyWriter.write(out, HUGE_BODY, written));
            CompletableFuture<String> statusLine = CompletableFuture.supplyAsync(() -> firstLine(socket));

            String status = statusLine.get(30, TimeUnit.SECONDS);
            long writtenWhenAnswered = written.get();

            assertTrue(status.startsWith("HTTP/1.1 413"), status);
            // what the client got into the connection: the limit, plus what the sockets' buffers took (a few hundred
            // KB on loopback); the server's own body limit (10 MB) or the whole body (64 MB) would be far more
            assertTrue(writtenWhenAnswered < 4L * 1024 * 1024, "the client had written " + writtenWhenAnswered + " bytes");
            // and the rest is never read: the server ends the connection, so the client cannot go on sending
            writing.get(30, TimeUnit.SECONDS);
            assertTrue(written.get() < 8L * 1024 * 1024, "the client could write " + written.get() + " bytes in all");
        }
        assertEquals(1, webhookConsumer().getRefusedCallbacks());
        assertEquals(0, mainContext().getEndpoint("mock:routed", MockEndpoint.class).getReceivedCounter());
    }

    private static String firstLine(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)).readLine();
        } catch (IOException e) {
            return "no answer: " + e;
        }
    }
}
