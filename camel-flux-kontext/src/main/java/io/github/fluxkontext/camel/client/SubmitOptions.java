package io.github.fluxkontext.camel.client;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * fal's optional submit settings.
 *
 * @param priority        queue priority (header {@code x-fal-queue-priority}), or null for fal's default
 * @param startTimeout    deadline for the job to start running (header {@code x-fal-request-timeout}), or null
 * @param webhookUrl      URL fal calls when the job completes (query {@code fal_webhook}), or null
 * @param mediaExpiration how long fal keeps the generated files (header {@code X-Fal-Object-Lifecycle-Preference}), whole
 *                        seconds, or null for fal's default
 * @param falHeaders      further {@code x-fal-*} headers passed through as given, each allowed by {@link #passThroughProblem}
 */
public record SubmitOptions(QueuePriority priority, Duration startTimeout, String webhookUrl, Duration mediaExpiration,
                            Map<String, String> falHeaders) {

    /** The headers the client writes itself from options: passing them through would bypass those options' checks. */
    public static final Set<String> OWN_HEADERS = Set.of("x-fal-queue-priority", "x-fal-request-timeout",
            "x-fal-object-lifecycle-preference");
    /** Parts of a header name that mean a credential (x-fal-key, x-fal-token, x-fal-auth...): never passed through. */
    private static final Set<String> CREDENTIAL_WORDS = Set.of("auth", "key", "token", "secret", "password", "cookie", "credential",
            "signature", "session");
    /** More pass-through headers than any of fal's documented controls need; bounds what a message can add. */
    public static final int MAX_PASS_THROUGH = 16;
    /** Longest name and value of a pass-through header (fal's own are a few characters). */
    public static final int MAX_NAME_LENGTH = 64;
    public static final int MAX_VALUE_LENGTH = 1024;

    public SubmitOptions {
        falHeaders = falHeaders == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(falHeaders));
        falHeaders.forEach((name, value) -> {
            String problem = passThroughProblem(name, value);
            if (problem != null) {
                throw new IllegalArgumentException("header " + name + " cannot be passed through: " + problem);
            }
        });
        if (mediaExpiration != null && (mediaExpiration.toSeconds() < 1 || mediaExpiration.getNano() != 0)) {
            throw new IllegalArgumentException("mediaExpiration must be whole seconds, at least 1 s, was " + mediaExpiration);
        }
    }

    /** Priority, start timeout and webhook only. */
    public SubmitOptions(QueuePriority priority, Duration startTimeout, String webhookUrl) {
        this(priority, startTimeout, webhookUrl, null, Map.of());
    }

    /** These options with the request controls of one message. */
    public SubmitOptions withControls(Duration expiration, Map<String, String> headers) {
        return new SubmitOptions(priority, startTimeout, webhookUrl, expiration, headers);
    }

    /**
     * Why a header may not be passed through on a submit, or null when it may: it must be an {@code x-fal-*} header of
     * token characters, not one this client writes itself, not a credential, with a short printable value.
     */
    public static String passThroughProblem(String name, String value) {
        String lower = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        if (!lower.startsWith("x-fal-") || lower.length() > MAX_NAME_LENGTH || !lower.chars().allMatch(SubmitOptions::isNameChar)) {
            return "only x-fal-* request headers are passed through (letters, digits and '-', up to " + MAX_NAME_LENGTH
                   + " characters), e.g. x-fal-no-retry or x-fal-runner-hint";
        }
        if (OWN_HEADERS.contains(lower)) {
            return "the component sets " + lower + " itself from its option (priority, startTimeout, mediaExpiration): use that";
        }
        for (String word : CREDENTIAL_WORDS) {
            if (lower.contains(word)) {
                return "it looks like a credential ('" + word + "' in its name), and credentials are never passed through:"
                       + " the component sends the apiKey itself";
            }
        }
        if (value == null || value.isEmpty() || value.length() > MAX_VALUE_LENGTH
            || !value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return "its value must be 1 to " + MAX_VALUE_LENGTH + " printable ASCII characters";
        }
        return null;
    }

    private static boolean isNameChar(int c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-';
    }

    @Override
    public String toString() {
        // header values are the user's: only their names
        return "SubmitOptions[priority=" + priority + ", startTimeout=" + startTimeout + ", mediaExpiration=" + mediaExpiration
               + ", falHeaders=" + falHeaders.keySet() + "]";
    }
}
