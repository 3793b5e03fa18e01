package io.github.fluxkontext.camel;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
 * Where the server offers HTTP/2 (ALPN on TLS), status streams share connections instead of holding one
 * each. Measured against a fal stand-in on Node's HTTP/2 server (src/test/js/h2-fal.mjs; the JDK has no
 * HTTP/2 server), once with HTTP/2 and once limited to HTTP/1.1. Skipped where node or openssl is missing.
 */
class Http2StreamsTest extends FluxKontextTestSupport {

    private static final int JOBS = 40;
    private static final String PASSWORD = "changeit";
    @TempDir
    static Path dir;
    private static Path key;
    private static Path certificate;
    private static Path trustStore;

    private Process server;
    private int port;
    private int statsCalls;
    private int http2Requests;

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
    void overHttp2TheStreamsShareConnections() throws Exception {
        int used = streamsOver("--http2");

        System.out.printf("HTTP/2: %d jobs, their status streams open at once, used %d TCP connection(s) in all%n", JOBS, used);
        assertTrue(http2Requests >= 2 * JOBS, "the requests went over HTTP/2: " + http2Requests);
        if (httpClientMultiplexes()) {
            assertTrue(used <= JOBS / 4, "streams share connections over HTTP/2: " + used);
        } else {
            // HttpClient 5.4 (camel-karaf's, the Camel 4.14 run): no multiplexing switch, a connection per stream
            assertTrue(used >= JOBS, "without multiplexing each stream holds a connection, as on HTTP/1.1: " + used);
        }
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
        int used = streamsOver("--http1");

        System.out.printf("HTTP/1.1: %d jobs, their status streams open at once, used %d TCP connection(s) in all%n", JOBS, used);
        assertTrue(used >= JOBS, "one connection per open stream on HTTP/1.1: " + used);
    }

    /** Runs JOBS waits in stream mode against the stand-in (after one warm-up call); returns the connections made in all. */
    private int streamsOver(String mode) throws Exception {
        startServer(mode);
        bindTrust();
        String uri = "flux-kontext:text-to-image?waitMode=stream&outputType=urls&sslContextParameters=#h2Tls&baseUrl=https://127.0.0.1:"
                     + port;
        // one call first: HTTP/2 connections are shared once they exist (a burst on a cold pool opens several)
        template.requestBody(uri.replace("waitMode=stream", "waitForResult=false"), "warm-up");
        List<Future<Object>> calls = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            calls.add(template.asyncRequestBody(uri, "fox " + i));
        }
        await().atMost(30, TimeUnit.SECONDS).until(() -> stats().get("streams").asInt() == JOBS);
        JsonNode stats = stats();
        int used = stats.get("connections").asInt() - statsCalls; // not counting the stats requests' own
        http2Requests = stats.path("versions").path("2.0").asInt();
        control("/__complete");
        for (Future<Object> call : calls) {
            assertEquals(List.of("https://cdn.example/fox.png"), call.get(30, TimeUnit.SECONDS));
        }
        return used;
    }

    /** The stand-in's figures, asked on a connection of its own (one per call, counted out by the caller). */
    private JsonNode stats() throws Exception {
        statsCalls++;
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

    private void bindTrust() {
        context.getRegistry().bind("h2Tls", trust());
    }

    private void startServer(String mode) throws Exception {
        Path script = Path.of("src", "test", "js", "h2-fal.mjs").toAbsolutePath();
        server = new ProcessBuilder("node", script.toString(), key.toString(), certificate.toString(), mode)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
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
