package io.github.fluxkontext.camel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A small HTTP server between fal's simulator and the webhook consumers, as a load balancer in front of a fleet
 * would be: each request is forwarded to the next of its targets in turn (same path and query), answered with
 * that target's status, and recorded. A test may change requests on the way (tamper with a body, drop a header)
 * and have it serve a JWKS of its own.
 */
final class WebhookRelay implements AutoCloseable {

    /** A request as forwarded: headers (first values) and body. */
    record Forward(Map<String, String> headers, byte[] body) {
        Forward with(String header, String value) {
            Map<String, String> copy = new LinkedHashMap<>(headers);
            if (value == null) {
                copy.keySet().removeIf(name -> name.equalsIgnoreCase(header));
            } else {
                copy.put(header, value);
            }
            return new Forward(copy, body);
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
        }
    }

    /** One request relayed: where it went and what the target answered. */
    record Relayed(String requestId, String target, int status) {
    }

    /** Headers the JDK client sets itself. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(16);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> targets;
    private final AtomicInteger next = new AtomicInteger();
    private final List<Relayed> relayed = new CopyOnWriteArrayList<>();
    private volatile UnaryOperator<Forward> change = UnaryOperator.identity();
    private volatile String jwks;

    /** @param targets base URLs ({@code http://127.0.0.1:port}) the requests go to, in turn */
    WebhookRelay(String... targets) throws IOException {
        this.targets = List.of(targets);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** This relay's URL for a path. */
    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Changes each request before it is forwarded. */
    void change(UnaryOperator<Forward> change) {
        this.change = change;
    }

    /** Serves this JWKS at {@code /jwks.json} (not forwarded). */
    void serveJwks(String jwks) {
        this.jwks = jwks;
    }

    List<Relayed> relayed() {
        return relayed;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            URI uri = exchange.getRequestURI();
            if (uri.getPath().equals("/jwks.json") && jwks != null) {
                reply(exchange, 200, jwks.getBytes(StandardCharsets.UTF_8));
                return;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
            Forward forward = change.apply(new Forward(headers, body));
            String target = targets.get(Math.floorMod(next.getAndIncrement(), targets.size()));
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + uri.getRawPath()
                                                                            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
                    .timeout(Duration.ofSeconds(30))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(forward.body()));
            int status = send(request, forward);
            relayed.add(new Relayed(forward.header("X-Fal-Webhook-Request-Id"), target, status));
            reply(exchange, status, new byte[0]);
        }
    }

    /** Delivers a request as forwarded (one this relay saw, say) once more, straight to a URL; the status. */
    int deliver(String url, Forward forward) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(forward.body())), forward);
    }

    private int send(HttpRequest.Builder request, Forward forward) {
        forward.headers().forEach((name, value) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                request.header(name, value);
            }
        });
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 502;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 502;
        }
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
