package io.github.fluxkontext.camel;

import java.util.Arrays;
import java.util.stream.Collectors;

import io.github.fluxkontext.camel.model.KontextTask;

/** The path part of {@code flux-kontext:operation}. */
public enum FluxKontextOperation {
    EDIT("edit", "fal-ai/flux-pro/kontext", "fal-ai/flux-pro/kontext/max", KontextTask.EDIT),
    TEXT_TO_IMAGE("text-to-image", "fal-ai/flux-pro/kontext/text-to-image", "fal-ai/flux-pro/kontext/max/text-to-image",
                  KontextTask.TEXT_TO_IMAGE),
    MULTI("multi", "fal-ai/flux-pro/kontext/multi", "fal-ai/flux-pro/kontext/max/multi", KontextTask.MULTI),
    STATUS("status", null, null, null),
    RESULT("result", null, null, null),
    CANCEL("cancel", null, null, null),
    /** The consumer of fal's completion callbacks ({@code from("flux-kontext:webhook")}); not a producer. */
    WEBHOOK("webhook", null, null, null);

    private final String uriName;
    private final String proEndpointId;
    private final String maxEndpointId;
    private final KontextTask task;

    FluxKontextOperation(String uriName, String proEndpointId, String maxEndpointId, KontextTask task) {
        this.uriName = uriName;
        this.proEndpointId = proEndpointId;
        this.maxEndpointId = maxEndpointId;
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

    /** Whether this operation creates a job (edit, text-to-image, multi). */
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
     * fal's endpoint id for this operation and model ({@code pro} or {@code max}). For status, result
     * and cancel it is the edit endpoint's id, whose app id ({@code fal-ai/flux-pro}) all six share.
     */
    public String endpointId(FluxKontextModel model) {
        FluxKontextOperation source = submits() ? this : EDIT;
        return model == FluxKontextModel.MAX ? source.maxEndpointId : source.proEndpointId;
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
