package io.github.fluxkontext.simulator;

import java.util.List;

/**
 * What a successful result answers in {@code x-fal-billable-units}: the units fal bills for the
 * request, in whatever unit the model is priced in. What a unit means is fal's (and its price list's);
 * the simulator only makes a plausible number. By default: one unit per image for pro, max and dev
 * (priced per image), and per megapixel for the LoRA endpoints (priced per megapixel, each image
 * rounded up to a whole one, as fal's price list says). Choose another with
 * {@link FalSimulatorBuilder#billableUnits(String, BillableUnits)}, e.g. {@link #fixed(String)}
 * to see a client read fal's fractional units such as {@code "3.008"}.
 */
public final class BillableUnits {

    private enum Rule { PER_IMAGE, PER_MEGAPIXEL, FIXED, NONE }

    private static final double MEGAPIXEL = 1024 * 1024;

    private final Rule rule;
    private final String fixedValue;

    private BillableUnits(Rule rule, String fixedValue) {
        this.rule = rule;
        this.fixedValue = fixedValue;
    }

    /** One unit per output image. */
    public static BillableUnits perImage() {
        return new BillableUnits(Rule.PER_IMAGE, null);
    }

    /**
     * Each output image's megapixels (of 1024x1024 pixels, so fal's 1024x1024 image is one) rounded up
     * to a whole one, summed: a 1024x768 image is 1, 1200x1000 is 2.
     */
    public static BillableUnits perMegapixel() {
        return new BillableUnits(Rule.PER_MEGAPIXEL, null);
    }

    /** Always this header value, as given (e.g. {@code "3.008"}). */
    public static BillableUnits fixed(String value) {
        if (value == null || value.isBlank() || value.contains("\n") || value.contains("\r")) {
            throw new IllegalArgumentException("a billable units value must be a non-blank single line");
        }
        return new BillableUnits(Rule.FIXED, value);
    }

    /** No {@code x-fal-billable-units} header at all. */
    public static BillableUnits none() {
        return new BillableUnits(Rule.NONE, null);
    }

    /** The default of an endpoint: per megapixel for the LoRA endpoints, per image for the others. */
    static BillableUnits defaultFor(EndpointId endpoint) {
        return endpoint.family() == EndpointId.Family.LORA ? perMegapixel() : perImage();
    }

    /** The header value for a job's output images, or null for no header. */
    String headerValue(List<ImageSpec> images) {
        return switch (rule) {
            case PER_IMAGE -> Integer.toString(images.size());
            case PER_MEGAPIXEL -> Long.toString(images.stream()
                    .mapToLong(i -> Math.max(1, (long) Math.ceil((double) i.width() * i.height() / MEGAPIXEL)))
                    .sum());
            case FIXED -> fixedValue;
            case NONE -> null;
        };
    }

    @Override
    public String toString() {
        return rule == Rule.FIXED ? "BillableUnits.fixed(" + fixedValue + ")" : "BillableUnits." + rule;
    }
}
