package io.github.fluxkontext.camel.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The proof, in a webhook URL, that whoever submitted the job knows {@code webhookSecret}: the query parameter
 * {@value #PARAMETER}, base64url of HMAC-SHA256 over a fixed label, keyed with the secret. A producer with
 * webhookSecret adds it to the {@code fal_webhook} URL; a consumer with webhookSecret refuses a callback without it.
 * <p>
 * Why it is needed: fal signs every customer's callbacks with the same keys, so a valid signature proves that fal
 * sent a callback, not that one of our jobs did. The URL, however, is chosen by whoever submits, and fal calls it
 * as given. Why a token and not the secret: the URL is stored at fal and passes through proxies and their logs; a
 * token that leaks lets someone reach this consumer (as guessing the path did before), it does not reveal the
 * secret, which may be shared by other deployments. The token is the same for every job, because the consumer
 * must check it knowing nothing but the secret (the request id is not known when the URL is made). The label has
 * a version, so that another derivation can follow without a new secret.
 */
public final class WebhookToken {

    /** The query parameter that carries the token. */
    public static final String PARAMETER = "fluxKontextToken";
    private static final String LABEL = "camel-flux-kontext webhook token v1";

    private final byte[] token;

    public WebhookToken(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.strip().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            token = mac.doFinal(LABEL.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every Java platform has HmacSHA256", e);
        }
    }

    /** The webhook URL with the token (before a fragment, if any). */
    public String addTo(String webhookUrl) {
        return WebhookQuery.withParameter(webhookUrl, PARAMETER, value());
    }

    /** The token as it stands in the URL. */
    public String value() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    /** Whether a token from a request is this one; in constant time, so that timing tells nothing of it. */
    public boolean matches(String presented) {
        byte[] decoded;
        try {
            decoded = Base64.getUrlDecoder().decode(presented);
        } catch (IllegalArgumentException notBase64) {
            decoded = new byte[0];
        }
        return MessageDigest.isEqual(token, decoded);
    }

    @Override
    public String toString() {
        return "WebhookToken[******]";
    }
}
