package io.github.fluxkontext.camel.client;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An Ed25519 key pair that signs webhook callbacks the way fal does, and publishes its public key as a JWKS:
 * for tests that need callbacks fal's simulator would not send (a body that is not JSON, properly signed) or a
 * key that is not fal's.
 */
public final class WebhookSigner {

    public static final String USER_ID = "test-user";

    private final KeyPair pair;

    public WebhookSigner() {
        try {
            pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JWKS listing the keys of these signers. */
    public static String jwks(WebhookSigner... signers) {
        return Stream.of(signers).map(s -> "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + s.x() + "\"}")
                .collect(Collectors.joining(",", "{\"keys\":[", "]}"));
    }

    /** The public key as a JWK's x: the raw 32 bytes (the end of the X.509 encoding), base64url without padding. */
    public String x() {
        byte[] encoded = pair.getPublic().getEncoded();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
    }

    /** The hex signature of {@code requestId \n userId \n timestamp \n hex(sha256(body))}. */
    public String sign(String requestId, String userId, String timestamp, byte[] body) {
        String message = requestId + "\n" + userId + "\n" + timestamp + "\n" + HexFormat.of().formatHex(FalWebhookVerifier.sha256(body));
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(pair.getPrivate());
            signature.update(message.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The four X-Fal-Webhook-* headers of a callback signed now-ish ({@code timestamp} in Unix seconds). */
    public Map<String, String> headers(String requestId, long timestamp, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(FalWebhookVerifier.REQUEST_ID_HEADER, requestId);
        headers.put(FalWebhookVerifier.USER_ID_HEADER, USER_ID);
        headers.put(FalWebhookVerifier.TIMESTAMP_HEADER, Long.toString(timestamp));
        headers.put(FalWebhookVerifier.SIGNATURE_HEADER, sign(requestId, USER_ID, Long.toString(timestamp), body));
        return headers;
    }
}
