package io.github.fluxkontext.camel.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which {@code Authorization} header goes to which origin: the queue's key to the base URL's origin, the
 * storage key to the storage URL's origin, nothing anywhere else. Also what must never appear in a
 * message or a log: {@link #redact(String)} masks each key (and each half of a {@code key_id:key_secret}).
 * Its {@code toString} shows the origins only.
 */
public final class FalCredentials {

    private static final String MASK = "******";
    /** Shorter parts of a key are too common in ordinary text to be masked everywhere. */
    private static final int MIN_SECRET_LENGTH = 8;

    private final Map<String, String> authorizationByOrigin = new LinkedHashMap<>();
    private final List<String> secrets = new ArrayList<>();

    /** No credentials at all. */
    public static FalCredentials none() {
        return new FalCredentials();
    }

    /**
     * These credentials plus a key for the origin of {@code url}; a null or blank key adds nothing.
     *
     * @throws IllegalArgumentException when the URL has no origin
     */
    public FalCredentials with(String url, AuthScheme scheme, String key) {
        if (key == null || key.isBlank()) {
            return this;
        }
        String origin = FalUrls.origin(url);
        if (origin == null) {
            throw new IllegalArgumentException("'" + FalUrls.redact(url) + "' has no origin to send credentials to");
        }
        FalCredentials copy = new FalCredentials();
        copy.authorizationByOrigin.putAll(authorizationByOrigin);
        copy.secrets.addAll(secrets);
        copy.authorizationByOrigin.put(origin, scheme.value() + " " + key);
        copy.remember(key);
        return copy;
    }

    /** Whether no key goes anywhere: every request is sent without {@code Authorization}. */
    public boolean isEmpty() {
        return authorizationByOrigin.isEmpty();
    }

    /** The {@code Authorization} value for this origin, or null. */
    String authorizationFor(String origin) {
        return origin == null ? null : authorizationByOrigin.get(origin);
    }

    /** The text with every key (and every long-enough part of one) masked. */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        return out;
    }

    private void remember(String key) {
        List<String> parts = new ArrayList<>(List.of(key));
        int colon = key.indexOf(':');
        if (colon > 0) {
            parts.add(key.substring(0, colon));
            parts.add(key.substring(colon + 1));
        }
        for (String part : parts) {
            if (part.length() >= MIN_SECRET_LENGTH && !secrets.contains(part)) {
                secrets.add(part);
            }
        }
        // the longest first, so that a whole key is masked before its halves
        secrets.sort((a, b) -> Integer.compare(b.length(), a.length()));
    }

    @Override
    public String toString() {
        return "FalCredentials" + Collections.unmodifiableSet(authorizationByOrigin.keySet());
    }
}
