package io.github.fluxkontext.simulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * FLUX.1 Kontext input rules per endpoint (fal-protocol §8 for pro/max, §8b for dev and LoRA; the
 * ranges of dev and LoRA from fal's generated schemas in fal-js {@code types/image/zod.gen.ts}),
 * reported the way fal's pydantic models report them: {@code {"loc":["body",field],"msg":...,"type":...}}.
 * Types are checked strictly (a JSON number is not a string, a string is not an integer): the safe
 * reading, since lax coercion differs between pydantic versions and fal does not document which one
 * it runs.
 *
 * <p>Fields: a field another Kontext endpoint has and this one lacks (e.g. {@code aspect_ratio},
 * {@code safety_tolerance} or {@code enhance_prompt} sent to dev or LoRA, {@code loras} sent to pro)
 * is refused as pydantic's {@code extra=forbid} would refuse it. fal's own models most likely ignore
 * it (pydantic's default), so this is stricter than fal, on purpose: it is the safe reading for a
 * test double, because a client that sends such a field believes it has an effect, and on fal the
 * setting would be lost without a word; here the test fails instead. It can never fail a client that
 * sends only the endpoint's own fields. Any other unknown field is ignored, as fal ignores it, so
 * clients may pass newer fal fields through.
 */
final class KontextValidator {

    static final List<String> ASPECT_RATIOS =
            List.of("21:9", "16:9", "4:3", "3:2", "1:1", "2:3", "3:4", "9:16", "9:21");
    static final List<String> OUTPUT_FORMATS = List.of("jpeg", "png");
    static final List<String> SAFETY_TOLERANCES = List.of("1", "2", "3", "4", "5", "6");
    static final List<String> ACCELERATIONS = List.of("none", "regular", "high");
    static final List<String> RESOLUTION_MODES = List.of("auto", "match_input", "1:1", "16:9", "21:9", "3:2", "2:3",
            "4:5", "5:4", "3:4", "4:3", "9:16", "9:21");
    /** fal's ImageSize bound for width and height. */
    static final long MAX_IMAGE_SIDE = 14142;

    /** How a field's value is checked once it is there and not null; {@code loc} is where errors point. */
    private interface Check {
        void run(KontextValidator v, List<Object> loc, JsonNode value);
    }

    private record Field(String name, boolean required, Check check) {
    }

    /** One endpoint's input fields in declaration order (pydantic reports errors in that order). */
    private record Schema(List<Field> fields) {
        boolean has(String name) {
            return fields.stream().anyMatch(f -> f.name().equals(name));
        }
    }

    private static final Check STRING = (v, loc, n) -> {
        if (!n.isTextual()) {
            v.strExpected(loc);
        }
    };
    private static final Check URL = (v, loc, n) -> {
        if (!n.isTextual()) {
            v.strExpected(loc);
        } else if (!isUrl(n.asText())) {
            v.add(loc, "invalid or missing URL scheme", "value_error.url.scheme", null);
        }
    };
    private static final Check URL_LIST = KontextValidator::urlList;
    private static final Check BOOLEAN = (v, loc, n) -> {
        if (!n.isBoolean()) {
            v.add(loc, "value could not be parsed to a boolean", "type_error.bool", null);
        }
    };
    private static final Check LORAS = KontextValidator::loras;
    private static final Check IMAGE_SIZE = KontextValidator::imageSize;

    private static final List<Field> PRO_MAX_OPTIONS = List.of(
            optional("seed", integer(null, null)),
            optional("guidance_scale", number(1, 20)),
            optional("num_images", integer(1L, 4L)),
            optional("output_format", oneOf(OUTPUT_FORMATS)),
            optional("safety_tolerance", oneOf(SAFETY_TOLERANCES)),
            optional("aspect_ratio", oneOf(ASPECT_RATIOS)),
            optional("enhance_prompt", BOOLEAN),
            optional("sync_mode", BOOLEAN));

    private static final Schema PRO_MAX_EDIT = schema(List.of(required("prompt", STRING), required("image_url", URL)),
            PRO_MAX_OPTIONS);
    private static final Schema PRO_MAX_TEXT_TO_IMAGE = schema(List.of(required("prompt", STRING)), PRO_MAX_OPTIONS);
    private static final Schema PRO_MAX_MULTI = schema(List.of(required("prompt", STRING),
            required("image_urls", URL_LIST)), PRO_MAX_OPTIONS);

    private static final Schema DEV_EDIT = schema(List.of(required("prompt", STRING), required("image_url", URL)),
            devOptions(1), List.of(optional("resolution_mode", oneOf(RESOLUTION_MODES))));
    private static final Schema LORA_EDIT = schema(List.of(required("prompt", STRING), required("image_url", URL)),
            devOptions(0), List.of(optional("resolution_mode", oneOf(RESOLUTION_MODES)), optional("loras", LORAS)));
    private static final Schema LORA_TEXT_TO_IMAGE = schema(List.of(required("prompt", STRING)), devOptions(0),
            List.of(optional("image_size", IMAGE_SIZE), optional("loras", LORAS)));
    private static final Schema LORA_INPAINT = schema(List.of(required("prompt", STRING), required("image_url", URL),
                    required("mask_url", URL), required("reference_image_url", URL)), devOptions(0),
            List.of(optional("strength", number(0.01, 1)), optional("loras", LORAS)));

    /** Every field some Kontext endpoint has: one an endpoint lacks is refused there (see the class comment). */
    private static final Set<String> FAMILY_FIELDS = familyFields(PRO_MAX_EDIT, PRO_MAX_TEXT_TO_IMAGE, PRO_MAX_MULTI,
            DEV_EDIT, LORA_EDIT, LORA_TEXT_TO_IMAGE, LORA_INPAINT);

    private final List<Map<String, Object>> errors = new ArrayList<>();

    private KontextValidator() {
    }

    /**
     * The errors for an input; empty if it is valid, and always empty for a non-Kontext endpoint's
     * JSON object. {@code input} may be null for an unparsable body.
     */
    static List<Map<String, Object>> validate(EndpointId endpoint, JsonNode input) {
        KontextValidator v = new KontextValidator();
        if (input == null || !input.isObject()) {
            v.add(List.of("body"), "value is not a valid dict", "type_error.dict", null);
            return v.errors;
        }
        Schema schema = schemaOf(endpoint);
        if (schema == null) {
            return v.errors;
        }
        for (Field f : schema.fields()) {
            JsonNode n = input.get(f.name());
            if (v.present(n, loc(f.name()), f.required())) {
                f.check().run(v, loc(f.name()), n);
            }
        }
        input.fieldNames().forEachRemaining(name -> {
            if (FAMILY_FIELDS.contains(name) && !schema.has(name)) {
                v.add(loc(name), "extra fields not permitted", "value_error.extra", null);
            }
        });
        return v.errors;
    }

    /** The error list for a body that is not JSON at all (FastAPI reports it as a decode error). */
    static List<Map<String, Object>> jsonDecodeError(String message) {
        KontextValidator v = new KontextValidator();
        v.add(List.of("body"), message, "value_error.jsondecode", null);
        return v.errors;
    }

    private static Schema schemaOf(EndpointId endpoint) {
        return switch (endpoint.family()) {
            case PRO_MAX -> switch (endpoint.kind()) {
                case EDIT -> PRO_MAX_EDIT;
                case TEXT_TO_IMAGE -> PRO_MAX_TEXT_TO_IMAGE;
                case MULTI -> PRO_MAX_MULTI;
                default -> null;
            };
            case DEV -> DEV_EDIT;
            case LORA -> switch (endpoint.kind()) {
                case EDIT -> LORA_EDIT;
                case TEXT_TO_IMAGE -> LORA_TEXT_TO_IMAGE;
                case INPAINT -> LORA_INPAINT;
                default -> null;
            };
            case OTHER -> null;
        };
    }

    /** The options dev and LoRA share; their guidance_scale minimum differs (dev 1, LoRA 0). */
    private static List<Field> devOptions(double minGuidance) {
        return List.of(
                optional("seed", integer(null, null)),
                optional("guidance_scale", number(minGuidance, 20)),
                optional("num_images", integer(1L, 4L)),
                optional("output_format", oneOf(OUTPUT_FORMATS)),
                optional("sync_mode", BOOLEAN),
                optional("num_inference_steps", integer(10L, 50L)),
                optional("acceleration", oneOf(ACCELERATIONS)),
                optional("enable_safety_checker", BOOLEAN));
    }

    @SafeVarargs
    private static Schema schema(List<Field>... parts) {
        List<Field> all = new ArrayList<>();
        for (List<Field> p : parts) {
            all.addAll(p);
        }
        return new Schema(List.copyOf(all));
    }

    private static Set<String> familyFields(Schema... schemas) {
        Set<String> names = new LinkedHashSet<>();
        for (Schema s : schemas) {
            s.fields().forEach(f -> names.add(f.name()));
        }
        return Set.copyOf(names);
    }

    private static Field required(String name, Check check) {
        return new Field(name, true, check);
    }

    private static Field optional(String name, Check check) {
        return new Field(name, false, check);
    }

    // --- checks ---------------------------------------------------------------------------------

    private static Check integer(Long min, Long max) {
        return (v, loc, n) -> {
            if (!n.isIntegralNumber()) {
                v.add(loc, "value is not a valid integer", "type_error.integer", null);
            } else if (!n.canConvertToLong()) {
                v.add(loc, "ensure this value is less than or equal to " + Long.MAX_VALUE,
                        "value_error.number.not_le", Map.of("limit_value", Long.MAX_VALUE));
            } else if (min != null && n.asLong() < min) {
                v.add(loc, "ensure this value is greater than or equal to " + min, "value_error.number.not_ge",
                        Map.of("limit_value", min));
            } else if (max != null && n.asLong() > max) {
                v.add(loc, "ensure this value is less than or equal to " + max, "value_error.number.not_le",
                        Map.of("limit_value", max));
            }
        };
    }

    private static Check number(double min, double max) {
        return (v, loc, n) -> {
            if (!n.isNumber()) {
                v.add(loc, "value is not a valid float", "type_error.float", null);
            } else if (n.asDouble() < min) {
                v.add(loc, "ensure this value is greater than or equal to " + limit(min), "value_error.number.not_ge",
                        Map.of("limit_value", limit(min)));
            } else if (n.asDouble() > max) {
                v.add(loc, "ensure this value is less than or equal to " + limit(max), "value_error.number.not_le",
                        Map.of("limit_value", limit(max)));
            }
        };
    }

    private static Check oneOf(List<String> allowed) {
        return (v, loc, n) -> {
            if (!n.isTextual()) {
                // e.g. safety_tolerance: 2 instead of "2" -- fal's schema types it as a string enum
                v.strExpected(loc);
            } else if (!allowed.contains(n.asText())) {
                v.notInEnum(loc, allowed);
            }
        };
    }

    private static void urlList(KontextValidator v, List<Object> loc, JsonNode n) {
        if (!n.isArray()) {
            v.add(loc, "value is not a valid list", "type_error.list", null);
            return;
        }
        if (n.isEmpty()) {
            v.add(loc, "ensure this value has at least 1 items", "value_error.list.min_items", Map.of("limit_value", 1));
            return;
        }
        for (int i = 0; i < n.size(); i++) {
            URL.run(v, at(loc, i), n.get(i));
        }
    }

    /** {@code loras}: a list of {@code {path (required), scale (0-4), force}}. */
    private static void loras(KontextValidator v, List<Object> loc, JsonNode n) {
        if (!n.isArray()) {
            v.add(loc, "value is not a valid list", "type_error.list", null);
            return;
        }
        for (int i = 0; i < n.size(); i++) {
            List<Object> item = at(loc, i);
            JsonNode weight = n.get(i);
            if (!weight.isObject()) {
                v.add(item, "value is not a valid dict", "type_error.dict", null);
                continue;
            }
            if (v.present(weight.get("path"), at(item, "path"), true)) {
                STRING.run(v, at(item, "path"), weight.get("path"));
            }
            if (v.present(weight.get("scale"), at(item, "scale"), false)) {
                number(0, 4).run(v, at(item, "scale"), weight.get("scale"));
            }
            if (v.present(weight.get("force"), at(item, "force"), false)) {
                BOOLEAN.run(v, at(item, "force"), weight.get("force"));
            }
        }
    }

    /**
     * {@code image_size}: a preset name or {@code {width, height}} (each default 512, at most 14142 as
     * fal's ImageSize says). fal's schema gives no lower bound; at least 1 is ours, since no image has
     * fewer pixels.
     */
    private static void imageSize(KontextValidator v, List<Object> loc, JsonNode n) {
        if (n.isTextual()) {
            if (!OutputSize.IMAGE_SIZE_PRESETS.containsKey(n.asText())) {
                v.notInEnum(loc, List.copyOf(OutputSize.IMAGE_SIZE_PRESETS.keySet()));
            }
            return;
        }
        if (!n.isObject()) {
            v.add(loc, "value is not a valid dict", "type_error.dict", null);
            return;
        }
        for (String side : List.of("width", "height")) {
            if (v.present(n.get(side), at(loc, side), false)) {
                integer(1L, MAX_IMAGE_SIDE).run(v, at(loc, side), n.get(side));
            }
        }
    }

    // --- reporting ------------------------------------------------------------------------------

    /** Whether a value is there to check; reports missing/null required fields. Null optional fields count as absent. */
    private boolean present(JsonNode n, List<Object> loc, boolean required) {
        if (n == null || n.isMissingNode()) {
            if (required) {
                add(loc, "field required", "value_error.missing", null);
            }
            return false;
        }
        if (n.isNull()) {
            if (required) {
                add(loc, "none is not an allowed value", "type_error.none.not_allowed", null);
            }
            return false;
        }
        return true;
    }

    private void strExpected(List<Object> loc) {
        add(loc, "str type expected", "type_error.str", null);
    }

    private void notInEnum(List<Object> loc, List<String> allowed) {
        StringBuilder permitted = new StringBuilder();
        for (String a : allowed) {
            permitted.append(permitted.length() == 0 ? "" : ", ").append('\'').append(a).append('\'');
        }
        add(loc, "value is not a valid enumeration member; permitted: " + permitted, "type_error.enum",
                Map.of("enum_values", allowed));
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

    /** A limit as pydantic prints it: 1 for a whole number, 0.01 otherwise. */
    private static Number limit(double d) {
        if (d == Math.rint(d)) {
            return (int) d;
        }
        return d;
    }

    private static List<Object> loc(String field) {
        return List.of("body", field);
    }

    private static List<Object> at(List<Object> loc, Object key) {
        List<Object> out = new ArrayList<>(loc);
        out.add(key);
        return List.copyOf(out);
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
