package io.github.fluxkontext.camel;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.github.fluxkontext.camel.model.FluxKontextTransportException;
import io.github.fluxkontext.camel.model.KontextJob;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** sslContextParameters reaches the HTTP client: a server with a private certificate is trusted only through it. */
class TlsTest extends FluxKontextTestSupport {

    private static final String PASSWORD = "changeit";
    @TempDir
    static Path dir;
    private static Path keyStore;
    private static HttpsServer server;

    @BeforeAll
    static void startHttpsServer() throws Exception {
        keyStore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "fal", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, () -> "keytool failed: " + output);

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"status\":\"IN_QUEUE\",\"request_id\":\"4f1c2a9e-0000-4000-8000-00000000a11c\",\"queue_position\":0}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stopHttpsServer() {
        server.stop(0);
    }

    private static String baseUrl() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void aPrivateCertificateIsTrustedThroughSslContextParameters() {
        context.getRegistry().bind("falTls", trusting(keyStore, PASSWORD));

        KontextJob job = template.requestBody("flux-kontext:text-to-image?waitForResult=false&sslContextParameters=#falTls&baseUrl="
                                              + baseUrl(), "a fox over TLS", KontextJob.class);

        assertEquals("4f1c2a9e-0000-4000-8000-00000000a11c", job.requestId());
    }

    @Test
    void withoutThemThePrivateCertificateIsRefused() {
        FluxKontextTransportException e = failure(FluxKontextTransportException.class,
                "flux-kontext:text-to-image?waitForResult=false&maxRetries=0&baseUrl=" + baseUrl(), "a fox over TLS", Map.of());

        assertTrue(e.getMessage().contains("SSL") || e.getCause() instanceof javax.net.ssl.SSLException, e.getMessage());
    }

    /** Camel TLS settings that trust the certificates of a PKCS12 store (the tests' own, self-signed). */
    static SSLContextParameters trusting(Path pkcs12, String password) {
        KeyStoreParameters trusted = new KeyStoreParameters();
        trusted.setResource("file:" + pkcs12);
        trusted.setPassword(password);
        trusted.setType("PKCS12");
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(trusted);
        SSLContextParameters tls = new SSLContextParameters();
        tls.setTrustManagers(trust);
        return tls;
    }
}
