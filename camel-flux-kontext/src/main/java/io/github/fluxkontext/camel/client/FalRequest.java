package io.github.fluxkontext.camel.client;

import java.util.Map;

/**
 * One HTTP request of the client. {@code authenticate} asks for the credentials; the transport adds
 * them only when the URL's origin is one the key may go to.
 *
 * @param method       GET, POST or PUT
 * @param url          absolute URL
 * @param body         request body, or null
 * @param contentType  body content type, or null
 * @param headers      extra headers (never the Authorization header)
 * @param authenticate whether the call needs the credentials
 * @param maxBytes     the largest answer body accepted
 */
public record FalRequest(String method, String url, byte[] body, String contentType, Map<String, String> headers,
                         boolean authenticate, long maxBytes) {

    public FalRequest {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** The same request sent to another URL (a redirect). */
    FalRequest redirectedTo(String newUrl) {
        return new FalRequest(method, newUrl, body, contentType, headers, authenticate, maxBytes);
    }

    @Override
    public String toString() {
        return method + " " + url;
    }
}
