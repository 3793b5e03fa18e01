package io.github.fluxkontext.camel.support;

import io.github.fluxkontext.camel.client.AuthScheme;
import io.github.fluxkontext.camel.client.FalCredentials;
import io.github.fluxkontext.camel.client.FalUrls;

/**
 * Which key goes to which origin, from the options. The rules keep a key with its provider:
 * <ul>
 * <li>The queue's key is {@code apiKey}; only when it is unset (or blank) and {@code baseUrl} is fal's own or
 * loopback, the {@code FAL_KEY} environment variable (or {@code FAL_KEY_ID:FAL_KEY_SECRET}), as fal's
 * clients read it. Any other {@code baseUrl} needs its own token in {@code apiKey}.</li>
 * <li>The storage's key (uploads) is {@code storageApiKey}; unset, the queue's key when storage and queue
 * share an origin, or are both fal's. An aggregator's token never goes to fal's storage.</li>
 * </ul>
 * A configuration that breaks a rule fails when the endpoint starts, naming the options to set.
 *
 * @param uploads whether local images are uploaded to storageUrl ({@code imageUpload=fal-storage})
 */
public record KeyRouting(String baseUrl, String apiKey, AuthScheme authScheme, boolean uploads, String storageUrl, String storageApiKey) {

    static final String FAL_STORAGE_URL = "https://rest.fal.ai";

    /** The storage URL uploads go to: the option, else fal's when baseUrl is fal's, else null. */
    public String uploadUrl() {
        if (storageUrl != null) {
            return storageUrl;
        }
        return FalUrls.isFalHost(baseUrl) ? FAL_STORAGE_URL : null;
    }

    /**
     * The credentials per origin.
     *
     * @throws IllegalArgumentException naming the options when a key would have to go to another provider, or is missing
     */
    public FalCredentials credentials() {
        String key = queueKey();
        if (key == null && !FalUrls.isFalHost(baseUrl) && !FalUrls.isLoopback(baseUrl)) {
            throw new IllegalArgumentException("Option apiKey is required: baseUrl " + baseUrl + " is not fal's, so the FAL_KEY"
                                               + " environment variable is not sent there (a fal key never goes to another"
                                               + " provider). Set apiKey to that provider's token, e.g. {{env:MY_TOKEN}}; it is"
                                               + " unset or blank now");
        }
        AuthScheme scheme = authScheme != null ? authScheme : guessScheme(baseUrl);
        FalCredentials credentials = FalCredentials.none().with(baseUrl, scheme, key);
        if (!uploads) {
            return credentials;
        }
        String uploadUrl = uploadUrl();
        if (uploadUrl == null) {
            throw new IllegalArgumentException("Option storageUrl is required with imageUpload=fal-storage when baseUrl (" + baseUrl
                                               + ") is not fal's: say where uploads go (and storageApiKey, if that is another"
                                               + " provider), or use imageUpload=inline");
        }
        if (sameOrigin(baseUrl, uploadUrl)) {
            return storageApiKey == null ? credentials : credentials.with(uploadUrl, scheme, storageApiKey);
        }
        AuthScheme storageScheme = guessScheme(uploadUrl);
        if (storageApiKey != null) {
            return credentials.with(uploadUrl, storageScheme, storageApiKey);
        }
        if (FalUrls.isFalHost(baseUrl) && FalUrls.isFalHost(uploadUrl)) {
            return credentials.with(uploadUrl, storageScheme, key);
        }
        throw new IllegalArgumentException("Option storageApiKey is required with imageUpload=fal-storage: storageUrl " + uploadUrl
                                           + " is on another origin than baseUrl " + baseUrl + ", and baseUrl's key must not"
                                           + " travel to another provider");
    }

    /**
     * Whether the queue calls go to fal's own host with no key at all (apiKey unset, nothing in the environment):
     * fal refuses every job then, after the retries, so the endpoint says so when it starts.
     */
    public boolean callsFalWithoutKey() {
        return FalUrls.isFalHost(baseUrl) && queueKey() == null;
    }

    /** apiKey, else (fal's hosts and loopback only) FAL_KEY, else FAL_KEY_ID:FAL_KEY_SECRET; null when none. */
    private String queueKey() {
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKey;
        }
        if (!FalUrls.isFalHost(baseUrl) && !FalUrls.isLoopback(baseUrl)) {
            return null;
        }
        String env = System.getenv("FAL_KEY");
        if (env != null && !env.isBlank()) {
            return env;
        }
        String id = System.getenv("FAL_KEY_ID");
        String secret = System.getenv("FAL_KEY_SECRET");
        // blank counts as unset, as for FAL_KEY: an exported empty variable is no key
        return id != null && !id.isBlank() && secret != null && !secret.isBlank() ? id + ":" + secret : null;
    }

    /** {@code Key} for fal's hosts, {@code Bearer} for any other. */
    private static AuthScheme guessScheme(String url) {
        return FalUrls.isFalHost(url) ? AuthScheme.KEY : AuthScheme.BEARER;
    }

    private static boolean sameOrigin(String a, String b) {
        String origin = FalUrls.origin(a);
        return origin != null && origin.equals(FalUrls.origin(b));
    }

    /** Never the keys: a record's own toString would show them. */
    @Override
    public String toString() {
        return "KeyRouting[baseUrl=" + baseUrl + ", storageUrl=" + storageUrl + "]";
    }
}
