package io.github.fluxkontext.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Requests without any Authorization header. */
final class SimHttpNoAuth {

    private SimHttpNoAuth() {
    }

    static HttpResponse<byte[]> post(FalSimulator sim, String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json"));
    }

    static HttpResponse<byte[]> get(FalSimulator sim, String pathOrUrl) {
        return send(HttpRequest.newBuilder(URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : sim.baseUrl() + pathOrUrl)));
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder b) {
        try {
            return SimHttp.CLIENT.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
