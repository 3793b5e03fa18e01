package io.github.fluxkontext.camel.webhook;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.fluxkontext.camel.client.FalUrls;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The query of a webhook URL: the component adds its own parameters to the URL fal is given ({@link WebhookMarker},
 * {@link WebhookToken}), and a consumer reads them back from the callback's request, from the query string itself:
 * platform-http also maps query parameters to headers, where an HTTP header of the same name would mix in.
 */
public final class WebhookQuery {

    private final Map<String, List<String>> parameters;

    private WebhookQuery(Map<String, List<String>> parameters) {
        this.parameters = parameters;
    }

    /** The query of a callback request (header CamelHttpQuery); empty when it has none. */
    public static WebhookQuery of(Message request) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        String query = request.getHeader(Exchange.HTTP_QUERY, String.class);
        if (query != null && !query.isEmpty()) {
            for (String parameter : query.split("&")) {
                int equals = parameter.indexOf('=');
                String name = decode(equals < 0 ? parameter : parameter.substring(0, equals));
                String value = equals < 0 ? "" : decode(parameter.substring(equals + 1));
                parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            }
        }
        return new WebhookQuery(parameters);
    }

    /** The values of a parameter, in order; empty when it is absent. */
    public List<String> values(String name) {
        return parameters.getOrDefault(name, List.of());
    }

    /** The URL with one more query parameter, before its fragment if it has one. */
    static String withParameter(String url, String name, String value) {
        int fragment = url.indexOf('#');
        String base = fragment < 0 ? url : url.substring(0, fragment);
        return FalUrls.withQuery(base, name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8))
               + (fragment < 0 ? "" : url.substring(fragment));
    }

    /**
     * Removes the component's parameters from a callback request: the headers platform-http made of them, and their
     * values from the query and URL headers, so that no token is left in an exchange that a tracer or a log could
     * show.
     */
    public static void scrub(Message request, Set<String> names) {
        names.forEach(request::removeHeader);
        for (String header : List.of(Exchange.HTTP_QUERY, Exchange.HTTP_RAW_QUERY)) {
            String query = request.getHeader(header, String.class);
            if (query != null) {
                request.setHeader(header, withoutParameters(query, names));
            }
        }
        for (String header : List.of(Exchange.HTTP_URI, Exchange.HTTP_URL)) {
            String url = request.getHeader(header, String.class);
            int question = url == null ? -1 : url.indexOf('?');
            if (question >= 0) {
                String query = withoutParameters(url.substring(question + 1), names);
                request.setHeader(header, url.substring(0, question) + (query.isEmpty() ? "" : "?" + query));
            }
        }
    }

    /** A query without the named parameters. */
    static String withoutParameters(String query, Set<String> names) {
        List<String> kept = new ArrayList<>();
        for (String parameter : query.split("&")) {
            int equals = parameter.indexOf('=');
            if (!names.contains(decode(equals < 0 ? parameter : parameter.substring(0, equals)))) {
                kept.add(parameter);
            }
        }
        return String.join("&", kept);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return text; // kept as sent: it then matches none of the component's names
        }
    }
}
