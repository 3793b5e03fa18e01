package io.github.fluxkontext.simulator;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulator's webhook signing key: an Ed25519 key pair of its own, published as a JWKS
 * (fal-protocol §10). Rotation replaces it; from then on only the new key signs and is published.
 */
final class WebhookKeys {

    /** An X.509 Ed25519 public key is a fixed 12-byte prefix and the raw 32-byte key (RFC 8410). */
    private static final int RAW_KEY_LENGTH = 32;

    private record Current(KeyPair pair, Map<String, Object> jwk) {
    }

    private volatile Current current = generate();

    void rotate() {
        current = generate();
    }

    /** {@code {"keys":[{"kty":"OKP","crv":"Ed25519","x":...,"kid":...}]}}. */
    Map<String, Object> jwks() {
        return Map.of("keys", List.of(current.jwk()));
    }

    byte[] sign(byte[] message) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(current.pair().getPrivate());
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static Current generate() {
        KeyPair pair;
        try {
            pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is missing from this JDK (it has been there since 15)", e);
        }
        byte[] encoded = pair.getPublic().getEncoded();
        byte[] raw = Arrays.copyOfRange(encoded, encoded.length - RAW_KEY_LENGTH, encoded.length);
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "OKP");
        jwk.put("crv", "Ed25519");
        jwk.put("x", Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
        jwk.put("kid", HexFormat.of().formatHex(sha256(raw), 0, 8)); // a short fingerprint of the key
        return new Current(pair, Map.copyOf(jwk));
    }
}
