package io.github.fluxkontext.simulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * FLUX.1 Kontext input rules (fal-protocol §8), reported the way fal's pydantic models report them:
 * {@code {"loc":["body",field],"msg":...,"type":...}}. Types are checked strictly (a JSON number is
 * not a string, a string is not an integer): the safe reading, since lax coercion differs between
 * pydantic versions and fal does not document which one it runs. Unknown fields are ignored.
 */
final class KontextValidator {

    static final List<String> ASPECT_RATIOS =
            List.of("21:9", "16:9", "4:3", "3:2", "1:1", "2:3", "3:4", "9:16", "9:21");
    static final List<String> OUTPUT_FORMATS = List.of("jpeg", "png");
    static final List<String> SAFETY_TOLERANCES = List.of("1", "2", "3", "4", "5", "6");

    private final List<Map<String, Object>> errors = new ArrayList<>();

    private KontextValidator() {
    }

    /** The errors for an input; empty if it is valid. {@code input} may be null for an unparsable body. */
    static List<Map<String, Object>> validate(EndpointId.Kind kind, JsonNode input) {
        KontextValidator v = new KontextValidator();
        if (input == null || !input.isObject()) {
            v.add(List.of("body"), "value is not a valid dict", "type_error.dict", null);
            return v.errors;
        }
        v.requiredString(input, "prompt");
        if (kind == EndpointId.Kind.EDIT) {
            v.requiredUrl(input, "image_url");
        } else if (kind == EndpointId.Kind.MULTI) {
            v.requiredUrlList(input, "image_urls");
        }
        v.optionalInteger(input, "seed", null, null);
        v.optionalNumber(input, "guidance_scale", 1, 20);
        v.optionalInteger(input, "num_images", 1L, 4L);
        v.optionalEnum(input, "output_format", OUTPUT_FORMATS);
        v.optionalEnum(input, "safety_tolerance", SAFETY_TOLERANCES);
        v.optionalEnum(input, "aspect_ratio", ASPECT_RATIOS);
        v.optionalBoolean(input, "enhance_prompt");
        v.optionalBoolean(input, "sync_mode");
        return v.errors;
    }

    /** The error list for a body that is not JSON at all (FastAPI reports it as a decode error). */
    static List<Map<String, Object>> jsonDecodeError(String message) {
        KontextValidator v = new KontextValidator();
        v.add(List.of("body"), message, "value_error.jsondecode", null);
        return v.errors;
    }

    private void requiredString(JsonNode in, String field) {
        JsonNode n = in.get(field);
        if (present(n, field, true) && !n.isTextual()) {
            strExpected(field);
        }
    }

    private void requiredUrl(JsonNode in, String field) {
        JsonNode n = in.get(field);
        if (!present(n, field, true)) {
            return;
        }
        if (!n.isTextual()) {
            strExpected(field);
        } else if (!isUrl(n.asText())) {
            add(loc(field), "invalid or missing URL scheme", "value_error.url.scheme", null);
        }
    }

    private void requiredUrlList(JsonNode in, String field) {
        JsonNode n = in.get(field);
        if (!present(n, field, true)) {
            return;
        }
        if (!n.isArray()) {
            add(loc(field), "value is not a valid list", "type_error.list", null);
            return;
        }
        if (n.isEmpty()) {
            add(loc(field), "ensure this value has at least 1 items", "value_error.list.min_items",
                    Map.of("limit_value", 1));
            return;
        }
        for (int i = 0; i < n.size(); i++) {
            JsonNode item = n.get(i);
            if (!item.isTextual()) {
                add(List.of("body", field, i), "str type expected", "type_error.str", null);
            } else if (!isUrl(item.asText())) {
                add(List.of("body", field, i), "invalid or missing URL scheme", "value_error.url.scheme", null);
            }
        }
    }

    private void optionalInteger(JsonNode in, String field, Long min, Long max) {
        JsonNode n = in.get(field);
        if (!present(n, field, false)) {
            return;
        }
        if (!n.isIntegralNumber()) {
            add(loc(field), "value is not a valid integer", "type_error.integer", null);
            return;
        }
        if (!n.canConvertToLong()) {
            add(loc(field), "ensure this value is less than or equal to " + Long.MAX_VALUE,
                    "value_error.number.not_le", Map.of("limit_value", Long.MAX_VALUE));
            return;
        }
        range(field, n.asLong(), min, max);
    }

    private void optionalNumber(JsonNode in, String field, double min, double max) {
        JsonNode n = in.get(field);
        if (!present(n, field, false)) {
            return;
        }
        if (!n.isNumber()) {
            add(loc(field), "value is not a valid float", "type_error.float", null);
            return;
        }
        double v = n.asDouble();
        if (v < min) {
            add(loc(field), "ensure this value is greater than or equal to " + (int) min, "value_error.number.not_ge",
                    Map.of("limit_value", (int) min));
        } else if (v > max) {
            add(loc(field), "ensure this value is less than or equal to " + (int) max, "value_error.number.not_le",
                    Map.of("limit_value", (int) max));
        }
    }

    private void range(String field, long v, Long min, Long max) {
        if (min != null && v < min) {
            add(loc(field), "ensure this value is greater than or equal to " + min, "value_error.number.not_ge",
                    Map.of("limit_value", min));
        } else if (max != null && v > max) {
            add(loc(field), "ensure this value is less than or equal to " + max, "value_error.number.not_le",
                    Map.of("limit_value", max));
        }
    }

    private void optionalEnum(JsonNode in, String field, List<String> allowed) {
        JsonNode n = in.get(field);
        if (!present(n, field, false)) {
            return;
        }
        if (!n.isTextual()) {
            // e.g. safety_tolerance: 2 instead of "2" -- fal's schema types it as a string enum
            strExpected(field);
            return;
        }
        if (!allowed.contains(n.asText())) {
            StringBuilder permitted = new StringBuilder();
            for (String a : allowed) {
                permitted.append(permitted.length() == 0 ? "" : ", ").append('\'').append(a).append('\'');
            }
            add(loc(field), "value is not a valid enumeration member; permitted: " + permitted, "type_error.enum",
                    Map.of("enum_values", allowed));
        }
    }

    private void optionalBoolean(JsonNode in, String field) {
        JsonNode n = in.get(field);
        if (present(n, field, false) && !n.isBoolean()) {
            add(loc(field), "value could not be parsed to a boolean", "type_error.bool", null);
        }
    }

    /** Whether a value is there to check; reports missing/null required fields. Null optional fields count as absent. */
    private boolean present(JsonNode n, String field, boolean required) {
        if (n == null || n.isMissingNode()) {
            if (required) {
                add(loc(field), "field required", "value_error.missing", null);
            }
            return false;
        }
        if (n.isNull()) {
            if (required) {
                add(loc(field), "none is not an allowed value", "type_error.none.not_allowed", null);
            }
            return false;
        }
        return true;
    }

    private void strExpected(String field) {
        add(loc(field), "str type expected", "type_error.str", null);
    }

    /** http(s) URLs and data URIs, the two forms fal documents for image inputs. */
    static boolean isUrl(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("data:")) {
            return s.indexOf(',') > 0;
        }
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return s.length() > lower.indexOf("//") + 2;
        }
        return false;
    }

    private static List<Object> loc(String field) {
        return List.of("body", field);
    }

    private void add(List<Object> loc, String msg, String type, Map<String, Object> ctx) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("loc", loc);
        e.put("msg", msg);
        e.put("type", type);
        if (ctx != null) {
            e.put("ctx", ctx);
        }
        errors.add(e);
    }
}
