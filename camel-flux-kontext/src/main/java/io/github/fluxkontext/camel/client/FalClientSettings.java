package io.github.fluxkontext.camel.client;

import java.util.Objects;

/**
 * What the queue client needs to know: where fal is, how to authenticate, how much to accept, how to
 * retry. Its {@code toString} never shows the key.
 *
 * @param baseUrl         the queue's base URL, e.g. {@code https://queue.fal.run}
 * @param storageUrl      fal's storage API base URL, e.g. {@code https://rest.fal.ai}
 * @param apiKey          the key or token, or null to send no credentials
 * @param authScheme      how the key is sent
 * @param userAgent       the User-Agent header
 * @param maxResponseSize the largest answer body or image accepted, in bytes
 * @param retryPolicy     when to retry
 */
public record FalClientSettings(String baseUrl, String storageUrl, String apiKey, AuthScheme authScheme, String userAgent,
                                long maxResponseSize, RetryPolicy retryPolicy) {

    public FalClientSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(retryPolicy, "retryPolicy");
    }

    /** The Authorization header value, or null when there is no key. */
    String authorization() {
        return apiKey == null || apiKey.isBlank() ? null : authScheme.value() + " " + apiKey;
    }

    @Override
    public String toString() {
        return "FalClientSettings[baseUrl=" + baseUrl + ", storageUrl=" + storageUrl + ", apiKey="
               + (apiKey == null ? "none" : "******") + ", authScheme=" + authScheme + ", maxResponseSize="
               + maxResponseSize + ", " + retryPolicy + "]";
    }
}
