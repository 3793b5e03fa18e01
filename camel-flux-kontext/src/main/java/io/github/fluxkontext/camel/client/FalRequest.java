package io.github.fluxkontext.camel.client;

import java.util.Map;

/**
 * One HTTP request of the client. {@code credentialsOrigin} says where the credentials may go for this
 * request: the transport adds them only to a hop (first request or redirect) on exactly that origin.
 *
 * @param method            GET, POST or PUT
 * @param url               absolute URL
 * @param body              request body, or null
 * @param contentType       body content type, or null
 * @param headers           extra headers (never the Authorization header)
 * @param credentialsOrigin the origin ({@link FalUrls#origin}) the credentials may be sent to, or null for none
 * @param maxBytes          the largest answer body accepted
 */
public record FalRequest(String method, String url, byte[] body, String contentType, Map<String, String> headers,
                         String credentialsOrigin, long maxBytes) {

    public FalRequest {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** The same request sent to another URL (a redirect). */
    FalRequest redirectedTo(String newUrl) {
        return new FalRequest(method, newUrl, body, contentType, headers, credentialsOrigin, maxBytes);
    }

    /** Method and URL without its query (signed URLs and webhook addresses travel there). */
    @Override
    public String toString() {
        return method + " " + FalUrls.redact(url);
    }
}
