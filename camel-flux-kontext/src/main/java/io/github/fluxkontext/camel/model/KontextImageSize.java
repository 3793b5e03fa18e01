package io.github.fluxkontext.camel.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code image_size} of LoRA text-to-image: one of fal's presets ({@code landscape_4_3}, fal's default) or a
 * width and height in pixels.
 *
 * @param preset a preset name, or null for a custom size
 * @param width  pixels of a custom size, or null for a preset
 * @param height pixels of a custom size, or null for a preset
 */
public record KontextImageSize(String preset, Integer width, Integer height) {

    public static final List<String> PRESETS = List.of("square_hd", "square", "portrait_4_3", "portrait_16_9", "landscape_4_3",
            "landscape_16_9");
    /** fal's bound for each side. */
    public static final int MAX_SIDE = 14142;

    public static KontextImageSize preset(String name) {
        return new KontextImageSize(name, null, null);
    }

    public static KontextImageSize of(int width, int height) {
        return new KontextImageSize(null, width, height);
    }

    /**
     * A preset name or {@code WIDTHxHEIGHT} (e.g. {@code 1280x720}), as options and headers write it.
     *
     * @throws IllegalArgumentException for text that is neither
     */
    public static KontextImageSize parse(String text) {
        String t = text.strip();
        int x = t.indexOf('x');
        if (x > 0 && t.substring(0, x).chars().allMatch(Character::isDigit) && t.length() > x + 1
            && t.substring(x + 1).chars().allMatch(Character::isDigit)) {
            try {
                return of(Integer.parseInt(t.substring(0, x)), Integer.parseInt(t.substring(x + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a side of " + t + " is too large", e);
            }
        }
        return preset(t);
    }

    /** fal's JSON: the preset's name, or {@code {"width": w, "height": h}}. */
    public Object toFal() {
        if (preset != null) {
            return preset;
        }
        Map<String, Object> size = new LinkedHashMap<>();
        size.put("width", width);
        size.put("height", height);
        return size;
    }

    @Override
    public String toString() {
        return preset != null ? preset : width + "x" + height;
    }
}
