package io.github.fluxkontext.camel.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The output of a completed Kontext job.
 *
 * @param requestId        fal's request id
 * @param images           the images, in fal's order
 * @param seed             the seed used (reuse it to get the same image again)
 * @param hasNsfwConcepts  one flag per image
 * @param prompt           the prompt used
 * @param timings          fal's timings (e.g. {@code inference} seconds); keys are not fixed by fal
 * @param raw              the whole answer as fal sent it, including fields this version does not model
 */
public record KontextResult(String requestId, List<KontextImage> images, Long seed, List<Boolean> hasNsfwConcepts,
                            String prompt, Map<String, Object> timings, Map<String, Object> raw) {

    public KontextResult {
        images = images == null ? List.of() : List.copyOf(images);
        hasNsfwConcepts = hasNsfwConcepts == null ? List.of() : List.copyOf(hasNsfwConcepts);
        timings = timings == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(timings));
        raw = raw == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(raw));
    }

    /** The image URLs (or data URIs), in order. */
    public List<String> imageUrls() {
        return images.stream().map(KontextImage::url).toList();
    }

    @Override
    public String toString() {
        // raw may hold megabytes of data URIs; keep the string short
        return "KontextResult[requestId=" + requestId + ", images=" + images.size() + ", seed=" + seed
               + ", hasNsfwConcepts=" + hasNsfwConcepts + ", prompt=" + prompt + "]";
    }
}
