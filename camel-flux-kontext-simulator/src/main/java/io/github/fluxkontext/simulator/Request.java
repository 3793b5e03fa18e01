package io.github.fluxkontext.simulator;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** An incoming request, fully read, with the path it routes by. */
record Request(Instant receivedAt, String method, String path, String query, Map<String, List<String>> headers,
               byte[] body) {

    static final String TARGET_URL_HEADER = "x-fal-target-url";
    static final String TARGET_HOST_HEADER = "x-fal-target-host";

    static Request read(HttpExchange exchange, Instant now) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
        URI uri = exchange.getRequestURI();
        String path = uri.getRawPath();
        String query = uri.getRawQuery();
        // Proxy-style clients (fal JS proxyUrl "always", fal-java withProxyUrl) send everything to one
        // URL and put the real target in this header; route by it.
        String target = first(headers, TARGET_URL_HEADER);
        if (target != null) {
            try {
                URI t = new URI(target);
                if (t.getRawPath() != null) {
                    path = t.getRawPath();
                    query = t.getRawQuery();
                }
            } catch (URISyntaxException e) {
                throw new IOException("Unparsable " + TARGET_URL_HEADER + ": " + target, e);
            }
        }
        return new Request(now, exchange.getRequestMethod().toUpperCase(Locale.ROOT),
                path == null || path.isEmpty() ? "/" : path, query,
                Collections.unmodifiableMap(headers), body);
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    String header(String name) {
        return first(headers, name);
    }

    /** The first value of a query parameter, URL-decoded, or null. */
    String queryParam(String name) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** {@code logs=1|true} asks for logs; {@code 0|false} or absence does not (JS sends 1/0, Python true/false). */
    boolean wantsLogs() {
        String v = queryParam("logs");
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
    }

    /** Path segments without empty ones, so trailing and doubled slashes do not matter. */
    List<String> segments() {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }
}
