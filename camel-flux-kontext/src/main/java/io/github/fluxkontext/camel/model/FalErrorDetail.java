package io.github.fluxkontext.camel.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
