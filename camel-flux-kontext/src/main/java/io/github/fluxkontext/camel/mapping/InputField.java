package io.github.fluxkontext.camel.mapping;

import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import io.github.fluxkontext.camel.FluxKontextConstants;
import io.github.fluxkontext.camel.model.KontextRequest;
import org.apache.camel.Message;

/**
 * The Kontext input fields under the three names a user may write them: fal's (a Map body, e.g. {@code num_images}),
 * the option's ({@code numImages}) and the header's ({@code CamelFluxKontextNumImages}). A message about a bad value
 * names the field the way the user gave it.
 */
public enum InputField {

    PROMPT(KontextRequest.PROMPT, "prompt", FluxKontextConstants.PROMPT, KontextRequest::prompt),
    IMAGE_URL(KontextRequest.IMAGE_URL, "imageUrl", FluxKontextConstants.IMAGE_URL, KontextRequest::image),
    IMAGE_URLS(KontextRequest.IMAGE_URLS, null, FluxKontextConstants.IMAGE_URLS, KontextRequest::images),
    SEED(KontextRequest.SEED, "seed", FluxKontextConstants.SEED, KontextRequest::seed),
    GUIDANCE_SCALE(KontextRequest.GUIDANCE_SCALE, "guidanceScale", FluxKontextConstants.GUIDANCE_SCALE, KontextRequest::guidanceScale),
    NUM_IMAGES(KontextRequest.NUM_IMAGES, "numImages", FluxKontextConstants.NUM_IMAGES, KontextRequest::numImages),
    SAFETY_TOLERANCE(KontextRequest.SAFETY_TOLERANCE, "safetyTolerance", FluxKontextConstants.SAFETY_TOLERANCE,
                     KontextRequest::safetyTolerance),
    OUTPUT_FORMAT(KontextRequest.OUTPUT_FORMAT, "outputFormat", FluxKontextConstants.OUTPUT_FORMAT, KontextRequest::outputFormat),
    ASPECT_RATIO(KontextRequest.ASPECT_RATIO, "aspectRatio", FluxKontextConstants.ASPECT_RATIO, KontextRequest::aspectRatio),
    ENHANCE_PROMPT(KontextRequest.ENHANCE_PROMPT, "enhancePrompt", FluxKontextConstants.ENHANCE_PROMPT, KontextRequest::enhancePrompt),
    SYNC_MODE(KontextRequest.SYNC_MODE, "syncMode", FluxKontextConstants.SYNC_MODE, KontextRequest::syncMode),
    NUM_INFERENCE_STEPS(KontextRequest.NUM_INFERENCE_STEPS, "numInferenceSteps", FluxKontextConstants.NUM_INFERENCE_STEPS,
                        KontextRequest::numInferenceSteps),
    ACCELERATION(KontextRequest.ACCELERATION, "acceleration", FluxKontextConstants.ACCELERATION, KontextRequest::acceleration),
    RESOLUTION_MODE(KontextRequest.RESOLUTION_MODE, "resolutionMode", FluxKontextConstants.RESOLUTION_MODE, KontextRequest::resolutionMode),
    ENABLE_SAFETY_CHECKER(KontextRequest.ENABLE_SAFETY_CHECKER, "enableSafetyChecker", FluxKontextConstants.ENABLE_SAFETY_CHECKER,
                          KontextRequest::enableSafetyChecker),
    IMAGE_SIZE(KontextRequest.IMAGE_SIZE, "imageSize", FluxKontextConstants.IMAGE_SIZE, KontextRequest::imageSize),
    LORAS(KontextRequest.LORAS, "loras", FluxKontextConstants.LORAS, KontextRequest::loras),
    STRENGTH(KontextRequest.STRENGTH, "strength", FluxKontextConstants.STRENGTH, KontextRequest::strength),
    MASK_URL(KontextRequest.MASK_URL, "maskUrl", FluxKontextConstants.MASK_URL, KontextRequest::mask),
    REFERENCE_IMAGE_URL(KontextRequest.REFERENCE_IMAGE_URL, "referenceImageUrl", FluxKontextConstants.REFERENCE_IMAGE_URL,
                        KontextRequest::referenceImage);

    private final String falName;
    private final String option;
    private final String header;
    private final Function<KontextRequest, Object> value;

    InputField(String falName, String option, String header, Function<KontextRequest, Object> value) {
        this.falName = falName;
        this.option = option;
        this.header = header;
        this.value = value;
    }

    /** How an endpoint option is named in messages: {@code option numImages} (fal's name for fields with no option). */
    public static String asOption(String falName) {
        InputField field = of(falName);
        return field == null || field.option == null ? falName : "option " + field.option;
    }

    /** A Map body's key as messages name it: fal's name, and the option's where there is one. */
    static String asMapKey(String falName) {
        InputField field = of(falName);
        return "body field " + falName + (field == null || field.option == null ? "" : " (" + field.option + ")");
    }

    /**
     * Names a field of the request mapped from this message the way the user gave it, following the mapper's one
     * rule (header, else body, else option): the header, the Map body's key, the KontextRequest body's field, or the
     * option. Fields given nowhere, and those of a plain body (a prompt String, an image, a list of images), keep
     * fal's name.
     */
    static UnaryOperator<String> namesIn(Message message, KontextRequest fromBody, KontextRequest merged) {
        Object body = message.getBody();
        return falName -> {
            InputField field = of(falName);
            if (field == null) {
                return falName;
            }
            if (message.getHeader(field.header) != null) {
                return "header " + field.header;
            }
            if (field.value.apply(fromBody) != null) {
                if (body instanceof Map) {
                    return asMapKey(falName);
                }
                return body instanceof KontextRequest && field.option != null ? field.option + " of the KontextRequest body" : falName;
            }
            return field.value.apply(merged) != null ? asOption(falName) : falName;
        };
    }

    private static InputField of(String falName) {
        for (InputField field : values()) {
            if (field.falName.equals(falName)) {
                return field;
            }
        }
        return null;
    }
}
