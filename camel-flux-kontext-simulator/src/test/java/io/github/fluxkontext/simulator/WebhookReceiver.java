package io.github.fluxkontext.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A webhook receiver for the tests, on the JDK's HTTP server, that checks signatures the way a real
 * receiver does: Ed25519 over {@code request_id \n user_id \n timestamp \n hex(sha256(raw body))}, with
 * the keys of the JWKS, each raw 32-byte key wrapped in the X.509 prefix of RFC 8410.
 */
final class WebhookReceiver implements AutoCloseable {

    private static final byte[] X509_ED25519_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    /** One request as received: headers (lower-cased names), the body read, or the error reading it. */
    record Received(Map<String, String> headers, byte[] body, IOException error) {
        String header(String name) {
            return headers.get(name.toLowerCase());
        }

        Map<String, Object> json() {
            return SimHttp.json(body);
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private volatile ToIntFunction<Received> answer = r -> 200;

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The status to answer each request with; 0 answers nothing (the connection is left open). */
    void answer(ToIntFunction<Received> answer) {
        this.answer = answer;
    }

    /** The next request received, waiting up to 10 s for it. */
    Received next() throws InterruptedException {
        Received r = received.poll(10, TimeUnit.SECONDS);
        assertNotNull(r, "no webhook request arrived within 10 s");
        return r;
    }

    /** Requests received and not taken by {@link #next()} yet. */
    List<Received> pending() {
        return new ArrayList<>(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new java.util.TreeMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
        Received r;
        try (InputStream in = exchange.getRequestBody()) {
            r = new Received(headers, in.readAllBytes(), null);
        } catch (IOException e) {
            r = new Received(headers, new byte[0], e);
        }
        received.add(r);
        int status = r.error() != null ? 0 : answer.applyAsInt(r);
        if (status == 0) {
            return; // no answer: the sender times out, or has gone already
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Whether any key of the JWKS verifies the request's signature. */
    static boolean verifies(String jwksUrl, Received r) {
        try {
            String message = r.header("X-Fal-Webhook-Request-Id") + "\n" + r.header("X-Fal-Webhook-User-Id") + "\n"
                    + r.header("X-Fal-Webhook-Timestamp") + "\n"
                    + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(r.body()));
            byte[] signature = HexFormat.of().parseHex(r.header("X-Fal-Webhook-Signature"));
            for (PublicKey key : keys(jwksUrl)) {
                Signature s = Signature.getInstance("Ed25519");
                s.initVerify(key);
                s.update(message.getBytes(StandardCharsets.UTF_8));
                if (s.verify(signature)) {
                    return true;
                }
            }
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The keys of the JWKS, fetched without credentials. */
    static List<PublicKey> keys(String jwksUrl) throws GeneralSecurityException {
        List<PublicKey> keys = new ArrayList<>();
        for (Map<String, Object> jwk : jwks(jwksUrl)) {
            byte[] raw = Base64.getUrlDecoder().decode((String) jwk.get("x"));
            byte[] der = new byte[X509_ED25519_PREFIX.length + raw.length];
            System.arraycopy(X509_ED25519_PREFIX, 0, der, 0, X509_ED25519_PREFIX.length);
            System.arraycopy(raw, 0, der, X509_ED25519_PREFIX.length, raw.length);
            keys.add(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der)));
        }
        return keys;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> jwks(String jwksUrl) {
        try {
            HttpResponse<byte[]> r = SimHttp.CLIENT.send(HttpRequest.newBuilder(URI.create(jwksUrl))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("JWKS answered " + r.statusCode());
            }
            return (List<Map<String, Object>>) SimHttp.json(r).get("keys");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
