package io.github.fluxkontext.camel.springboot;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextResult;
import io.github.fluxkontext.camel.webhook.WebhookToken;
import io.github.fluxkontext.simulator.ChunkedBodyWriter;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.Fault;
import io.github.fluxkontext.simulator.FalSimulator;
import io.github.fluxkontext.simulator.FalSimulatorExtension;
import io.github.fluxkontext.simulator.WebhookDelivery;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * flux-kontext:webhook on Spring Boot's web server (Tomcat) through camel-platform-http-starter: on Spring Boot 3.5
 * with Camel 4.18 platform-http hands the body over as characters, and fal's callbacks (UTF-8 JSON) still verify.
 * The consumer accepts only its own account's callbacks of jobs submitted with its webhook secret, both set as
 * Spring Boot properties. The starter's WebhookBodyLimitFilter reads a callback's body no further than the
 * consumer's maxWebhookSize, and leaves other paths alone.
 */
@SpringBootTest(classes = FluxKontextWebhookStarterTest.Application.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
                properties = {
                        "camel.component.flux-kontext.api-key=starter-key",
                        "camel.component.flux-kontext.poll-interval=20ms",
                        "camel.component.flux-kontext.max-poll-interval=20s",
                        "camel.component.flux-kontext.timeout=30s",
                        "camel.component.flux-kontext.path=/fal/webhook",
                        "camel.component.flux-kontext.webhook-tolerance=1m",
                        "camel.component.flux-kontext.webhook-user-ids=sim-user",
                        "camel.component.flux-kontext.webhook-secret=" + FluxKontextWebhookStarterTest.SECRET,
                        "spring.main.banner-mode=off"
                })
@DirtiesContext
class FluxKontextWebhookStarterTest {

    @RegisterExtension
    static final FalSimulatorExtension FAL = FalSimulatorExtension.create(b -> b.apiKey("starter-key")
            .queueTime(Duration.ofMillis(20)).runTime(Duration.ofMillis(50)).imageScale(0.25)
            .webhookRetryDelays(List.of(Duration.ofMillis(50), Duration.ofMillis(100))));

    static final String SECRET = "the-starter-tests-webhook-secret";
    /** maxWebhookSize of the consumer at /fal/small. */
    static final int SMALL_LIMIT = 64 * 1024;
    static final long HUGE_BODY = 64L * 1024 * 1024;
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)");

    /** What reached the webhook route. */
    static final List<KontextResult> RECEIVED = new CopyOnWriteArrayList<>();

    @DynamicPropertySource
    static void falProperties(DynamicPropertyRegistry registry) {
        registry.add("camel.component.flux-kontext.base-url", FAL::baseUrl);
        registry.add("camel.component.flux-kontext.jwks-url", () -> FAL.baseUrl() + "/.well-known/jwks.json");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        @Bean
        RouteBuilder webhookRoutes() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("flux-kontext:webhook").process(e -> RECEIVED.add(e.getMessage().getBody(KontextResult.class)));
                    from("flux-kontext:webhook?path=/fal/small&maxWebhookSize=" + SMALL_LIMIT).routeId("small")
                            .process(e -> RECEIVED.add(e.getMessage().getBody(KontextResult.class)));
                    // another POST route of the application: its bodies are none of the filter's business
                    from("platform-http:/bodies?httpMethodRestrict=POST").routeId("other")
                            .setBody(e -> "read " + e.getMessage().getBody(byte[].class).length + " bytes");
                }
            };
        }
    }

    @Autowired
    ProducerTemplate template;
    @LocalServerPort
    int port;

    private String webhookUrl() {
        return "http://127.0.0.1:" + port + "/fal/webhook";
    }

    @Test
    void aCallbackVerifiesAndReachesTheRoute(FalSimulator sim) {
        String id = template.requestBody("flux-kontext:text-to-image?waitForResult=false&webhookUrl=RAW(" + webhookUrl() + ")",
                "A lighthouse", KontextJob.class).requestId();

        await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVED.stream().anyMatch(r -> r.requestId().equals(id)));
        await().atMost(Duration.ofSeconds(5)).until(() -> sim.webhookDeliveries().stream().anyMatch(d -> d.requestId().equals(id)));
        List<WebhookDelivery> deliveries = sim.webhookDeliveries().stream().filter(d -> d.requestId().equals(id)).toList();
        assertEquals(List.of(200), deliveries.stream().map(WebhookDelivery::status).toList(), "verified at once");
        assertEquals(1, RECEIVED.stream().filter(r -> r.requestId().equals(id)).count(), "routed once");
    }

    @Test
    void anotherAccountsCallbackOrOneWithoutOurTokenIsRefusedAndNeverRouted(FalSimulator sim) {
        sim.faults().add(Fault.on(FalOperation.WEBHOOK).otherAccount("intruder"));
        String theirs = template.requestBody("flux-kontext:text-to-image?waitForResult=false&webhookUrl=RAW(" + webhookUrl() + ")",
                "Signed for another account first", KontextJob.class).requestId();
        String untokened = template.requestBody("flux-kontext:text-to-image?waitForResult=false&webhookSecret=not-the-consumers-secret"
                                                + "&webhookUrl=RAW(" + webhookUrl() + ")", "Submitted with another secret", KontextJob.class)
                .requestId();

        assertEquals(List.of(401, 200), statuses(sim, theirs, 2), "refused, then accepted when signed for our account");
        assertEquals(List.of(401, 401, 401), statuses(sim, untokened, 3), "every delivery, until fal gives up");
        await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVED.stream().anyMatch(r -> r.requestId().equals(theirs)));
        assertTrue(RECEIVED.stream().noneMatch(r -> r.requestId().equals(untokened)));
    }

    @Test
    void aChunkedBodyFarOverMaxWebhookSizeIsRefused413BeforeMuchMoreThanTheLimitIsRead() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSendBufferSize(SMALL_LIMIT);
            OutputStream out = socket.getOutputStream();
            // a caller that knows the URL, token included: the body is what is refused
            out.write(head("/fal/small", "Transfer-Encoding: chunked"));
            AtomicLong written = new AtomicLong();
            AtomicLong writtenWhenAnswered = new AtomicLong(-1);
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> ChunkedBodyWriter.write(out, HUGE_BODY, written));
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> answer(socket, written, writtenWhenAnswered));

            String text = answer.get(30, TimeUnit.SECONDS);

            assertTrue(text.startsWith("HTTP/1.1 413"), text);
            // what the client got into the connection when the answer came: the limit, plus what the sockets' buffers
            // took; Camel's servlet binding alone would have read the whole 64 MB before the consumer answered
            assertTrue(writtenWhenAnswered.get() < 4L * 1024 * 1024, "the client had written " + writtenWhenAnswered + " bytes");
            assertTrue(text.endsWith("\r\n\r\nPayload Too Large"), text);
            assertTrue(text.toLowerCase(Locale.ROOT).contains("\r\nconnection: close\r\n"), text);
            // and the rest is not read: the server ends the connection (after Tomcat discarded at most
            // server.tomcat.max-swallow-size, 2 MB), so the client cannot go on sending
            writing.get(30, TimeUnit.SECONDS);
            assertTrue(written.get() < 8L * 1024 * 1024, "the client could write " + written.get() + " bytes in all");
        }
    }

    @Test
    void aContentLengthOverMaxWebhookSizeIsRefused413WithoutReadingTheBody() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            // announces 64 MB and sends 10 bytes of it: only an answer that reads nothing comes back
            out.write(head("/fal/small", "Content-Length: " + HUGE_BODY));
            out.write("{\"status\":".getBytes(StandardCharsets.US_ASCII));
            out.flush();

            String text = CompletableFuture.supplyAsync(() -> answer(socket, new AtomicLong(), new AtomicLong()))
                    .get(30, TimeUnit.SECONDS);

            assertTrue(text.startsWith("HTTP/1.1 413"), text);
            assertTrue(text.endsWith("\r\n\r\nPayload Too Large"), text);
        }
    }

    @Test
    void aGenuineCallbackWithinTheSmallerLimitPassesTheFilterAndIsRoutedOnce(FalSimulator sim) {
        String id = template.requestBody("flux-kontext:text-to-image?waitForResult=false&webhookUrl=RAW(http://127.0.0.1:" + port
                                         + "/fal/small)", "A small fox", KontextJob.class).requestId();

        await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVED.stream().anyMatch(r -> r.requestId().equals(id)));
        assertEquals(List.of(200), statuses(sim, id, 1), "its bytes reach the consumer as sent: the signature verifies");
        assertEquals(1, RECEIVED.stream().filter(r -> r.requestId().equals(id)).count());
    }

    @Test
    void postsToOtherPathsAreNotBoundedByTheFilter() throws Exception {
        byte[] body = new byte[4 * SMALL_LIMIT]; // over /fal/small's limit, on a path of no webhook consumer
        HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/bodies"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();

        HttpResponse<String> answer = HttpClient.newHttpClient().send(post, HttpResponse.BodyHandlers.ofString());

        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("read " + body.length + " bytes", answer.body());
    }

    /** The head of a POST to path with the consumers' token, with the given framing header. */
    static byte[] head(String path, String framing) {
        return ("POST " + new WebhookToken(SECRET).addTo(path) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + framing + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The answer on the socket, head and body (as long as its Content-Length says); notes what the client had written
     * when its first byte came.
     */
    static String answer(Socket socket, AtomicLong written, AtomicLong writtenWhenAnswered) {
        StringBuilder text = new StringBuilder();
        try {
            InputStream in = socket.getInputStream();
            int b = in.read();
            writtenWhenAnswered.set(written.get());
            int end = -1;
            while (b >= 0 && text.length() != end) {
                text.append((char) b);
                if (end < 0 && text.toString().endsWith("\r\n\r\n")) {
                    Matcher length = CONTENT_LENGTH.matcher(text);
                    end = text.length() + (length.find() ? Integer.parseInt(length.group(1)) : 0);
                }
                if (text.length() != end) {
                    b = in.read();
                }
            }
        } catch (IOException e) {
            text.append("[").append(e).append("]");
        }
        return text.toString();
    }

    private static List<Integer> statuses(FalSimulator sim, String requestId, int attempts) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> sim.webhookDeliveries().stream().filter(d -> d.requestId().equals(requestId)).count() >= attempts);
        return sim.webhookDeliveries().stream().filter(d -> d.requestId().equals(requestId)).map(WebhookDelivery::status).toList();
    }

    @Test
    void aWaitingExchangeCompletesFromItsCallback(FalSimulator sim) {
        KontextResult result = template.requestBody("flux-kontext:text-to-image?waitMode=webhook&webhookUrl=RAW(" + webhookUrl() + ")",
                "A fox", KontextResult.class);

        assertEquals(1, result.images().size());
        assertTrue(sim.journal().entries(FalOperation.RESULT).stream().noneMatch(e -> result.requestId().equals(e.requestId())),
                "completed from the callback, not fetched");
        assertTrue(RECEIVED.stream().noneMatch(r -> r.requestId().equals(result.requestId())), "and not routed as well");
    }
}
