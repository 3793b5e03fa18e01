package io.github.fluxkontext.simulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.awt.Dimension;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pixel size of a job's output images, as each endpoint decides it: pro/max by {@code aspect_ratio},
 * dev and LoRA edits by {@code resolution_mode}, LoRA text-to-image by {@code image_size}, inpaint by
 * the input image. Everything is multiplied by {@code imageScale} except inpaint, which keeps the
 * input's pixels where the mask leaves them alone.
 */
final class OutputSize {

    /** fal's presets for {@code image_size} (docs.fal.ai, "Model arguments"). */
    static final Map<String, Dimension> IMAGE_SIZE_PRESETS;
    static final String DEFAULT_IMAGE_SIZE = "landscape_4_3";
    /** {@code image_size} object fields that are left out. */
    static final int DEFAULT_IMAGE_SIDE = 512;
    /**
     * The simulator's own limit for sizes taken as given (custom {@code image_size}, {@code match_input},
     * inpaint): fal allows sides up to 14142 px, but drawing 200 megapixels would take the simulator
     * minutes and gigabytes. Larger sizes are scaled down, keeping the ratio; the output reports the
     * size drawn.
     */
    static final int MAX_PIXELS = 2048 * 2048;

    static {
        Map<String, Dimension> presets = new LinkedHashMap<>();
        presets.put("square_hd", new Dimension(1024, 1024));
        presets.put("square", new Dimension(512, 512));
        presets.put("portrait_4_3", new Dimension(768, 1024));
        presets.put("portrait_16_9", new Dimension(576, 1024));
        presets.put("landscape_4_3", new Dimension(1024, 768));
        presets.put("landscape_16_9", new Dimension(1024, 576));
        IMAGE_SIZE_PRESETS = Collections.unmodifiableMap(presets);
    }

    private final InputImages inputs;
    private final double scale;

    OutputSize(InputImages inputs, double scale) {
        this.inputs = inputs;
        this.scale = scale;
    }

    /** @param inputUrls the job's input images; the first one is the image an edit or inpaint starts from */
    Dimension of(EndpointId endpoint, JsonNode in, List<String> inputUrls) {
        Optional<Dimension> input = inputUrls.isEmpty() ? Optional.empty() : inputs.dimensions(inputUrls.get(0))
                .filter(d -> d.width > 0 && d.height > 0);
        if (endpoint.kind() == EndpointId.Kind.INPAINT) {
            return input.map(OutputSize::bounded).orElseGet(() -> AspectRatios.size("1:1", scale));
        }
        return switch (endpoint.family()) {
            case DEV, LORA -> endpoint.kind() == EndpointId.Kind.TEXT_TO_IMAGE ? imageSize(in.path("image_size"))
                    : resolutionMode(in.path("resolution_mode").asText("match_input"), input);
            case PRO_MAX, OTHER -> AspectRatios.size(aspectRatio(endpoint.kind(), in, input), scale);
        };
    }

    /**
     * The requested ratio; else 1:1 for text-to-image, and for edits the (first) input image's ratio
     * mapped to the nearest listed one -- fal does not document the edit default (unsettled), this
     * is the reading that keeps the picture undistorted.
     */
    private static String aspectRatio(EndpointId.Kind kind, JsonNode in, Optional<Dimension> input) {
        String requested = in.path("aspect_ratio").asText(null);
        if (requested != null && KontextValidator.ASPECT_RATIOS.contains(requested)) {
            return requested;
        }
        if ((kind == EndpointId.Kind.EDIT || kind == EndpointId.Kind.MULTI) && input.isPresent()) {
            return AspectRatios.nearest(input.get().width, input.get().height, KontextValidator.ASPECT_RATIOS);
        }
        return "1:1";
    }

    /**
     * fal: {@code auto} picks the listed resolution closest to the input's ratio; {@code match_input}
     * (the default) keeps the input's size, "adjusted to multiples of 16 and within supported limits";
     * a ratio is that ratio. An input the simulator cannot read gives 1:1.
     */
    private Dimension resolutionMode(String mode, Optional<Dimension> input) {
        if (!mode.equals("auto") && !mode.equals("match_input")) {
            return AspectRatios.size(mode, scale);
        }
        if (input.isEmpty()) {
            return AspectRatios.size("1:1", scale);
        }
        Dimension d = input.get();
        if (mode.equals("auto")) {
            return AspectRatios.size(AspectRatios.nearest(d.width, d.height, KontextValidator.RESOLUTION_MODES), scale);
        }
        return bounded(AspectRatios.scaled(new Dimension(multipleOf16(d.width), multipleOf16(d.height)), scale));
    }

    /** A preset, or {@code {width, height}} as given (each 512 if left out), times the scale. */
    private Dimension imageSize(JsonNode n) {
        if (n.isObject()) {
            Dimension given = new Dimension(side(n.path("width")), side(n.path("height")));
            return bounded(AspectRatios.scaled(given, scale));
        }
        Dimension preset = IMAGE_SIZE_PRESETS.getOrDefault(n.asText(DEFAULT_IMAGE_SIZE),
                IMAGE_SIZE_PRESETS.get(DEFAULT_IMAGE_SIZE));
        return AspectRatios.scaled(preset, scale);
    }

    private static int side(JsonNode n) {
        return n.isIntegralNumber() && n.asLong() >= 1 && n.asLong() <= KontextValidator.MAX_IMAGE_SIDE
                ? n.asInt() : DEFAULT_IMAGE_SIDE;
    }

    private static int multipleOf16(int side) {
        return Math.max(16, Math.round(side / 16f) * 16);
    }

    /** The size itself, or scaled down to {@link #MAX_PIXELS} keeping the ratio. */
    static Dimension bounded(Dimension d) {
        double pixels = (double) d.width * d.height;
        if (pixels <= MAX_PIXELS) {
            return d;
        }
        double f = Math.sqrt(MAX_PIXELS / pixels);
        return new Dimension(Math.max(1, (int) (d.width * f)), Math.max(1, (int) (d.height * f)));
    }
}
