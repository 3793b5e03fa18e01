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
import java.util.function.Function;

/** What a runner does with a job: check faults and input, then describe the output images (rendered lazily). */
final class KontextModel {

    /** Inpaint's {@code strength} when the input leaves it out (fal-protocol §8b). */
    static final double DEFAULT_STRENGTH = 0.88;

    private final FaultPlan faults;
    private final ImageRenderer renderer;
    private final Urls urls;
    private final OutputSize sizes;
    private final Function<EndpointId, BillableUnits> billing;

    KontextModel(FaultPlan faults, ImageRenderer renderer, Urls urls, OutputSize sizes,
                 Function<EndpointId, BillableUnits> billing) {
        this.faults = faults;
        this.renderer = renderer;
        this.urls = urls;
        this.sizes = sizes;
        this.billing = billing;
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
        EndpointId endpoint = job.endpoint;
        EndpointId.Kind kind = endpoint.kind();
        String prompt = in.path("prompt").isTextual() ? in.path("prompt").asText() : kind.isKontext() ? ""
                : endpoint.id();
        int count = in.path("num_images").isIntegralNumber() ? Math.max(1, Math.min(4, in.path("num_images").asInt())) : 1;
        ImageFormat format = ImageFormat.fromInput(in.path("output_format").asText(null), ImageFormat.defaultFor(endpoint));
        boolean sync = in.path("sync_mode").isBoolean() && in.path("sync_mode").asBoolean();
        List<String> inputUrls = inputUrls(kind, in);
        Dimension size = sizes.of(endpoint, in, inputUrls);
        List<String> loras = loraLabels(in.path("loras"));
        double strength = in.path("strength").isNumber() ? in.path("strength").asDouble() : DEFAULT_STRENGTH;

        List<ImageSpec> specs = new ArrayList<>();
        List<String> imageUrls = new ArrayList<>();
        List<Map<String, Object>> images = new ArrayList<>();
        List<Boolean> nsfw = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ImageSpec spec = new ImageSpec(endpoint.id(), kind, prompt, job.seed, i, count, size.width,
                    size.height, format, inputUrls, loras, strength);
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
        String units = billing.apply(endpoint).headerValue(specs);
        return Outcome.success(output, specs, imageUrls,
                units == null ? Map.of() : Map.of(Outcome.BILLABLE_UNITS_HEADER, units));
    }

    /** The input images: the one to edit, the ones to combine, or inpaint's image, mask and reference. */
    private static List<String> inputUrls(EndpointId.Kind kind, JsonNode in) {
        List<String> out = new ArrayList<>();
        if (kind == EndpointId.Kind.EDIT) {
            addText(out, in.path("image_url"));
        } else if (kind == EndpointId.Kind.INPAINT) {
            addText(out, in.path("image_url"));
            addText(out, in.path("mask_url"));
            addText(out, in.path("reference_image_url"));
        } else if (kind == EndpointId.Kind.MULTI) {
            in.path("image_urls").forEach(n -> addText(out, n));
        }
        return out;
    }

    private static void addText(List<String> out, JsonNode n) {
        if (n.isTextual()) {
            out.add(n.asText());
        }
    }

    /** {@code loras} as the image shows them: the weights' file name and scale, e.g. {@code "ghibli.safetensors x0.8"}. */
    static List<String> loraLabels(JsonNode loras) {
        List<String> labels = new ArrayList<>();
        for (JsonNode weight : loras) {
            String path = weight.path("path").asText("");
            String name = path.replaceAll("[?#].*$", "").replaceAll("/+$", "");
            name = name.substring(name.lastIndexOf('/') + 1);
            double scale = weight.path("scale").isNumber() ? weight.path("scale").asDouble() : 1.0;
            labels.add((name.isEmpty() ? path : name) + " x" + scale);
        }
        return List.copyOf(labels);
    }

    static double seconds(Duration d) {
        return Math.round(d.toNanos() / 1_000_000.0) / 1000.0;
    }
}
