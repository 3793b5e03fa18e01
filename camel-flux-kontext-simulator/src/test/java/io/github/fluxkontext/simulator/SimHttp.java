package io.github.fluxkontext.simulator;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A small HTTP client for the tests (the JDK's), speaking to one simulator. */
final class SimHttp {

    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String KEY = "Key test-id:test-secret";

    private final FalSimulator sim;
    private final String auth;

    SimHttp(FalSimulator sim) {
        this(sim, KEY);
    }

    SimHttp(FalSimulator sim, String auth) {
        this.sim = sim;
        this.auth = auth;
    }

    String url(String pathOrUrl) {
        return pathOrUrl.startsWith("http") ? pathOrUrl : sim.baseUrl() + pathOrUrl;
    }

    HttpResponse<byte[]> send(String method, String pathOrUrl, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(pathOrUrl)))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        boolean hasAuth = false;
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            hasAuth |= headers[i].equalsIgnoreCase("Authorization");
        }
        if (!hasAuth) {
            b.header("Authorization", auth);
        }
        try {
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<byte[]> post(String path, String json, String... headers) {
        return send("POST", path, json.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                concat(headers, "Content-Type", "application/json"));
    }

    HttpResponse<byte[]> get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    HttpResponse<byte[]> put(String path, byte[] body, String... headers) {
        return send("PUT", path, body, headers);
    }

    /** Submits and returns the answer body, asserting 200. */
    Map<String, Object> submit(String endpointId, String json, String... headers) {
        HttpResponse<byte[]> r = post("/" + endpointId, json, headers);
        assertEquals(200, r.statusCode(), () -> "submit answered " + r.statusCode() + ": " + new String(r.body()));
        return json(r);
    }

    String submitId(String endpointId, String json) {
        return (String) submit(endpointId, json).get("request_id");
    }

    /** Polls the status URL until COMPLETED; returns that status body. */
    Map<String, Object> awaitCompleted(String app, String requestId) {
        AtomicReference<Map<String, Object>> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
            Map<String, Object> s = json(get("/" + app + "/requests/" + requestId + "/status"));
            last.set(s);
            return "COMPLETED".equals(s.get("status"));
        });
        return last.get();
    }

    /** Waits for completion and returns the result answer. */
    HttpResponse<byte[]> result(String app, String requestId) {
        awaitCompleted(app, requestId);
        return get("/" + app + "/requests/" + requestId);
    }

    static Map<String, Object> json(HttpResponse<byte[]> r) {
        return json(r.body());
    }

    static Map<String, Object> json(byte[] body) {
        try {
            return MAPPER.readValue(body, new TypeReference<>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Not a JSON object: " + new String(body), e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> images(Map<String, Object> result) {
        return (List<Map<String, Object>>) result.get("images");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
