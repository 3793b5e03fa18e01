package io.github.fluxkontext.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.awt.Dimension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a runner does with a job: check faults and input, then describe the output images (rendered lazily). */
final class KontextModel {

    private final FaultPlan faults;
    private final InputImages inputs;
    private final ImageRenderer renderer;
    private final Urls urls;
    private final double imageScale;

    KontextModel(FaultPlan faults, InputImages inputs, ImageRenderer renderer, Urls urls, double imageScale) {
        this.faults = faults;
        this.inputs = inputs;
        this.renderer = renderer;
        this.urls = urls;
        this.imageScale = imageScale;
    }

    Outcome run(Job job, Instant startedAt, Instant now) {
        if (!job.validationErrors.isEmpty()) {
            return Outcome.validation(job.validationErrors);
        }
        Fault fault = faults.next(FalOperation.JOB, job.requestId);
        if (fault != null) {
            return fault.job().outcome();
        }
        JsonNode in = job.inputNode == null ? MissingNode.getInstance() : job.inputNode;
        EndpointId.Kind kind = job.endpoint.kind();
        String prompt = in.path("prompt").isTextual() ? in.path("prompt").asText() : kind.isKontext() ? ""
                : job.endpoint.id();
        int count = in.path("num_images").isIntegralNumber() ? Math.max(1, Math.min(4, in.path("num_images").asInt())) : 1;
        ImageFormat format = ImageFormat.fromInput(in.path("output_format").asText(null));
        boolean sync = in.path("sync_mode").isBoolean() && in.path("sync_mode").asBoolean();
        List<String> inputUrls = inputUrls(kind, in);
        Dimension size = AspectRatios.size(aspectRatio(kind, in, inputUrls), imageScale);

        List<ImageSpec> specs = new ArrayList<>();
        List<String> imageUrls = new ArrayList<>();
        List<Map<String, Object>> images = new ArrayList<>();
        List<Boolean> nsfw = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ImageSpec spec = new ImageSpec(job.endpoint.id(), kind, prompt, job.seed, i, count, size.width,
                    size.height, format, inputUrls);
            specs.add(spec);
            Map<String, Object> image = new LinkedHashMap<>();
            if (sync) {
                // sync_mode: the image comes back inline as a data URI (fal-protocol §6; MIME string inferred)
                byte[] bytes = renderer.render(spec);
                job.putImage(i, bytes);
                image.put("url", "data:" + format.contentType + ";base64," + Base64.getEncoder().encodeToString(bytes));
                image.put("content_type", format.contentType);
                image.put("width", size.width);
                image.put("height", size.height);
                image.put("file_name", spec.fileName());
                image.put("file_size", bytes.length);
            } else {
                // Rendered on first download, so file_size is not known yet; fal marks it optional.
                image.put("url", urls.fileUrl(job.requestId, spec));
                image.put("content_type", format.contentType);
                image.put("width", size.width);
                image.put("height", size.height);
                image.put("file_name", spec.fileName());
            }
            imageUrls.add((String) image.get("url"));
            images.add(image);
            nsfw.add(Boolean.FALSE);
        }
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("images", images);
        output.put("timings", Map.of("inference", seconds(Duration.between(startedAt, now))));
        output.put("seed", job.seed);
        output.put("has_nsfw_concepts", nsfw);
        output.put("prompt", prompt);
        return Outcome.success(output, specs, imageUrls);
    }

    private static List<String> inputUrls(EndpointId.Kind kind, JsonNode in) {
        List<String> out = new ArrayList<>();
        if (kind == EndpointId.Kind.EDIT && in.path("image_url").isTextual()) {
            out.add(in.path("image_url").asText());
        } else if (kind == EndpointId.Kind.MULTI && in.path("image_urls").isArray()) {
            for (JsonNode n : in.path("image_urls")) {
                if (n.isTextual()) {
                    out.add(n.asText());
                }
            }
        }
        return out;
    }

    /**
     * The requested ratio; else 1:1 for text-to-image, and for edits the (first) input image's ratio
     * mapped to the nearest listed one -- fal does not document the edit default (unsettled), this
     * is the reading that keeps the picture undistorted.
     */
    private String aspectRatio(EndpointId.Kind kind, JsonNode in, List<String> inputUrls) {
        String requested = in.path("aspect_ratio").asText(null);
        if (requested != null && KontextValidator.ASPECT_RATIOS.contains(requested)) {
            return requested;
        }
        if ((kind == EndpointId.Kind.EDIT || kind == EndpointId.Kind.MULTI) && !inputUrls.isEmpty()) {
            Optional<Dimension> d = inputs.dimensions(inputUrls.get(0));
            if (d.isPresent() && d.get().width > 0 && d.get().height > 0) {
                return AspectRatios.nearest(d.get().width, d.get().height);
            }
        }
        return "1:1";
    }

    static double seconds(Duration d) {
        return Math.round(d.toNanos() / 1_000_000.0) / 1000.0;
    }
}
