package io.github.fluxkontext.camel;

import java.util.Arrays;
import java.util.stream.Collectors;

import io.github.fluxkontext.camel.model.KontextSchema;
import io.github.fluxkontext.camel.model.KontextTask;

/** The path part of {@code flux-kontext:operation}. */
public enum FluxKontextOperation {
    EDIT("edit", KontextTask.EDIT),
    TEXT_TO_IMAGE("text-to-image", KontextTask.TEXT_TO_IMAGE),
    MULTI("multi", KontextTask.MULTI),
    /** LoRA only: repaints the masked area of an image after a reference image. */
    INPAINT("inpaint", KontextTask.INPAINT),
    STATUS("status", null),
    RESULT("result", null),
    CANCEL("cancel", null),
    /** The consumer of fal's completion callbacks ({@code from("flux-kontext:webhook")}); not a producer. */
    WEBHOOK("webhook", null);

    private final String uriName;
    private final KontextTask task;

    FluxKontextOperation(String uriName, KontextTask task) {
        this.uriName = uriName;
        this.task = task;
    }

    /** The name used in the URI, e.g. {@code text-to-image}. */
    public String uriName() {
        return uriName;
    }

    /** What a submitting operation does; null for status, result and cancel. */
    public KontextTask task() {
        return task;
    }

    /** Whether this is the consumer of webhook callbacks, the one operation used in {@code from()}. */
    public boolean isConsumer() {
        return this == WEBHOOK;
    }

    /** Whether this operation creates a job (edit, text-to-image, multi, inpaint). */
    public boolean submits() {
        return task != null;
    }

    /** The error of a {@code flux-kontext:} URI used where its operation cannot be: in {@code to()} or in {@code from()}. */
    UnsupportedOperationException misused() {
        return new UnsupportedOperationException(isConsumer()
                ? "flux-kontext:webhook receives fal's callbacks: use it in from(), not in to(); to have a job call it back,"
                  + " submit with webhookUrl (or waitMode=webhook)"
                : "flux-kontext:" + this + " is a producer: use it in to(), not in from(); the consumer is flux-kontext:webhook,"
                  + " which receives fal's callbacks");
    }

    /**
     * fal's endpoint of this operation and model (PRODUCT.md's table), or null where fal has none (multi with dev).
     * For status, result and cancel it is the model's edit endpoint, whose app id ({@code fal-ai/flux-pro},
     * {@code fal-ai/flux-kontext}, {@code fal-ai/flux-kontext-lora}) the model's endpoints share.
     */
    public KontextSchema schema(FluxKontextModel model) {
        return KontextSchema.of(model.toString(), submits() ? task : KontextTask.EDIT);
    }

    /** fal's endpoint id for this operation and model, or null where fal has none. */
    public String endpointId(FluxKontextModel model) {
        KontextSchema schema = schema(model);
        return schema == null ? null : schema.endpointId();
    }

    public static FluxKontextOperation fromUri(String name) {
        for (FluxKontextOperation op : values()) {
            if (op.uriName.equals(name)) {
                return op;
            }
        }
        throw new IllegalArgumentException("Unknown flux-kontext operation '" + name + "'; allowed: "
                                           + Arrays.stream(values()).map(FluxKontextOperation::uriName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return uriName;
    }
}
