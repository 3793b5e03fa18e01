package io.github.fluxkontext.camel.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.github.fluxkontext.camel.model.KontextRequest.ACCELERATION;
import static io.github.fluxkontext.camel.model.KontextRequest.ASPECT_RATIO;
import static io.github.fluxkontext.camel.model.KontextRequest.ENABLE_SAFETY_CHECKER;
import static io.github.fluxkontext.camel.model.KontextRequest.ENHANCE_PROMPT;
import static io.github.fluxkontext.camel.model.KontextRequest.IMAGE_SIZE;
import static io.github.fluxkontext.camel.model.KontextRequest.LORAS;
import static io.github.fluxkontext.camel.model.KontextRequest.MASK_URL;
import static io.github.fluxkontext.camel.model.KontextRequest.NUM_INFERENCE_STEPS;
import static io.github.fluxkontext.camel.model.KontextRequest.REFERENCE_IMAGE_URL;
import static io.github.fluxkontext.camel.model.KontextRequest.RESOLUTION_MODE;
import static io.github.fluxkontext.camel.model.KontextRequest.SAFETY_TOLERANCE;
import static io.github.fluxkontext.camel.model.KontextRequest.STRENGTH;

/**
 * The fal endpoints of the Kontext family, each with the model and task it serves and the input fields of its own
 * (fal-protocol §8 for pro and max, §8b for dev and LoRA). The fields every endpoint takes (prompt, seed,
 * guidance_scale, num_images, output_format, sync_mode) and the input images of its task are not listed here.
 */
public enum KontextSchema {
    PRO_EDIT("fal-ai/flux-pro/kontext", "pro", KontextTask.EDIT, Fields.PRO_MAX, 1),
    MAX_EDIT("fal-ai/flux-pro/kontext/max", "max", KontextTask.EDIT, Fields.PRO_MAX, 1),
    PRO_TEXT_TO_IMAGE("fal-ai/flux-pro/kontext/text-to-image", "pro", KontextTask.TEXT_TO_IMAGE, Fields.PRO_MAX, 1),
    MAX_TEXT_TO_IMAGE("fal-ai/flux-pro/kontext/max/text-to-image", "max", KontextTask.TEXT_TO_IMAGE, Fields.PRO_MAX, 1),
    PRO_MULTI("fal-ai/flux-pro/kontext/multi", "pro", KontextTask.MULTI, Fields.PRO_MAX, 1),
    MAX_MULTI("fal-ai/flux-pro/kontext/max/multi", "max", KontextTask.MULTI, Fields.PRO_MAX, 1),
    DEV_EDIT("fal-ai/flux-kontext/dev", "dev", KontextTask.EDIT,
             Fields.dev(RESOLUTION_MODE), 1),
    LORA_EDIT("fal-ai/flux-kontext-lora", "lora", KontextTask.EDIT,
              Fields.dev(RESOLUTION_MODE, LORAS), 0),
    LORA_TEXT_TO_IMAGE("fal-ai/flux-kontext-lora/text-to-image", "lora", KontextTask.TEXT_TO_IMAGE,
                       Fields.dev(IMAGE_SIZE, LORAS), 0),
    LORA_INPAINT("fal-ai/flux-kontext-lora/inpaint", "lora", KontextTask.INPAINT,
                 Fields.dev(STRENGTH, LORAS, MASK_URL, REFERENCE_IMAGE_URL), 0);

    /** The models in the order users read them. */
    public static final List<String> MODELS = List.of("pro", "max", "dev", "lora");

    private final String endpointId;
    private final String model;
    private final KontextTask task;
    private final Set<String> fields;
    private final double minGuidanceScale;

    KontextSchema(String endpointId, String model, KontextTask task, Set<String> fields, double minGuidanceScale) {
        this.endpointId = endpointId;
        this.model = model;
        this.task = task;
        this.fields = fields;
        this.minGuidanceScale = minGuidanceScale;
    }

    /** The endpoint of a model ({@code pro}, {@code max}, {@code dev}, {@code lora}) and task; null where fal has none. */
    public static KontextSchema of(String model, KontextTask task) {
        return Arrays.stream(values()).filter(s -> s.model.equals(model) && s.task == task).findFirst().orElse(null);
    }

    /** The known endpoint with this fal id, or null (another endpoint: only the shared fields are checked). */
    public static KontextSchema ofEndpointId(String endpointId) {
        return Arrays.stream(values()).filter(s -> s.endpointId.equals(endpointId)).findFirst().orElse(null);
    }

    /** The models that have an endpoint for the task, e.g. {@code pro, max} for multi. */
    public static String modelsOf(KontextTask task) {
        return Arrays.stream(values()).filter(s -> s.task == task).map(s -> s.model).distinct().collect(Collectors.joining(", "));
    }

    /**
     * The endpoints that take a field, by model: {@code pro, max} when every endpoint of those models takes it,
     * {@code lora (inpaint)} when only some do.
     */
    static String modelsTaking(String falField) {
        Map<String, List<KontextSchema>> byModel = new LinkedHashMap<>();
        for (String model : MODELS) {
            byModel.put(model, Arrays.stream(values()).filter(s -> s.model.equals(model)).toList());
        }
        return byModel.entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(s -> s.takes(falField)))
                .map(e -> e.getValue().stream().allMatch(s -> s.takes(falField)) ? e.getKey()
                        : e.getKey() + " (" + e.getValue().stream().filter(s -> s.takes(falField)).map(s -> s.taskName())
                                .collect(Collectors.joining(", ")) + ")")
                .collect(Collectors.joining(", "));
    }

    /** fal's endpoint id, e.g. {@code fal-ai/flux-kontext-lora/inpaint}. */
    public String endpointId() {
        return endpointId;
    }

    /** {@code pro}, {@code max}, {@code dev} or {@code lora}. */
    public String model() {
        return model;
    }

    public KontextTask task() {
        return task;
    }

    /** Whether this endpoint takes the field (fal's name) beside the ones every Kontext endpoint takes. */
    public boolean takes(String falField) {
        return fields.contains(falField);
    }

    /** The lowest guidance_scale: 1, or 0 for LoRA. */
    double minGuidanceScale() {
        return minGuidanceScale;
    }

    /** As messages name it: {@code model=lora inpaint (fal-ai/flux-kontext-lora/inpaint)}. */
    String describe() {
        return "model=" + model + " " + taskName() + " (" + endpointId + ")";
    }

    /** The field sets the endpoints share. */
    private static final class Fields {
        static final Set<String> PRO_MAX = Set.of(SAFETY_TOLERANCE, ASPECT_RATIO, ENHANCE_PROMPT);

        /** dev's and LoRA's common fields, and those of one endpoint. */
        static Set<String> dev(String... own) {
            Set<String> fields = new java.util.HashSet<>(Set.of(NUM_INFERENCE_STEPS, ACCELERATION, ENABLE_SAFETY_CHECKER));
            fields.addAll(List.of(own));
            return Set.copyOf(fields);
        }
    }

    private String taskName() {
        return task.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
