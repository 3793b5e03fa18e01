package io.github.fluxkontext.camel.model;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static io.github.fluxkontext.camel.model.JsonFields.integer;
import static io.github.fluxkontext.camel.model.JsonFields.longValue;
import static io.github.fluxkontext.camel.model.JsonFields.number;
import static io.github.fluxkontext.camel.model.JsonFields.text;

/**
 * The output of a completed Kontext job.
 *
 * @param requestId        fal's request id
 * @param images           the images, in fal's order
 * @param seed             the seed used (reuse it to get the same image again)
 * @param hasNsfwConcepts  one flag per image
 * @param prompt           the prompt used
 * @param timings          fal's timings (e.g. {@code inference} seconds); keys are not fixed by fal
 * @param output           the whole answer as fal sent it, including fields this version does not model
 * @param billableUnits    the units fal bills for the job ({@code x-fal-billable-units} of the result answer), exactly as
 *                         fal wrote them; null when the output came another way (a webhook callback carries none)
 * @param inferenceTime    seconds the job ran: {@code metrics.inference_time} of its last status, else the output's
 *                         {@code timings.inference}; null when fal reported neither
 */
public record KontextResult(String requestId, List<KontextImage> images, Long seed, List<Boolean> hasNsfwConcepts,
                            String prompt, Map<String, Object> timings, JsonNode output, BigDecimal billableUnits,
                            Double inferenceTime) {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    public KontextResult {
        images = images == null ? List.of() : List.copyOf(images);
        hasNsfwConcepts = hasNsfwConcepts == null ? List.of() : List.copyOf(hasNsfwConcepts);
        timings = timings == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(timings));
    }

    /**
     * Reads Kontext's output schema (fal's {@code images}, {@code seed}, {@code has_nsfw_concepts},
     * {@code prompt}, {@code timings}); the tree is kept as it is, not copied.
     *
     * @throws FluxKontextException when the output has no images list, more than Kontext's 4 images, or an image without URL
     */
    public static KontextResult fromJson(String requestId, JsonNode output) {
        JsonNode images = output == null ? null : output.get("images");
        if (images == null || !images.isArray()) {
            throw malformed(requestId, "it has no images list");
        }
        if (images.size() > KontextRequestValidator.MAX_NUM_IMAGES) {
            // Kontext makes at most num_images <= 4: a longer list is not Kontext's, and would be downloaded whole
            throw malformed(requestId, "it lists " + images.size() + " images, and Kontext makes at most "
                                       + KontextRequestValidator.MAX_NUM_IMAGES);
        }
        List<KontextImage> list = new ArrayList<>(images.size());
        for (JsonNode image : images) {
            String url = text(image, "url");
            if (url == null) {
                throw malformed(requestId, "an image has no url");
            }
            list.add(new KontextImage(url, integer(image, "width"), integer(image, "height"), text(image, "content_type"),
                    text(image, "file_name"), longValue(image, "file_size")));
        }
        List<Boolean> nsfw = new ArrayList<>();
        output.path("has_nsfw_concepts").forEach(flag -> nsfw.add(flag.asBoolean()));
        Map<String, Object> timings = output.path("timings").isObject() ? MAPPER.convertValue(output.get("timings"), MAP) : Map.of();
        return new KontextResult(requestId, list, longValue(output, "seed"), nsfw, text(output, "prompt"), timings, output, null,
                number(output.path("timings"), "inference"));
    }

    /**
     * This result with what fal reported of its cost and time outside the output: the billable units of the result
     * answer, and the inference time of the job's last status, which wins over the output's {@code timings} (it is
     * fal's own measure, the same for every model).
     */
    public KontextResult withCost(BigDecimal units, Double statusInferenceTime) {
        return new KontextResult(requestId, images, seed, hasNsfwConcepts, prompt, timings, output, units,
                statusInferenceTime != null ? statusInferenceTime : inferenceTime);
    }

    /** The image URLs (or data URIs), in order. */
    public List<String> imageUrls() {
        return images.stream().map(KontextImage::url).toList();
    }

    /** The whole answer as a Map (made on each call from {@link #output()}), including fields this version does not model. */
    public Map<String, Object> raw() {
        return output == null ? Map.of() : Collections.unmodifiableMap(MAPPER.convertValue(output, MAP));
    }

    private static FluxKontextException malformed(String requestId, String why) {
        return new FluxKontextException("The result of job " + requestId + " cannot be read: " + why, requestId,
                KontextStatus.COMPLETED, null);
    }

    @Override
    public String toString() {
        // the output may hold megabytes of data URIs; keep the string short
        return "KontextResult[requestId=" + requestId + ", images=" + images.size() + ", seed=" + seed
               + ", hasNsfwConcepts=" + hasNsfwConcepts + ", prompt=" + prompt + ", billableUnits=" + billableUnits
               + ", inferenceTime=" + inferenceTime + "]";
    }
}
