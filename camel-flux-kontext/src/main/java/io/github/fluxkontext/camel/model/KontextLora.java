package io.github.fluxkontext.camel.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One LoRA weight of a LoRA endpoint's {@code loras}: fal merges them all into the model.
 *
 * @param path  a URL, path or Hugging Face name of safetensors weights (required)
 * @param scale how strongly it applies, 0 to 4; null for fal's default, 1
 * @param force whether fal loads it even where it would not by default; null to leave it unset
 */
public record KontextLora(String path, Double scale, Boolean force) {

    /** fal's bound for {@code scale}. */
    public static final double MAX_SCALE = 4.0;

    public static KontextLora of(String path, Double scale) {
        return new KontextLora(path, scale, null);
    }

    /**
     * {@code path:scale} or a bare {@code path}, as the option and header write it. The scale is what follows the
     * last colon, and only when that is a number, since paths are often URLs ({@code https://...}).
     */
    public static KontextLora parse(String text) {
        String t = text.strip();
        int colon = t.lastIndexOf(':');
        if (colon > 0) {
            try {
                return of(t.substring(0, colon).strip(), Double.valueOf(t.substring(colon + 1).strip()));
            } catch (NumberFormatException e) {
                // no scale: the colon belongs to the path (a URL's scheme or port)
            }
        }
        return of(t, null);
    }

    /** fal's JSON: {@code {"path": ..., "scale": ..., "force": ...}}, unset parts absent. */
    public Map<String, Object> toFal() {
        Map<String, Object> lora = new LinkedHashMap<>();
        lora.put("path", path);
        if (scale != null) {
            lora.put("scale", scale);
        }
        if (force != null) {
            lora.put("force", force);
        }
        return lora;
    }

    @Override
    public String toString() {
        return scale == null ? path : path + ":" + scale;
    }
}
