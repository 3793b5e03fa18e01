package io.github.fluxkontext.camel.client;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP answer, body held in memory (bounded by the request's {@code maxBytes}).
 *
 * @param statusCode  HTTP status
 * @param headers     header names in lower case, first value of each
 * @param body        the body bytes (empty when none)
 * @param contentType the body's content type, or null
 */
public record FalResponse(int statusCode, Map<String, String> headers, byte[] body, String contentType) {

    public FalResponse {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /** A header's first value, by case-insensitive name, or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public boolean isSuccess() {
        return statusCode >= 200 && statusCode < 300;
    }

    /** The body as UTF-8 text, cut to {@code maxChars}. */
    public String bodyText(int maxChars) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() > maxChars ? text.substring(0, maxChars) + "..." : text;
    }

    @Override
    public String toString() {
        return "FalResponse[" + statusCode + ", " + body.length + " bytes]";
    }
}
