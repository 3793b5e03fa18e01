package io.github.fluxkontext.camel.mapping;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.github.fluxkontext.camel.FluxKontextConfiguration;
import io.github.fluxkontext.camel.client.FalCredentials;
import io.github.fluxkontext.camel.client.SubmitOptions;
import io.github.fluxkontext.camel.model.FluxKontextValidationException;
import org.apache.camel.Message;
import org.apache.camel.util.TimeUtils;

import static io.github.fluxkontext.camel.FluxKontextConstants.FAL_HEADERS;
import static io.github.fluxkontext.camel.FluxKontextConstants.MEDIA_EXPIRATION;

/**
 * The request controls of one submit, sent as its headers: how long fal keeps the generated images
 * ({@code mediaExpiration}) and extra {@code x-fal-*} headers ({@code falHeaders}); the message's header over the
 * option. Checked before anything is sent, each failure naming the option or header as the user wrote it and, for a
 * pass-through, the header's name (never its value: it may hold a key). What may pass through is
 * {@link SubmitOptions#passThroughProblem}'s rule, and here no value may contain one of the keys the component sends.
 */
public final class RequestControls {

    private static final String OPTION_HEADERS = "option falHeaders";
    private static final String OPTION_EXPIRATION = "option mediaExpiration";

    private final SubmitOptions endpointOptions;
    private final FalCredentials credentials;
    private final Map<String, String> optionHeaders;
    private final Duration optionExpiration;

    /**
     * @param credentials the keys the endpoint sends, which no passed-through value may contain
     * @throws FluxKontextValidationException when the options themselves are wrong, naming the option
     */
    public RequestControls(FluxKontextConfiguration config, FalCredentials credentials) {
        // the endpoint's part is fixed once its producer starts: its webhook URL (and token HMAC) is made once, not per submit
        this.endpointOptions = config.submitOptions();
        this.credentials = credentials;
        this.optionHeaders = checked(parse(config.getFalHeaders()), OPTION_HEADERS);
        this.optionExpiration = config.getMediaExpiration() == null ? null
                : expiration(Duration.ofMillis(config.getMediaExpiration()), config.getMediaExpiration(), OPTION_EXPIRATION);
    }

    /** The submit options of this message: the endpoint's, with the message's request controls. */
    public SubmitOptions submitOptions(Message message) {
        Object rawExpiration = message.getHeader(MEDIA_EXPIRATION);
        Duration expiration = rawExpiration == null ? optionExpiration : expiration(rawExpiration, "header " + MEDIA_EXPIRATION);
        Object rawHeaders = message.getHeader(FAL_HEADERS);
        Map<String, String> headers = optionHeaders;
        if (rawHeaders != null) {
            Map<String, String> merged = new LinkedHashMap<>(optionHeaders);
            merged.putAll(checked(fromHeader(rawHeaders), "header " + FAL_HEADERS));
            headers = checkedCount(merged, "header " + FAL_HEADERS + " with option falHeaders");
        }
        return endpointOptions.withControls(expiration, headers);
    }

    /** {@code name=value,name=value}, names in lower case. */
    private static Map<String, String> parse(String option) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (option == null || option.isBlank()) {
            return headers;
        }
        for (String pair : option.split(",")) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new FluxKontextValidationException(OPTION_HEADERS, pair.strip(), "expected name=value pairs separated by commas,"
                                                                                       + " e.g. x-fal-no-retry=1,x-fal-runner-hint=eu");
            }
            put(headers, pair.substring(0, equals), pair.substring(equals + 1).strip(), OPTION_HEADERS);
        }
        return headers;
    }

    /** A Map of header names to String, Number or Boolean values. */
    private static Map<String, String> fromHeader(Object raw) {
        String source = "header " + FAL_HEADERS;
        if (!(raw instanceof Map<?, ?> map)) {
            throw new FluxKontextValidationException(source, raw.getClass().getSimpleName(), "allowed: a Map of x-fal-* header names to values");
        }
        if (map.size() > SubmitOptions.MAX_PASS_THROUGH) {
            throw tooMany(source, map.size());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String name)) {
                throw new FluxKontextValidationException(source, String.valueOf(entry.getKey()), "header names must be Strings");
            }
            Object value = entry.getValue();
            if (!(value instanceof CharSequence || value instanceof Number || value instanceof Boolean)) {
                throw new FluxKontextValidationException(source, name, "its value must be a String, a Number or a Boolean, was "
                                                                       + (value == null ? "null" : value.getClass().getSimpleName()));
            }
            put(headers, name, value.toString(), source);
        }
        return headers;
    }

    private static void put(Map<String, String> headers, String name, String value, String source) {
        String key = name.strip().toLowerCase(Locale.ROOT);
        if (headers.put(key, value) != null) {
            throw new FluxKontextValidationException(source, key, "each header may be given once");
        }
    }

    /** Each header by the pass-through rule, and no value that carries a key; the value is never shown. */
    private Map<String, String> checked(Map<String, String> headers, String source) {
        headers.forEach((name, value) -> {
            String problem = SubmitOptions.passThroughProblem(name, value);
            if (problem == null && !credentials.redact(value).equals(value)) {
                problem = "its value contains an API key, and credentials are never passed through";
            }
            if (problem != null) {
                throw new FluxKontextValidationException(source, name, problem);
            }
        });
        return Collections.unmodifiableMap(checkedCount(headers, source));
    }

    private static Map<String, String> checkedCount(Map<String, String> headers, String source) {
        if (headers.size() > SubmitOptions.MAX_PASS_THROUGH) {
            throw tooMany(source, headers.size());
        }
        return headers;
    }

    private static FluxKontextValidationException tooMany(String source, int count) {
        return new FluxKontextValidationException(source, count + " headers", "at most " + SubmitOptions.MAX_PASS_THROUGH
                                                                              + " headers are passed through");
    }

    /** A Duration, a String in Camel's duration syntax (1h, 30m, PT2H, or milliseconds), or a Number of milliseconds. */
    private static Duration expiration(Object raw, String source) {
        Duration duration;
        if (raw instanceof Duration d) {
            duration = d;
        } else if (raw instanceof Number || raw instanceof CharSequence) {
            duration = raw instanceof Number n ? Duration.ofMillis(InputValues.longValue(n, source)) : parse(raw.toString().strip(), source);
        } else {
            throw new FluxKontextValidationException(source, raw, "allowed: a java.time.Duration, a String such as 1h, or milliseconds");
        }
        return expiration(duration, raw, source);
    }

    /** ISO-8601 (PT2H), milliseconds (7200000), or Camel's 2h, 1h30m, 45s. */
    private static Duration parse(String text, String source) {
        if (text.length() > 40) {
            throw new FluxKontextValidationException(source, text, "allowed: a duration of at most 40 characters, such as 1h or PT2H");
        }
        try {
            if (text.startsWith("P") || text.startsWith("p")) {
                return Duration.parse(text);
            }
            if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
                return Duration.ofMillis(Long.parseLong(text));
            }
            if (text.matches("(\\d+\\s*[a-zA-Z]+\\s*)+")) {
                return Duration.ofMillis(TimeUtils.toMilliSeconds(text));
            }
        } catch (RuntimeException unreadable) { // Camel's parser fails in several ways: each means the same here
            throw new FluxKontextValidationException(source, text, "allowed: a duration such as 1h, 30m, PT2H or milliseconds ("
                                                                   + unreadable.getMessage() + ")");
        }
        throw new FluxKontextValidationException(source, text, "allowed: a duration such as 1h, 30m, PT2H or milliseconds");
    }

    private static Duration expiration(Duration duration, Object raw, String source) {
        if (duration.toSeconds() < 1 || duration.getNano() != 0) {
            throw new FluxKontextValidationException(source, raw, "fal keeps images for whole seconds: at least 1 s (e.g. 1h)");
        }
        return duration;
    }
}
