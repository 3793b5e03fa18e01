package io.github.fluxkontext.camel.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One entry of fal's error {@code detail} list: {@code loc} (path of the field, e.g.
 * {@code ["body","num_images"]}), {@code msg} (human text), {@code type} (machine code), and the
 * optional {@code url} and {@code ctx}.
 */
public record FalErrorDetail(List<Object> loc, String msg, String type, String url, Map<String, Object> ctx) {

    public FalErrorDetail {
        // fal may put nulls in loc or ctx, which List.copyOf/Map.copyOf would reject
        loc = loc == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(loc));
        ctx = ctx == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(ctx));
    }

    /**
     * This entry with every text in it passed through {@code redact} (the message, type, URL, and the strings of
     * {@code loc} and {@code ctx}, nested ones included): an answer may echo what was sent, a key among it.
     */
    public FalErrorDetail redacted(UnaryOperator<String> redact) {
        return new FalErrorDetail(loc.stream().map(v -> redactValue(v, redact)).toList(), redact.apply(msg), redact.apply(type),
                redact.apply(url), redactMap(ctx, redact));
    }

    private static Map<String, Object> redactMap(Map<?, ?> map, UnaryOperator<String> redact) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(redact.apply(String.valueOf(key)), redactValue(value, redact)));
        return copy;
    }

    private static Object redactValue(Object value, UnaryOperator<String> redact) {
        if (value instanceof String text) {
            return redact.apply(text);
        }
        if (value instanceof Map<?, ?> map) {
            return redactMap(map, redact);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> redactValue(v, redact)).toList();
        }
        return value;
    }

    /** The field the error is about: the last element of {@code loc}, or null. */
    public String field() {
        return loc.isEmpty() ? null : String.valueOf(loc.get(loc.size() - 1));
    }

    @Override
    public String toString() {
        return (loc.isEmpty() ? "" : String.join(".", loc.stream().map(String::valueOf).toList()) + ": ") + msg
               + (type == null ? "" : " [" + type + "]");
    }
}
