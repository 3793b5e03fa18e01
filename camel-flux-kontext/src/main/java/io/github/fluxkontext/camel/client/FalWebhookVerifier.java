package io.github.fluxkontext.camel.client;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

import io.github.fluxkontext.camel.model.FluxKontextWebhookException;

/**
 * Checks that a webhook callback comes from fal (fal-protocol §10): the {@code X-Fal-Webhook-Signature}
 * header is the hex Ed25519 signature, by one of fal's JWKS keys, of
 * {@code request_id \n user_id \n timestamp \n hex(sha256(raw body))}, taken from the
 * {@code X-Fal-Webhook-*} headers and the body bytes exactly as received; and the timestamp is within
 * the tolerance of now, either way (an old callback replayed later is refused).
 * <p>
 * The header and timestamp checks are made at once; the signature waits for fal's keys only when they
 * are not cached ({@link FalWebhookKeys}): then the returned future completes when they arrive, and no
 * thread waits for them. Knows nothing of Camel.
 */
public final class FalWebhookVerifier {

    public static final String REQUEST_ID_HEADER = "X-Fal-Webhook-Request-Id";
    public static final String USER_ID_HEADER = "X-Fal-Webhook-User-Id";
    public static final String TIMESTAMP_HEADER = "X-Fal-Webhook-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Fal-Webhook-Signature";
    /** The shortest time between two JWKS fetches caused by callbacks that no cached key verifies. */
    public static final Duration MIN_REFETCH_INTERVAL = Duration.ofSeconds(10);
    /** Longer header values are not fal's (ids are UUIDs, the signature 128 hex digits). */
    private static final int MAX_HEADER_LENGTH = 256;
    private static final int SIGNATURE_BYTES = 64;

    private final FalWebhookKeys keys;
    private final Duration tolerance;
    private final Clock clock;

    FalWebhookVerifier(FalWebhookKeys keys, Duration tolerance, Clock clock) {
        this.keys = keys;
        this.tolerance = tolerance;
        this.clock = clock;
    }

    /**
     * Completes normally when the callback is fal's; fails with a {@link FluxKontextWebhookException}: 401
     * when a header is missing or malformed, the timestamp is outside the tolerance or the signature does
     * not verify; 503 when fal's keys cannot be fetched (and none are cached).
     *
     * @param requestId the {@code X-Fal-Webhook-Request-Id} header, or null when absent
     * @param userId    the {@code X-Fal-Webhook-User-Id} header, or null
     * @param timestamp the {@code X-Fal-Webhook-Timestamp} header (Unix seconds), or null
     * @param signature the {@code X-Fal-Webhook-Signature} header (hex), or null
     * @param body      the raw body bytes
     */
    public CompletableFuture<Void> verify(String requestId, String userId, String timestamp, String signature, byte[] body) {
        byte[] message;
        byte[] signatureBytes;
        try {
            present(REQUEST_ID_HEADER, requestId);
            present(USER_ID_HEADER, userId);
            present(TIMESTAMP_HEADER, timestamp);
            present(SIGNATURE_HEADER, signature);
            checkTimestamp(timestamp, requestId);
            signatureBytes = parseSignature(signature, requestId);
            message = (requestId + "\n" + userId + "\n" + timestamp + "\n" + HexFormat.of().formatHex(sha256(body)))
                    .getBytes(StandardCharsets.UTF_8);
        } catch (FluxKontextWebhookException e) {
            return CompletableFuture.failedFuture(e);
        }
        return keys.keys().thenCompose(set -> {
            if (anyVerifies(set, message, signatureBytes)) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            return keys.refreshedAfter(set).thenApply(fresh -> {
                if (fresh == set || !anyVerifies(fresh, message, signatureBytes)) {
                    throw rejected("its signature does not verify with fal's webhook keys", requestId);
                }
                return null;
            });
        });
    }

    private static void present(String header, String value) {
        if (value == null || value.isBlank()) {
            throw rejected("header " + header + " is missing", null);
        }
        if (value.length() > MAX_HEADER_LENGTH) {
            throw rejected("header " + header + " is longer than " + MAX_HEADER_LENGTH + " characters", null);
        }
    }

    private void checkTimestamp(String timestamp, String requestId) {
        if (!timestamp.chars().allMatch(c -> c >= '0' && c <= '9') || timestamp.length() > 12) {
            throw rejected("header " + TIMESTAMP_HEADER + " is not Unix seconds", requestId);
        }
        long off = Math.abs(clock.instant().getEpochSecond() - Long.parseLong(timestamp));
        if (off > tolerance.toSeconds()) {
            throw rejected("its timestamp is " + off + " s away from now, more than the tolerance of " + tolerance.toSeconds()
                           + " s (option webhookTolerance); a stale or replayed callback, or a clock that is off", requestId);
        }
    }

    private static byte[] parseSignature(String signature, String requestId) {
        byte[] bytes;
        try {
            bytes = HexFormat.of().parseHex(signature.trim());
        } catch (IllegalArgumentException e) {
            throw rejected("header " + SIGNATURE_HEADER + " is not hexadecimal", requestId);
        }
        if (bytes.length != SIGNATURE_BYTES) {
            throw rejected("header " + SIGNATURE_HEADER + " has " + bytes.length + " bytes, an Ed25519 signature has "
                           + SIGNATURE_BYTES, requestId);
        }
        return bytes;
    }

    private static boolean anyVerifies(FalWebhookKeys.KeySet set, byte[] message, byte[] signature) {
        for (PublicKey key : set.keys()) {
            try {
                Signature verifier = Signature.getInstance("Ed25519"); // not thread-safe: one per check, they are cheap
                verifier.initVerify(key);
                verifier.update(message);
                if (verifier.verify(signature)) {
                    return true;
                }
            } catch (GeneralSecurityException e) {
                // a malformed signature for this key: it does not verify with it
            }
        }
        return false;
    }

    static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }

    private static FluxKontextWebhookException rejected(String why, String requestId) {
        return new FluxKontextWebhookException(401, "Webhook callback refused: " + why, requestId, null);
    }
}
