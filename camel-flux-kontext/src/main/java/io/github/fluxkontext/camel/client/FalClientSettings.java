package io.github.fluxkontext.camel.client;

import java.util.Objects;

/**
 * What the client needs to know: where fal is, which credentials go where, how much to accept, how to
 * retry. Its {@code toString} never shows a key.
 *
 * @param baseUrl           the queue's base URL, e.g. {@code https://queue.fal.run}
 * @param storageUrl        fal's storage API base URL, e.g. {@code https://rest.fal.ai}, or null when uploads are off
 * @param credentials       the {@code Authorization} header per origin
 * @param userAgent         the User-Agent header
 * @param maxResponseSize   the largest answer body or image accepted, in bytes
 * @param retryPolicy       when to retry
 * @param allowInsecureHttp whether plain http to a host other than loopback is allowed (downloads, uploads, redirects)
 */
public record FalClientSettings(String baseUrl, String storageUrl, FalCredentials credentials, String userAgent,
                                long maxResponseSize, RetryPolicy retryPolicy, boolean allowInsecureHttp) {

    public FalClientSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(retryPolicy, "retryPolicy");
        credentials = credentials == null ? FalCredentials.none() : credentials;
    }
}
