package io.github.fluxkontext.camel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import io.github.fluxkontext.camel.client.FalClient;
import io.github.fluxkontext.camel.client.RecordingServer;
import io.github.fluxkontext.camel.client.SubmitOptions;
import io.github.fluxkontext.camel.model.FluxKontextApiException;
import io.github.fluxkontext.camel.model.FluxKontextException;
import io.github.fluxkontext.camel.model.FluxKontextTransportException;
import io.github.fluxkontext.camel.model.FluxKontextValidationException;
import io.github.fluxkontext.camel.model.KontextInputImage;
import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextResult;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.Fault;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.TypeConverterSupport;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The findings of the security review, one test each, named after what it guards. */
class HardeningTest extends FluxKontextTestSupport {

    private static final String REQUEST_ID = "0d6f6a6e-1111-4000-8000-00000000abcd";
    private static final String APP = "/fal-ai/flux-pro/requests/" + REQUEST_ID;

    private final List<AutoCloseable> closeLater = new ArrayList<>();

    @AfterEach
    void closeServers() throws Exception {
        for (AutoCloseable c : closeLater) {
            c.close();
        }
    }

    /** A stand-in for fal that answers the result of REQUEST_ID as the test says (status: COMPLETED). */
    private RecordingServer fakeFal(Function<RecordingServer, String> resultJson, Function<HttpExchange, RecordingServer.Answer> others) {
        RecordingServer[] self = new RecordingServer[1];
        self[0] = new RecordingServer(exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals(APP + "/status")) {
                return new RecordingServer.Answer(200, Map.of("Content-Type", "application/json"),
                        "{\"status\":\"COMPLETED\",\"request_id\":\"" + REQUEST_ID + "\"}");
            }
            if (path.equals(APP)) {
                return new RecordingServer.Answer(200, Map.of("Content-Type", "application/json"), resultJson.apply(self[0]));
            }
            return others.apply(exchange);
        });
        closeLater.add(self[0]);
        return self[0];
    }

    private static String resultWithImages(List<String> urls, String contentType) {
        StringBuilder images = new StringBuilder();
        for (String url : urls) {
            images.append(images.length() == 0 ? "" : ",").append("{\"url\":\"").append(url).append("\",\"content_type\":\"")
                    .append(contentType).append("\"}");
        }
        return "{\"images\":[" + images + "],\"seed\":1,\"has_nsfw_concepts\":[],\"prompt\":\"p\"}";
    }

    private <T extends Throwable> T fetchFails(Class<T> type, RecordingServer fal, String options) {
        return failure(type, "flux-kontext:result?outputType=bytes&baseUrl=" + fal.baseUrl() + options, REQUEST_ID, Map.of());
    }

    // ---- 1. an HTTP client that stops running must not leave exchanges hanging

    @Test
    void aClosedHttpClientEndsTheWaitInsteadOfHangingIt() throws Exception {
        // retries are the component's (as the httpClient option says), so the 503 waits in its retry delay
        CloseableHttpAsyncClient mine = HttpAsyncClients.custom().disableAutomaticRetries().build();
        mine.start();
        context.getRegistry().bind("mine", mine);
        sim().faults().add(Fault.on(FalOperation.STATUS).status(503).retryAfter("1"));
        Future<Object> call = template.asyncRequestBody("flux-kontext:text-to-image?waitMode=poll&httpClient=#mine&maxRetryDelay=5000",
                "a fox");
        await().until(() -> sim().faults().injected() == 1); // the 503 came: the next status call waits a second

        mine.close(CloseMode.IMMEDIATE);
        await().until(() -> mine.getStatus() == IOReactorStatus.SHUT_DOWN); // from now on it refuses requests at once

        ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(5, TimeUnit.SECONDS));
        FluxKontextException failure = assertInstanceOf(FluxKontextException.class, e.getCause().getCause());
        assertTrue(failure.getMessage().contains("HTTP client is not running"), failure.getMessage());
        assertEquals(sim().jobs().get(0).requestId(), failure.getRequestId(), "the job is not lost");
    }

    // ---- 2. a key never reaches another provider

    @Test
    void aClientThatWasNeverStartedFailsTheCallAtOnce() {
        context.getRegistry().bind("idle", HttpAsyncClients.custom().disableAutomaticRetries().build());

        FluxKontextException e = failure(FluxKontextException.class, "flux-kontext:text-to-image?httpClient=#idle", "a fox", Map.of());

        assertTrue(e.getMessage().contains("HTTP client is not running"), e.getMessage());
        FalClient client = context.getEndpoint("flux-kontext:text-to-image?httpClient=#idle", FluxKontextEndpoint.class).getClient();
        await().until(() -> client.pendingCalls() == 0); // no call is left behind
    }

    @Test
    void aBlankApiKeyDoesNotSendFalKeyToAnotherProvider() {
        assertTrue(System.getenv("FAL_KEY") != null, "the build sets FAL_KEY for this test");

        Exception e = assertThrows(Exception.class,
                () -> context.getEndpoint("flux-kontext:edit?baseUrl=https://aggregator.example/api&apiKey="));

        assertTrue(rootMessage(e).contains("Option apiKey is required"), rootMessage(e));
    }

    @Test
    void uploadsWithAnAggregatorNeedTheirOwnStorageUrlAndKey() {
        context.addComponent("unconfigured", new FluxKontextComponent());
        String aggregator = "unconfigured:edit?baseUrl=https://aggregator.example&apiKey=agg-token-123456&imageUpload=fal-storage";

        Exception noUrl = assertThrows(Exception.class, () -> context.getEndpoint(aggregator));
        assertTrue(rootMessage(noUrl).contains("Option storageUrl is required"), rootMessage(noUrl));
        Exception noKey = assertThrows(Exception.class, () -> context.getEndpoint(aggregator + "&storageUrl=https://rest.fal.ai"));
        assertTrue(rootMessage(noKey).contains("Option storageApiKey is required"), rootMessage(noKey));
    }

    @Test
    void anUploadToAnotherOriginCarriesTheStorageKeyNotTheQueueKey() {
        String storageKey = "storage-key-id-77:storage-key-secret-88";
        RecordingServer[] storage = new RecordingServer[1];
        storage[0] = new RecordingServer(exchange -> exchange.getRequestURI().getPath().startsWith("/storage/upload/initiate")
                ? new RecordingServer.Answer(200, Map.of("Content-Type", "application/json"),
                "{\"upload_url\":\"" + storage[0].baseUrl() + "/put/1\",\"file_url\":\"" + storage[0].baseUrl() + "/files/1.png\"}")
                : new RecordingServer.Answer(200, Map.of(), ""));
        closeLater.add(storage[0]);

        template.requestBody("flux-kontext:edit?prompt=p&waitForResult=false&imageUpload=fal-storage&storageUrl=" + storage[0].baseUrl()
                             + "&storageApiKey=" + storageKey, TestImages.png(8, 8));

        RecordingServer.Received initiate = storage[0].received().get(0);
        assertEquals("Bearer " + storageKey, initiate.authorization());
        assertNull(storage[0].received().get(1).authorization(), "the signed PUT carries none");
        assertEquals("Key " + KEY, onlySubmit().header("Authorization"), "the queue keeps its own key");
    }

    // ---- 3. memory stays bounded

    @Test
    void aResultListingMoreImagesThanKontextMakesIsRefusedBeforeAnyDownload() {
        List<String> urls = new ArrayList<>();
        RecordingServer fal = fakeFal(self -> {
            for (int i = 0; i < 500; i++) {
                urls.add(self.baseUrl() + "/img/" + i + ".png");
            }
            return resultWithImages(urls, "image/png");
        }, exchange -> new RecordingServer.Answer(200, Map.of(), "x"));

        FluxKontextException e = fetchFails(FluxKontextException.class, fal, "");

        assertTrue(e.getMessage().contains("500 images") && e.getMessage().contains("at most 4"), e.getMessage());
        assertTrue(fal.received().stream().noneMatch(r -> r.path().startsWith("/img/")), "nothing downloaded");
    }

    @Test
    void answersWithTooManyHeadersFailInsteadOfFillingTheHeap() {
        RecordingServer fal = new RecordingServer(exchange -> {
            Map<String, String> headers = new java.util.HashMap<>();
            for (int i = 0; i < 500; i++) {
                headers.put("X-Filler-" + i, "x".repeat(100));
            }
            return new RecordingServer.Answer(200, headers, "{}");
        });
        closeLater.add(fal);

        FluxKontextException e = failure(FluxKontextException.class, "flux-kontext:status?baseUrl=" + fal.baseUrl(), REQUEST_ID, Map.of());

        assertTrue(e.getMessage().contains("header"), e.getMessage());
        assertEquals(1, fal.received().size(), "a broken limit is not retried");
    }

    @Test
    void aResultIsHeldOnceNotAsTreeAndCopy() {
        KontextResult result = template.requestBody("flux-kontext:text-to-image?syncMode=true", "a fox", KontextResult.class);

        String dataUri = result.images().get(0).url();
        assertTrue(dataUri.startsWith("data:image/"), dataUri.substring(0, 20));
        assertSame(dataUri, result.output().get("images").get(0).get("url").textValue(), "the megabytes of a data URI exist once");
    }

    // ---- 5. downloads and uploads: https only (or loopback), and only images reach the route

    @Test
    void aDownloadOverPlainHttpToAnotherHostIsRefused() {
        RecordingServer fal = fakeFal(self -> resultWithImages(List.of("http://images.example.invalid/a.png"), "image/png"),
                exchange -> new RecordingServer.Answer(404, Map.of(), ""));

        FluxKontextException e = fetchFails(FluxKontextException.class, fal, "");

        assertTrue(e.getMessage().contains("only https"), e.getMessage());
    }

    @Test
    void aRedirectToPlainHttpOrAnotherSchemeIsRefused() {
        RecordingServer fal = fakeFal(self -> resultWithImages(List.of(self.baseUrl() + "/img/a.png"), "image/png"),
                exchange -> new RecordingServer.Answer(302, Map.of("Location", "ftp://images.example.invalid/a.png"), ""));

        FluxKontextException e = fetchFails(FluxKontextException.class, fal, "");

        assertTrue(e.getMessage().contains("only https"), e.getMessage());
    }

    @Test
    void aDownloadThatIsNotAnImageNeverReachesTheRoute() {
        RecordingServer fal = fakeFal(self -> resultWithImages(List.of(self.baseUrl() + "/img/a.png"), "image/png"),
                exchange -> new RecordingServer.Answer(200, Map.of("Content-Type", "image/png"), "<html>login</html>"));

        FluxKontextException e = fetchFails(FluxKontextException.class, fal, "");

        assertTrue(e.getMessage().contains("is not an image"), e.getMessage());
    }

    @Test
    void anImageOfAnotherTypeThanAnnouncedIsRefused() throws Exception {
        byte[] jpeg = TestImages.jpeg(4, 4);
        RecordingServer fal = fakeFal(self -> resultWithImages(List.of(self.baseUrl() + "/img/a.png"), "image/png"),
                exchange -> new RecordingServer.Answer(200, Map.of("Content-Type", "image/png"), jpeg));

        FluxKontextException e = fetchFails(FluxKontextException.class, fal, "");

        assertTrue(e.getMessage().contains("announced as image/png"), e.getMessage());
    }

    @Test
    void aSignedUploadUrlOverPlainHttpToAnotherHostIsRefused() {
        RecordingServer storage = new RecordingServer(exchange -> new RecordingServer.Answer(200, Map.of("Content-Type", "application/json"),
                "{\"upload_url\":\"http://uploads.example.invalid/put\",\"file_url\":\"https://cdn.example/f.png\"}"));
        closeLater.add(storage);

        FluxKontextException e = failure(FluxKontextException.class, "flux-kontext:edit?prompt=p&imageUpload=fal-storage&storageUrl="
                                                                     + storage.baseUrl() + "&storageApiKey=s-key-0123456789",
                TestImages.png(8, 8), Map.of());
        assertTrue(e.getMessage().contains("only https") || e.getMessage().contains("Refused"), e.getMessage());
    }

    // ---- 6. a 503 that carries a request id may have created a job

    @Test
    void aSubmit503CarryingARequestIdIsNotSentAgain() {
        sim().faults().add(Fault.on(FalOperation.SUBMIT).status(503).header("x-fal-request-id", REQUEST_ID));

        FluxKontextApiException e = failure(FluxKontextApiException.class, "flux-kontext:text-to-image", "a fox", Map.of());

        assertEquals(503, e.getStatusCode());
        assertFalse(e.isRetryable());
        assertEquals(1, sim().journal().count(FalOperation.SUBMIT));
    }

    // ---- 8. races: a completed job beats a late timeout (wait.JobWaitTest); stop cancels what is in flight

    @Test
    void closingTheClientFailsTheRequestInFlightAtOnce() throws Exception {
        CountDownLatch requestRead = new CountDownLatch(1);
        FalClient client = clientOfASilentServer(REQUEST_ID, requestRead);
        CompletableFuture<KontextJob> status = client.queue().status(KontextJob.of("fal-ai/flux-pro/kontext", REQUEST_ID), false);
        assertTrue(requestRead.await(10, TimeUnit.SECONDS), "the request is in flight");

        client.close();

        // the call ends now, not when a server that may never answer does. Its HTTP exchange is cancelled too;
        // whether HttpClient then closes the connection at once differs between its versions (5.4 keeps it until
        // an answer or its socket timeout), so that is not asserted: the component closes its own client on stop.
        ExecutionException failed = assertThrows(ExecutionException.class, () -> status.get(5, TimeUnit.SECONDS));
        FluxKontextTransportException transport = assertInstanceOf(FluxKontextTransportException.class, failed.getCause());
        assertTrue(transport.getMessage().contains(REQUEST_ID), transport.getMessage());
    }

    @Test
    void aSubmitInFlightWhenTheClientClosesMayHaveCreatedAJob() throws Exception {
        String endpointId = "fal-ai/flux-pro/kontext/closing-" + REQUEST_ID;
        CountDownLatch requestRead = new CountDownLatch(1);
        FalClient client = clientOfASilentServer(endpointId, requestRead);
        CompletableFuture<KontextJob> submit = client.queue().submit(endpointId, Map.of("prompt", "a lighthouse"),
                new SubmitOptions(null, null, null));
        assertTrue(requestRead.await(10, TimeUnit.SECONDS), "the submit is in flight");

        client.close();

        ExecutionException failed = assertThrows(ExecutionException.class, () -> submit.get(5, TimeUnit.SECONDS));
        FluxKontextTransportException transport = assertInstanceOf(FluxKontextTransportException.class, failed.getCause());
        assertTrue(transport.isOutcomeUnknown(), "a submit that was sent may have created a job: " + transport.getMessage());
    }

    /**
     * A client of a server that reads the request naming {@code marker}, counts {@code requestRead} down and never
     * answers (as fal may, once it has the request).
     */
    private FalClient clientOfASilentServer(String marker, CountDownLatch requestRead) throws IOException {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        closeLater.add(server);
        Thread serving = new Thread(() -> {
            // the port may have served an earlier test: a stray connection of another client is not ours
            try (Socket ours = acceptRequestFor(server, marker)) {
                requestRead.countDown();
                while (ours.getInputStream().read(new byte[8192]) >= 0) {
                    // never answer; read until the connection ends
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        serving.start();
        CloseableHttpAsyncClient http = HttpAsyncClients.custom().disableAutomaticRetries().build();
        http.start();
        closeLater.add(http);
        return new FalClient(new FluxKontextConfiguration() {
            {
                setBaseUrl("http://127.0.0.1:" + server.getLocalPort());
                setApiKey("k");
            }
        }.clientSettings(), http, context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "t"),
                Runnable::run, new com.fasterxml.jackson.databind.ObjectMapper());
    }

    /** Accepts connections until one sends a request naming {@code requestId} (in its first read: the request line). */
    private static Socket acceptRequestFor(ServerSocket server, String requestId) throws IOException {
        while (true) {
            Socket socket = server.accept();
            byte[] buffer = new byte[8192];
            int read = socket.getInputStream().read(buffer);
            if (read > 0 && new String(buffer, 0, read, StandardCharsets.US_ASCII).contains(requestId)) {
                return socket;
            }
            socket.close();
        }
    }

    // ---- 9. nothing secret in messages

    @Test
    void aGatewayThatEchoesTheKeyDoesNotPutItInTheMessage() {
        RecordingServer echo = new RecordingServer(exchange -> new RecordingServer.Answer(400, Map.of("Content-Type", "text/plain"),
                "bad request; you sent Authorization: " + exchange.getRequestHeaders().getFirst("Authorization")));
        closeLater.add(echo);

        FluxKontextApiException e = failure(FluxKontextApiException.class, "flux-kontext:status?baseUrl=" + echo.baseUrl(), REQUEST_ID, Map.of());

        assertTrue(e.getMessage().contains("you sent Authorization: Key ******"), e.getMessage());
        assertFalse(e.getMessage().contains(KEY.substring(KEY.indexOf(':') + 1)), e.getMessage());
        assertFalse(e.getResponseBody().contains(KEY.substring(0, KEY.indexOf(':'))), e.getResponseBody());
    }

    @Test
    void aGatewayThatEchoesTheKeyInFalsDetailsDoesNotPutItInTheDetails() {
        RecordingServer echo = new RecordingServer(exchange -> {
            String sent = exchange.getRequestHeaders().getFirst("Authorization");
            return new RecordingServer.Answer(422, Map.of("Content-Type", "application/json"),
                    "{\"detail\":[{\"loc\":[\"header\",\"" + sent + "\"],\"msg\":\"bad header " + sent + "\",\"type\":\"value_error\","
                    + "\"url\":\"https://docs.example/?key=" + sent + "\",\"ctx\":{\"input\":{\"authorization\":\"" + sent + "\"}}}]}");
        });
        closeLater.add(echo);

        FluxKontextApiException e = failure(FluxKontextApiException.class, "flux-kontext:status?baseUrl=" + echo.baseUrl(), REQUEST_ID, Map.of());

        assertEquals(1, e.getDetails().size());
        String details = e.getDetails().get(0).loc() + " " + e.getDetails().get(0).msg() + " " + e.getDetails().get(0).url() + " "
                         + e.getDetails().get(0).ctx();
        assertTrue(details.contains("bad header Key ******"), details);
        for (String part : KEY.split(":")) {
            assertFalse(details.contains(part), details);
        }
    }

    @Test
    void aFailedDownloadDoesNotShowTheSignedQuery() {
        RecordingServer fal = fakeFal(self -> resultWithImages(List.of(self.baseUrl() + "/img/a.png?X-Signature=s3cr3t-signature"), "image/png"),
                exchange -> new RecordingServer.Answer(403, Map.of(), ""));

        FluxKontextException e = fetchFails(FluxKontextException.class, fal, "");

        assertTrue(e.getMessage().contains("/img/a.png?..."), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
    }

    // ---- 10. smaller gaps

    @Test
    void anImageFileThatGrewPastTheLimitIsNotReadWhole(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("grown.png");
        Files.write(file, TestImages.png(64, 64));
        KontextInputImage image = KontextInputImage.fromPath(file);

        FluxKontextValidationException e = assertThrows(FluxKontextValidationException.class, () -> image.bytes(64));

        assertTrue(e.getMessage().contains("at most 64 bytes"), e.getMessage());
    }

    /** A body Camel can read as a stream only, and one that never ends. */
    static final class EndlessImage {
    }

    @Test
    void aConvertedBodyIsReadOnlyUpToTheLimit() {
        AtomicInteger read = new AtomicInteger();
        context.getTypeConverterRegistry().addTypeConverter(InputStream.class, EndlessImage.class, new TypeConverterSupport() {
            @Override
            public <T> T convertTo(Class<T> type, Exchange exchange, Object value) {
                return type.cast(new InputStream() {
                    @Override
                    public int read() {
                        read.incrementAndGet();
                        return 0x42;
                    }
                });
            }
        });

        FluxKontextValidationException e = failure(FluxKontextValidationException.class,
                "flux-kontext:edit?prompt=p&maxInlineImageSize=1000", new EndlessImage(), Map.of());

        assertTrue(e.getMessage().contains("more than 1000 bytes"), e.getMessage());
        assertTrue(read.get() <= 1001 + 8192, "read " + read.get() + " bytes of an endless stream");
    }

    @Test
    void logsAreAskedForEvenWhenTheStatusUrlHasAQuery() {
        RecordingServer fal = new RecordingServer(exchange -> new RecordingServer.Answer(202, Map.of("Content-Type", "application/json"),
                "{\"status\":\"IN_QUEUE\",\"request_id\":\"" + REQUEST_ID + "\",\"queue_position\":3}"));
        closeLater.add(fal);
        KontextJob handle = new KontextJob(REQUEST_ID, "fal-ai/flux-pro/kontext", null, null,
                fal.baseUrl() + APP + "/status?region=eu", null, null, null, null, null, null);

        template.requestBody("flux-kontext:status?logs=true&baseUrl=" + fal.baseUrl(), handle);

        assertEquals("region=eu&logs=1", fal.received().get(0).query());
    }

    @Test
    void routeThreadsAreBoundedAndBlockedRoutesWaitTheirTurn() throws Exception {
        FluxKontextComponent bounded = new FluxKontextComponent();
        configure(bounded.getConfiguration());
        bounded.setRouteThreads(2);
        bounded.setMaxRouteThreads(2);
        context.addComponent("bounded", bounded);
        CountDownLatch release = new CountDownLatch(1);
        closeLater.add(release::countDown);
        AtomicInteger inRoute = new AtomicInteger();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:blocks").to("bounded:text-to-image").process(e -> {
                    inRoute.incrementAndGet();
                    release.await();
                });
            }
        });
        List<Future<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(template.asyncRequestBody("direct:blocks", "fox " + i));
        }
        await().until(() -> sim().jobs().stream().filter(j -> "COMPLETED".equals(j.status())).count() == 4 && inRoute.get() == 2);

        assertEquals(2, routeThreads().size(), "never more than maxRouteThreads: " + routeThreads());
        assertEquals(2, inRoute.get(), "the other two wait for a route thread");
        release.countDown();
        for (Future<Object> call : calls) {
            call.get(10, TimeUnit.SECONDS);
        }
        assertEquals(4, inRoute.get());
    }

    private List<String> routeThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.contains("FluxKontextRoute") && name.contains("(" + context.getName() + ")")).toList();
    }
}
