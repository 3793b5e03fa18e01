package io.github.fluxkontext.simulator;

import java.awt.Dimension;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Output pixel sizes per aspect ratio (pro/max {@code aspect_ratio}, dev/LoRA {@code resolution_mode}):
 * about one megapixel, multiples of 16, like BFL's own sizes.
 */
final class AspectRatios {

    private static final Map<String, Dimension> SIZES = new LinkedHashMap<>();

    static {
        SIZES.put("21:9", new Dimension(1568, 672));
        SIZES.put("16:9", new Dimension(1392, 752));
        SIZES.put("4:3", new Dimension(1184, 880));
        SIZES.put("3:2", new Dimension(1248, 832));
        SIZES.put("5:4", new Dimension(1120, 896));
        SIZES.put("1:1", new Dimension(1024, 1024));
        SIZES.put("4:5", new Dimension(896, 1120));
        SIZES.put("2:3", new Dimension(832, 1248));
        SIZES.put("3:4", new Dimension(880, 1184));
        SIZES.put("9:16", new Dimension(752, 1392));
        SIZES.put("9:21", new Dimension(672, 1568));
    }

    private AspectRatios() {
    }

    /** The size for a ratio name (1:1 for an unknown one), times the scale, at least 1x1. */
    static Dimension size(String ratio, double scale) {
        return scaled(SIZES.getOrDefault(ratio, SIZES.get("1:1")), scale);
    }

    static Dimension scaled(Dimension d, double scale) {
        return new Dimension(Math.max(1, (int) Math.round(d.width * scale)),
                Math.max(1, (int) Math.round(d.height * scale)));
    }

    /**
     * The ratio among {@code candidates} closest to width:height (compared on a log scale so 2:1 and
     * 1:2 are equally far from 1:1); names without a size here are skipped.
     */
    static String nearest(int width, int height, Collection<String> candidates) {
        double target = Math.log((double) width / height);
        String best = "1:1";
        double bestDistance = Double.MAX_VALUE;
        for (String ratio : candidates) {
            Dimension d = SIZES.get(ratio);
            if (d == null) {
                continue;
            }
            double distance = Math.abs(Math.log((double) d.width / d.height) - target);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = ratio;
            }
        }
        return best;
    }
}
