package io.github.fluxkontext.camel.client;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fluxkontext.camel.model.FluxKontextWebhookException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.github.fluxkontext.camel.model.JsonFields.text;

/**
 * fal's public webhook keys, read from its JWKS ({@code {"keys":[{"kty":"OKP","crv":"Ed25519","x":...}]}})
 * without credentials, and cached up to {@value #MAX_AGE_HOURS} hours. When no cached key verifies a
 * callback, the JWKS is fetched again once (fal rotated its key), but such refetches come at most every
 * {@code minRefetchInterval}, and so does a fetch after a failed one: forged callbacks cannot make it
 * hammer the JWKS URL. One fetch at a time: callers that need keys while a fetch is under way share it.
 * Nothing blocks: callers get a future, which is already complete while the keys are cached.
 */
final class FalWebhookKeys {

    private static final Logger LOG = LoggerFactory.getLogger(FalWebhookKeys.class);

    static final int MAX_AGE_HOURS = 24;
    static final Duration MAX_AGE = Duration.ofHours(MAX_AGE_HOURS);
    /** A JWKS is a few hundred bytes; anything near this is not fal's. */
    static final int MAX_JWKS_BYTES = 64 * 1024;
    /** fal publishes one or two keys (two while rotating); more are not read. */
    static final int MAX_KEYS = 16;
    /** RFC 8410: the X.509 SubjectPublicKeyInfo prefix of a raw 32-byte Ed25519 public key. */
    private static final byte[] ED25519_X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The keys of one fetch, tried as a whole; a new fetch makes a new set. */
    record KeySet(List<PublicKey> keys, Instant fetchedAt) {
    }

    private final String jwksUrl;
    private final Function<FalRequest, CompletableFuture<FalResponse>> http;
    private final Clock clock;
    private final Duration minRefetchInterval;

    private KeySet current; // guarded by this
    private CompletableFuture<KeySet> fetching; // guarded by this
    private Instant lastRefetch; // the last fetch for a callback no key verified; guarded by this
    private Instant lastFailure; // the last fetch that failed; guarded by this

    /**
     * @param http               sends a request without credentials (one attempt)
     * @param minRefetchInterval the shortest time between two fetches, whatever the callbacks say
     */
    FalWebhookKeys(String jwksUrl, Function<FalRequest, CompletableFuture<FalResponse>> http, Clock clock, Duration minRefetchInterval) {
        this.jwksUrl = jwksUrl;
        this.http = http;
        this.clock = clock;
        this.minRefetchInterval = minRefetchInterval;
    }

    /**
     * The keys to try: the cached ones while younger than {@value #MAX_AGE_HOURS} hours, else fetched. When a
     * fetch fails, older keys are still used (with a warning); with none at all the future fails (503).
     */
    synchronized CompletableFuture<KeySet> keys() {
        if (current != null && current.fetchedAt().plus(MAX_AGE).isAfter(clock.instant())) {
            return CompletableFuture.completedFuture(current);
        }
        if (fetching != null) {
            return fetching;
        }
        if (recently(lastFailure)) {
            // the last fetch failed a moment ago: keys that expired are still better than asking again now
            return current != null ? CompletableFuture.completedFuture(current) : CompletableFuture.failedFuture(unavailable(null));
        }
        return fetch();
    }

    /**
     * None of {@code tried} verified a callback: the keys of a fetch made since, or of one started now (fal
     * rotated its key). Returns {@code tried} itself when there is nothing new to try: such a refetch (or a
     * failed fetch) came less than the minimum interval ago.
     */
    synchronized CompletableFuture<KeySet> refreshedAfter(KeySet tried) {
        if (current != null && current != tried) {
            return CompletableFuture.completedFuture(current);
        }
        if (fetching != null) {
            return fetching;
        }
        if (recently(lastRefetch) || recently(lastFailure)) {
            return CompletableFuture.completedFuture(tried);
        }
        lastRefetch = clock.instant();
        return fetch();
    }

    private boolean recently(Instant at) {
        return at != null && at.plus(minRefetchInterval).isAfter(clock.instant());
    }

    /** Starts the one fetch; under the lock. The returned future completes after the cache was updated. */
    private CompletableFuture<KeySet> fetch() {
        CompletableFuture<KeySet> answer = new CompletableFuture<>();
        fetching = answer;
        FalRequest request = new FalRequest("GET", jwksUrl, null, null, Map.of("Accept", "application/json"), null, MAX_JWKS_BYTES);
        CompletableFuture<FalResponse> sent;
        try {
            sent = http.apply(request);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((response, error) -> {
            KeySet fetched = null;
            Throwable failure = error == null ? null : Futures.unwrap(error);
            if (failure == null) {
                try {
                    fetched = new KeySet(parse(response), clock.instant());
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            KeySet result;
            synchronized (this) {
                fetching = null;
                if (fetched != null) {
                    current = fetched;
                } else {
                    lastFailure = clock.instant();
                }
                result = current;
            }
            if (fetched != null) {
                LOG.debug("Fetched {} webhook key(s) from {}", fetched.keys().size(), FalUrls.redact(jwksUrl));
                answer.complete(fetched);
            } else if (result != null) {
                LOG.warn("Could not fetch fal's webhook keys from {} ({}); the keys fetched at {} are used meanwhile", FalUrls.redact(jwksUrl),
                        failure.getMessage(), result.fetchedAt());
                answer.complete(result);
            } else {
                answer.completeExceptionally(unavailable(failure));
            }
        });
        return answer;
    }

    private FluxKontextWebhookException unavailable(Throwable cause) {
        String why = cause == null
                ? "the last attempt failed less than " + minRefetchInterval.toSeconds() + " s ago"
                : cause.getMessage();
        return new FluxKontextWebhookException(503, "fal's webhook keys could not be fetched from " + FalUrls.redact(jwksUrl) + " ("
                                                    + why + "), so no callback can be verified; fal delivers it again later",
                null, cause);
    }

    /** The Ed25519 keys of a JWKS answer; other key types are skipped. */
    private List<PublicKey> parse(FalResponse response) {
        if (!response.isSuccess()) {
            throw new IllegalStateException("HTTP " + response.statusCode());
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("the answer is not JSON: " + e.getMessage(), e);
        }
        JsonNode keys = json == null ? null : json.get("keys");
        if (keys == null || !keys.isArray()) {
            throw new IllegalStateException("the answer has no keys list");
        }
        List<PublicKey> found = new ArrayList<>();
        for (JsonNode key : keys) {
            if (found.size() == MAX_KEYS) {
                break;
            }
            if ("OKP".equals(text(key, "kty")) && "Ed25519".equals(text(key, "crv")) && text(key, "x") != null) {
                found.add(ed25519(text(key, "x")));
            }
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("the answer lists no Ed25519 key (kty OKP, crv Ed25519)");
        }
        return List.copyOf(found);
    }

    /** A JWK's {@code x} (base64url, the raw 32-byte key) as a Java public key. */
    static PublicKey ed25519(String x) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(x);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("a key's x is not base64url");
        }
        if (raw.length != 32) {
            throw new IllegalStateException("a key's x has " + raw.length + " bytes, an Ed25519 key has 32");
        }
        byte[] der = new byte[ED25519_X509_PREFIX.length + raw.length];
        System.arraycopy(ED25519_X509_PREFIX, 0, der, 0, ED25519_X509_PREFIX.length);
        System.arraycopy(raw, 0, der, ED25519_X509_PREFIX.length, raw.length);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a key cannot be read as Ed25519: " + e.getMessage(), e);
        }
    }
}
