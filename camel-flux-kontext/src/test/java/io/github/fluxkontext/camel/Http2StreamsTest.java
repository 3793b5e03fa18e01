package io.github.fluxkontext.camel;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Status streams against a fal stand-in on Node's HTTP/2 server (src/test/js/h2-fal.mjs; the JDK has no HTTP/2
 * server): each stream has a connection of its own (over HTTP/1.1, which costs a stream less than HTTP/2's framing
 * would), so that no stream waits behind the server's limit of concurrent streams on a connection
 * (SETTINGS_MAX_CONCURRENT_STREAMS), where HttpClient would queue it unsent; the other requests share HTTP/2
 * connections. Skipped where node or openssl is missing. Holds on each HttpClient line the component runs on: 5.4
 * (Camel 4.14, camel-karaf) cannot share HTTP/2 connections, so there only the sharing of the other requests is
 * not asserted.
 */
class Http2StreamsTest extends FluxKontextTestSupport {

    private static final int JOBS = 40;
    /** The stand-in's SETTINGS_MAX_CONCURRENT_STREAMS in the limit test, and the jobs beyond it. */
    private static final int SERVER_STREAM_LIMIT = 4;
    private static final int BEYOND_THE_LIMIT = 6;
    /** Completion to the exchange going on, at most: a stream that waited for another would never get there. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);
    private static final String PASSWORD = "changeit";
    @TempDir
    static Path dir;
    private static Path key;
    private static Path certificate;
    private static Path trustStore;

    private Process server;
    private int port;

    @BeforeAll
    static void makeCertificate() throws Exception {
        assumeTrue(exists("node") && exists("openssl"), "node and openssl are needed for this measurement");
        key = dir.resolve("key.pem");
        certificate = dir.resolve("cert.pem");
        trustStore = dir.resolve("trust.p12");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key.toString(), "-out", certificate.toString());
        run(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert", "-noprompt", "-alias", "h2",
                "-file", certificate.toString(), "-storetype", "PKCS12", "-keystore", trustStore.toString(), "-storepass", PASSWORD);
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.destroyForcibly();
        }
    }

    @Test
    void overHttp2TheOtherRequestsShareConnectionsAndEachStreamHasOneOfItsOwn() throws Exception {
        startServer("--http2");
        List<Future<Object>> calls = waitInStreamMode(JOBS);
        await().atMost(30, TimeUnit.SECONDS).until(() -> stats().get("streams").asInt() == JOBS);
        control("/__complete");
        assertAllCompleted(calls);

        JsonNode stats = stats();
        int streamConnections = stats.get("streamConnections").asInt();
        int otherConnections = stats.get("otherConnections").asInt();
        System.out.printf("HTTP/2 offered: %d jobs streaming at once: %d stream connection(s) (HTTP versions %s), %d for the other "
                          + "requests (HTTP versions %s)%n", JOBS, streamConnections, stats.get("streamVersions"), otherConnections,
                stats.get("otherVersions"));
        assertEquals(JOBS, streamConnections, "the streams, open at once, had a connection each");
        assertEquals(JOBS, stats.path("streamVersions").path("1.1").asInt(), "streams ask for HTTP/1.1: " + stats);
        assertTrue(stats.path("otherVersions").path("2.0").asInt() >= 2 * JOBS, "submits and results went over HTTP/2: " + stats);
        if (httpClientMultiplexes()) {
            assertTrue(otherConnections <= JOBS / 4, "the other requests share HTTP/2 connections: " + otherConnections);
        }
    }

    /**
     * More jobs stream at once than the server lets run on one HTTP/2 connection, and each one completes on its
     * own while the others stay open: every job goes on promptly, none waits for another's stream to end.
     */
    @Test
    void noStreamWaitsBehindTheServersLimitOfConcurrentStreams() throws Exception {
        startServer("--http2", "--max-streams=" + SERVER_STREAM_LIMIT);
        int jobs = SERVER_STREAM_LIMIT + BEYOND_THE_LIMIT;
        List<Future<Object>> calls = waitInStreamMode(jobs);
        // every stream reached the server: none waits, unsent, for a place on a connection
        await().atMost(30, TimeUnit.SECONDS).until(() -> stats().get("streams").asInt() == jobs);

        List<String> newestFirst = new ArrayList<>();
        stats().get("open").forEach(id -> newestFirst.add(0, id.asText()));
        long slowest = 0;
        for (int done = 1; done <= jobs; done++) {
            long started = System.nanoTime();
            control("/__complete?id=" + newestFirst.get(done - 1)); // its stream alone ends; the others stay open
            int expected = done;
            await().atMost(PROMPTLY).until(() -> calls.stream().filter(Future::isDone).count() == expected);
            slowest = Math.max(slowest, System.nanoTime() - started);
            assertEquals(jobs - done, stats().get("streams").asInt(), "the other streams are still open");
        }
        assertAllCompleted(calls);
        System.out.printf("HTTP/2 with %d streams per connection: %d jobs streaming at once, each completed on its own; the slowest "
                          + "went on %d ms after its completion%n", SERVER_STREAM_LIMIT, jobs, TimeUnit.NANOSECONDS.toMillis(slowest));
    }

    /** HttpClient 5.5 and later can share an HTTP/2 connection between requests; 5.4 cannot. */
    private static boolean httpClientMultiplexes() {
        try {
            PoolingAsyncClientConnectionManagerBuilder.class.getMethod("setMessageMultiplexing", boolean.class);
            return true;
        } catch (NoSuchMethodException olderHttpClient) {
            return false;
        }
    }

    @Test
    void overHttp1EachStreamHoldsAConnection() throws Exception {
        startServer("--http1");
        List<Future<Object>> calls = waitInStreamMode(JOBS);
        await().atMost(30, TimeUnit.SECONDS).until(() -> stats().get("streams").asInt() == JOBS);
        int used = stats().get("streamConnections").asInt();
        control("/__complete");
        assertAllCompleted(calls);

        System.out.printf("HTTP/1.1: %d jobs, their status streams open at once, on %d connection(s)%n", JOBS, used);
        assertEquals(JOBS, used, "one connection per open stream on HTTP/1.1");
    }

    /** Starts that many jobs in stream mode against the stand-in (after one warm-up call), each waiting for its result. */
    private List<Future<Object>> waitInStreamMode(int jobs) throws Exception {
        context.getRegistry().bind("h2Tls", trust());
        String uri = "flux-kontext:text-to-image?waitMode=stream&outputType=urls&sslContextParameters=#h2Tls&baseUrl=https://127.0.0.1:"
                     + port;
        // one call first: HTTP/2 connections are shared once they exist (a burst on a cold pool opens several)
        template.requestBody(uri.replace("waitMode=stream", "waitForResult=false"), "warm-up");
        List<Future<Object>> calls = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            calls.add(template.asyncRequestBody(uri, "fox " + i));
        }
        return calls;
    }

    private static void assertAllCompleted(List<Future<Object>> calls) throws Exception {
        for (Future<Object> call : calls) {
            assertEquals(List.of("https://cdn.example/fox.png"), call.get(30, TimeUnit.SECONDS));
        }
    }

    /** The stand-in's figures (asked on a connection of its own, which it does not count). */
    private JsonNode stats() throws Exception {
        return new ObjectMapper().readTree(control("/__stats"));
    }

    private String control(String path) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(trust().createSSLContext(context)).version(HttpClient.Version.HTTP_1_1).build();
        return http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private SSLContextParameters trust() {
        return TlsTest.trusting(trustStore, PASSWORD);
    }

    private void startServer(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", Path.of("src", "test", "js", "h2-fal.mjs").toAbsolutePath().toString(),
                key.toString(), certificate.toString()));
        command.addAll(List.of(options));
        server = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        port = Integer.parseInt(out.readLine().trim());
    }

    private static boolean exists(String command) {
        try {
            return new ProcessBuilder(command, "--version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, () -> String.join(" ", command) + ": " + output);
    }
}
