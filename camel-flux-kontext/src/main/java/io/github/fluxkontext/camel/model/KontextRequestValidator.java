package io.github.fluxkontext.camel.model;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Checks a request against FLUX.1 Kontext's input schema before anything is sent, so bad input costs
 * nothing. Each failure names the fal field, the value and what is allowed.
 */
public final class KontextRequestValidator {

    public static final List<String> OUTPUT_FORMATS = List.of("jpeg", "png");
    public static final List<String> ASPECT_RATIOS = List.of("21:9", "16:9", "4:3", "3:2", "1:1", "2:3", "3:4", "9:16", "9:21");
    public static final List<String> SAFETY_TOLERANCES = List.of("1", "2", "3", "4", "5", "6");
    public static final List<String> ACCELERATIONS = List.of("none", "regular", "high");
    public static final List<String> RESOLUTION_MODES = List.of("auto", "match_input", "1:1", "16:9", "21:9", "3:2", "2:3", "4:5",
            "5:4", "3:4", "4:3", "9:16", "9:21");
    /** dev's and LoRA's {@code num_inference_steps} range (fal's generated schemas, fal-js {@code zod.gen.ts}). */
    public static final int MIN_INFERENCE_STEPS = 10;
    public static final int MAX_INFERENCE_STEPS = 50;
    /** fal's storage takes single uploads up to about 90 MB (larger ones need its multipart flow). */
    public static final long MAX_UPLOAD_SIZE = 90L * 1024 * 1024;
    /** Kontext's {@code num_images} goes up to 4, so a result lists at most 4 images. */
    public static final int MAX_NUM_IMAGES = 4;
    /**
     * The most input images of multi. fal documents no limit for {@code image_urls} (fal-protocol §8,
     * unsettled); the component sets one so that a request, and the memory it takes, stays bounded
     * (each image inline may hold up to maxInlineImageSize). Kontext's multi examples combine two.
     */
    public static final int MAX_INPUT_IMAGES = 10;
    /**
     * The seed range. fal's schema says only "integer"; generated seeds are unsigned 32-bit values, so the
     * component accepts 0 to 2^32-1 (the safe reading: a seed fal might read differently is refused before
     * anything is billed).
     */
    public static final long MAX_SEED = 4_294_967_295L;
    private static final Set<String> URL_SCHEMES = Set.of("http", "https");

    private KontextRequestValidator() {
    }

    /**
     * By pro's rules for the task (LoRA's for inpaint, which only LoRA has).
     *
     * @param request        the merged request
     * @param task           what the job does (decides the images it takes)
     * @param maxInlineBytes the largest image that may travel inline as a data URI
     * @param inlineLocal    whether local images will be inlined (false when they are uploaded)
     * @throws FluxKontextValidationException on the first rule broken, naming fal's field
     */
    public static void validate(KontextRequest request, KontextTask task, long maxInlineBytes, boolean inlineLocal) {
        validate(request, task, maxInlineBytes, inlineLocal, UnaryOperator.identity());
    }

    /**
     * The same, naming each field as the user gave it ({@code names} turns fal's field name, e.g. {@code num_images},
     * into what the message should say, e.g. {@code header CamelFluxKontextNumImages}).
     *
     * @throws FluxKontextValidationException on the first rule broken
     */
    public static void validate(KontextRequest request, KontextTask task, long maxInlineBytes, boolean inlineLocal,
                                UnaryOperator<String> names) {
        validate(request, defaultSchema(task), task, maxInlineBytes, inlineLocal, names);
    }

    /**
     * By the rules of one fal endpoint: the fields every Kontext endpoint takes, the images of the task, and the
     * endpoint's own fields; a field of another Kontext endpoint is refused, naming the models that have it (fal would
     * ignore it, and the user would never know). For an endpoint the component does not know ({@code schema} null, an
     * endpointId of another model) only the fields every Kontext endpoint takes are checked: the others are sent as given.
     *
     * @param schema the endpoint submitted to, or null for another one
     * @throws FluxKontextValidationException on the first rule broken, the field named by {@code names}
     */
    public static void validate(KontextRequest request, KontextSchema schema, KontextTask task, long maxInlineBytes,
                                boolean inlineLocal, UnaryOperator<String> names) {
        String prompt = request.prompt();
        if (prompt == null || prompt.isBlank()) {
            throw new FluxKontextValidationException(names.apply(KontextRequest.PROMPT), prompt,
                    "a non-blank prompt is required (body String, header CamelFluxKontextPrompt or option prompt)");
        }
        checkFieldsBelong(request, schema, names);
        checkImages(request, task, maxInlineBytes, inlineLocal, names);
        checkValues(request, schema, names);
    }

    /**
     * Only the fields the request has, and none it must have, by pro's rules: see
     * {@link #validateGiven(KontextRequest, KontextSchema, long, UnaryOperator)}.
     */
    public static void validateGiven(KontextRequest request, long maxInlineBytes, UnaryOperator<String> names) {
        validateGiven(request, KontextSchema.PRO_EDIT, maxInlineBytes, names);
    }

    /**
     * Only the fields the request has, and none it must have: for values fixed before any message comes, such as
     * an endpoint's options, which messages complete (the prompt, the images). An image given here must be a URL.
     *
     * @param schema the endpoint submitted to, or null for another one (only the shared fields are checked)
     * @throws FluxKontextValidationException on the first rule broken, the field named by {@code names}
     */
    public static void validateGiven(KontextRequest request, KontextSchema schema, long maxInlineBytes, UnaryOperator<String> names) {
        checkFieldsBelong(request, schema, names);
        for (Map.Entry<String, KontextInputImage> image : namedImages(request).entrySet()) {
            checkImage(names.apply(image.getKey()), image.getValue(), maxInlineBytes, true);
        }
        checkValues(request, schema, names);
    }

    /** Pro's endpoint of a task, or LoRA's for inpaint. */
    private static KontextSchema defaultSchema(KontextTask task) {
        KontextSchema pro = KontextSchema.of("pro", task);
        return pro != null ? pro : KontextSchema.of("lora", task);
    }

    /** The fields only some Kontext endpoints take, with the request's values (null when unset). */
    private static Map<String, Object> ownFields(KontextRequest request) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put(KontextRequest.SAFETY_TOLERANCE, request.safetyTolerance());
        fields.put(KontextRequest.ASPECT_RATIO, request.aspectRatio());
        fields.put(KontextRequest.ENHANCE_PROMPT, request.enhancePrompt());
        fields.put(KontextRequest.NUM_INFERENCE_STEPS, request.numInferenceSteps());
        fields.put(KontextRequest.ACCELERATION, request.acceleration());
        fields.put(KontextRequest.RESOLUTION_MODE, request.resolutionMode());
        fields.put(KontextRequest.ENABLE_SAFETY_CHECKER, request.enableSafetyChecker());
        fields.put(KontextRequest.IMAGE_SIZE, request.imageSize());
        fields.put(KontextRequest.LORAS, request.loras());
        fields.put(KontextRequest.STRENGTH, request.strength());
        fields.put(KontextRequest.MASK_URL, request.mask());
        fields.put(KontextRequest.REFERENCE_IMAGE_URL, request.referenceImage());
        return fields;
    }

    /** A field set for an endpoint that does not have it is refused: fal would ignore it without a word. */
    private static void checkFieldsBelong(KontextRequest request, KontextSchema schema, UnaryOperator<String> names) {
        if (schema == null) {
            return;
        }
        for (Map.Entry<String, Object> field : ownFields(request).entrySet()) {
            if (field.getValue() != null && !schema.takes(field.getKey())) {
                throw new FluxKontextValidationException(names.apply(field.getKey()), field.getValue(), schema.describe()
                        + " has no " + field.getKey() + ", so fal would ignore it; models that have it: "
                        + KontextSchema.modelsTaking(field.getKey()));
            }
        }
    }

    /** The single input images of a request by fal's field name: image_url, mask_url, reference_image_url. */
    private static Map<String, KontextInputImage> namedImages(KontextRequest request) {
        Map<String, KontextInputImage> images = new LinkedHashMap<>();
        if (request.image() != null) {
            images.put(KontextRequest.IMAGE_URL, request.image());
        }
        if (request.mask() != null) {
            images.put(KontextRequest.MASK_URL, request.mask());
        }
        if (request.referenceImage() != null) {
            images.put(KontextRequest.REFERENCE_IMAGE_URL, request.referenceImage());
        }
        return images;
    }

    private static void checkValues(KontextRequest request, KontextSchema schema, UnaryOperator<String> names) {
        Double guidance = request.guidanceScale();
        // another endpoint: the widest range of the family (LoRA's), so that nothing one of them takes is refused
        double minGuidance = schema == null ? 0 : schema.minGuidanceScale();
        if (guidance != null && !(guidance >= minGuidance && guidance <= 20.0)) {
            throw new FluxKontextValidationException(names.apply(KontextRequest.GUIDANCE_SCALE), guidance,
                    "allowed: a number from " + (minGuidance == 0 ? "0" : "1") + " to 20");
        }
        Integer numImages = request.numImages();
        if (numImages != null && (numImages < 1 || numImages > MAX_NUM_IMAGES)) {
            throw new FluxKontextValidationException(names.apply(KontextRequest.NUM_IMAGES), numImages,
                    "allowed: an integer from 1 to " + MAX_NUM_IMAGES);
        }
        Long seed = request.seed();
        if (seed != null && (seed < 0 || seed > MAX_SEED)) {
            throw new FluxKontextValidationException(names.apply(KontextRequest.SEED), seed, "allowed: an integer from 0 to " + MAX_SEED);
        }
        oneOf(names.apply(KontextRequest.OUTPUT_FORMAT), request.outputFormat(), OUTPUT_FORMATS);
        if (schema == null) {
            return; // another endpoint's own fields are its business: sent as given
        }
        oneOf(names.apply(KontextRequest.SAFETY_TOLERANCE), request.safetyTolerance(), SAFETY_TOLERANCES);
        oneOf(names.apply(KontextRequest.ASPECT_RATIO), request.aspectRatio(), ASPECT_RATIOS);
        checkFamilyValues(request, names);
    }

    /** The values of dev's and LoRA's own fields. */
    private static void checkFamilyValues(KontextRequest request, UnaryOperator<String> names) {
        Integer steps = request.numInferenceSteps();
        if (steps != null && (steps < MIN_INFERENCE_STEPS || steps > MAX_INFERENCE_STEPS)) {
            throw new FluxKontextValidationException(names.apply(KontextRequest.NUM_INFERENCE_STEPS), steps,
                    "allowed: an integer from " + MIN_INFERENCE_STEPS + " to " + MAX_INFERENCE_STEPS);
        }
        oneOf(names.apply(KontextRequest.ACCELERATION), request.acceleration(), ACCELERATIONS);
        oneOf(names.apply(KontextRequest.RESOLUTION_MODE), request.resolutionMode(), RESOLUTION_MODES);
        Double strength = request.strength();
        if (strength != null && !(strength >= 0.01 && strength <= 1.0)) {
            throw new FluxKontextValidationException(names.apply(KontextRequest.STRENGTH), strength, "allowed: a number from 0.01 to 1");
        }
        checkImageSize(names.apply(KontextRequest.IMAGE_SIZE), request.imageSize());
        checkLoras(names.apply(KontextRequest.LORAS), request.loras());
    }

    private static void checkImageSize(String field, KontextImageSize size) {
        if (size == null) {
            return;
        }
        if (size.preset() != null) {
            oneOf(field, size.preset(), KontextImageSize.PRESETS, " or WIDTHxHEIGHT, e.g. 1280x720");
            return;
        }
        Integer width = size.width();
        Integer height = size.height();
        if (width == null || height == null || width < 1 || height < 1 || width > KontextImageSize.MAX_SIDE
            || height > KontextImageSize.MAX_SIDE) {
            throw new FluxKontextValidationException(field, size, "allowed: a width and a height of 1 to " + KontextImageSize.MAX_SIDE
                                                                  + " pixels each, or a preset: " + String.join(", ", KontextImageSize.PRESETS));
        }
    }

    private static void checkLoras(String field, List<KontextLora> loras) {
        if (loras == null) {
            return;
        }
        for (int i = 0; i < loras.size(); i++) {
            KontextLora lora = loras.get(i);
            if (lora == null || lora.path() == null || lora.path().isBlank()) {
                throw new FluxKontextValidationException(field + "[" + i + "]", lora,
                        "each LoRA needs a path: a URL, path or Hugging Face name of safetensors weights");
            }
            Double scale = lora.scale();
            if (scale != null && !(scale >= 0 && scale <= KontextLora.MAX_SCALE)) {
                throw new FluxKontextValidationException(field + "[" + i + "]", lora, "allowed: a scale from 0 to 4");
            }
        }
    }

    private static void checkImages(KontextRequest request, KontextTask task, long maxInlineBytes, boolean inlineLocal,
                                    UnaryOperator<String> names) {
        String imageUrl = names.apply(KontextRequest.IMAGE_URL);
        String imageUrls = names.apply(KontextRequest.IMAGE_URLS);
        KontextInputImage image = request.image();
        List<KontextInputImage> images = request.images();
        switch (task) {
            case TEXT_TO_IMAGE -> {
                if (image != null) {
                    throw new FluxKontextValidationException(imageUrl, image,
                            "text-to-image takes no input image; use flux-kontext:edit to edit an image");
                }
                if (images != null) {
                    throw new FluxKontextValidationException(imageUrls, images.size() + " images",
                            "text-to-image takes no input image; use flux-kontext:multi to combine images");
                }
            }
            case EDIT, INPAINT -> {
                String operation = task == KontextTask.EDIT ? "edit" : "inpaint";
                if (images != null) {
                    throw new FluxKontextValidationException(imageUrls, images.size() + " images",
                            operation + " takes exactly one image (image_url); use flux-kontext:multi for several");
                }
                if (image == null) {
                    throw new FluxKontextValidationException(imageUrl, null,
                            operation + " needs exactly one input image: an image body (byte[], File, Path, InputStream),"
                            + " header CamelFluxKontextImageUrl or option imageUrl");
                }
                checkImage(imageUrl, image, maxInlineBytes, inlineLocal);
                if (task == KontextTask.INPAINT) {
                    require(names.apply(KontextRequest.MASK_URL), request.mask(), "the mask, white where the image is repainted:"
                            + " header CamelFluxKontextMaskUrl, option maskUrl or body field mask_url");
                    require(names.apply(KontextRequest.REFERENCE_IMAGE_URL), request.referenceImage(), "the image the masked"
                            + " area is painted after: header CamelFluxKontextReferenceImageUrl, option referenceImageUrl or"
                            + " body field reference_image_url");
                }
            }
            case MULTI -> {
                if (image != null) {
                    throw new FluxKontextValidationException(imageUrl, image,
                            "multi takes its images as a list (image_urls: a List body or header CamelFluxKontextImageUrls)");
                }
                if (images == null || images.isEmpty()) {
                    throw new FluxKontextValidationException(imageUrls, images == null ? null : "an empty list",
                            "multi needs at least one input image: a List body or header CamelFluxKontextImageUrls");
                }
                if (images.size() > MAX_INPUT_IMAGES) {
                    throw new FluxKontextValidationException(imageUrls, images.size() + " images",
                            "multi takes at most " + MAX_INPUT_IMAGES + " input images");
                }
                for (int i = 0; i < images.size(); i++) {
                    if (images.get(i) == null) {
                        throw new FluxKontextValidationException(imageUrls + "[" + i + "]", null,
                                "every entry must be an image URL, a data URI or image bytes");
                    }
                    checkImage(imageUrls + "[" + i + "]", images.get(i), maxInlineBytes, inlineLocal);
                }
            }
            default -> throw new IllegalStateException("unknown task " + task);
        }
        // inpaint's images, wherever they were given (another endpoint's field, or refused above for a known one)
        if (request.mask() != null) {
            checkImage(names.apply(KontextRequest.MASK_URL), request.mask(), maxInlineBytes, inlineLocal);
        }
        if (request.referenceImage() != null) {
            checkImage(names.apply(KontextRequest.REFERENCE_IMAGE_URL), request.referenceImage(), maxInlineBytes, inlineLocal);
        }
    }

    private static void require(String field, KontextInputImage image, String what) {
        if (image == null) {
            throw new FluxKontextValidationException(field, null, "inpaint needs " + what);
        }
    }

    private static void checkImage(String field, KontextInputImage image, long maxInlineBytes, boolean inlineLocal) {
        if (image.isUrl()) {
            String url = image.url();
            if (url.regionMatches(true, 0, "data:", 0, 5)) {
                checkDataUri(field, url, maxInlineBytes);
            } else {
                checkHttpUrl(field, url);
            }
            return;
        }
        long size;
        try {
            size = image.size();
        } catch (UncheckedIOException e) {
            throw new FluxKontextValidationException(field, image.path(), "the file cannot be read (" + e.getCause() + ")");
        }
        if (size == 0) {
            throw new FluxKontextValidationException(field, "0 bytes", "an image must not be empty");
        }
        if (image.format() == null) {
            throw new FluxKontextValidationException(field, image + " (" + size + " bytes)",
                    "the data is not an image of an accepted type; allowed: " + ImageFormat.ACCEPTED);
        }
        if (inlineLocal && size > maxInlineBytes) {
            throw new FluxKontextValidationException(field, image + " of " + size + " bytes",
                    "images sent inline may hold at most " + maxInlineBytes
                    + " bytes (option maxInlineImageSize); for larger images set imageUpload=fal-storage to upload them to fal's storage");
        }
        if (!inlineLocal && size > MAX_UPLOAD_SIZE) {
            throw new FluxKontextValidationException(field, image + " of " + size + " bytes",
                    "uploads to fal's storage may hold at most " + MAX_UPLOAD_SIZE + " bytes");
        }
    }

    private static void checkHttpUrl(String field, String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            if (scheme == null || !URL_SCHEMES.contains(scheme) || uri.getHost() == null) {
                throw new FluxKontextValidationException(field, url, "allowed: an http(s) URL with a host, or a data:image/...;base64 URI");
            }
        } catch (URISyntaxException e) {
            throw new FluxKontextValidationException(field, url, "not a valid URL (" + e.getReason()
                    + "); allowed: an http(s) URL or a data:image/...;base64 URI");
        }
    }

    /** data:[image/png|jpeg|webp|gif|avif];base64,[payload], with a payload that decodes and fits inline. */
    private static void checkDataUri(String field, String uri, long maxInlineBytes) {
        int comma = uri.indexOf(',');
        String header = comma < 0 ? uri : uri.substring(5, comma);
        String[] parts = header.split(";");
        if (comma < 0 || parts.length < 2 || !"base64".equalsIgnoreCase(parts[parts.length - 1])) {
            throw new FluxKontextValidationException(field, uri, "a data URI must have the form data:image/<type>;base64,<data>");
        }
        if (ImageFormat.ofMimeType(parts[0]) == null) {
            throw new FluxKontextValidationException(field, uri, "the data URI's type '" + parts[0]
                    + "' is not an accepted image type; allowed: " + ImageFormat.ACCEPTED);
        }
        int payloadChars = uri.length() - comma - 1;
        if (payloadChars == 0) {
            throw new FluxKontextValidationException(field, uri, "the data URI holds no data");
        }
        long decodedSize = (long) payloadChars * 3 / 4;
        if (decodedSize > maxInlineBytes) {
            throw new FluxKontextValidationException(field, "a data URI of about " + decodedSize + " bytes",
                    "images sent inline may hold at most " + maxInlineBytes
                    + " bytes (option maxInlineImageSize); use an http(s) URL or imageUpload=fal-storage with the image bytes");
        }
        try {
            Base64.getDecoder().decode(uri.substring(comma + 1));
        } catch (IllegalArgumentException e) {
            throw new FluxKontextValidationException(field, uri, "the data URI's payload is not valid base64 (" + e.getMessage() + ")");
        }
    }

    private static void oneOf(String field, String value, List<String> allowed) {
        oneOf(field, value, allowed, "");
    }

    private static void oneOf(String field, String value, List<String> allowed, String more) {
        if (value != null && !allowed.contains(value)) {
            throw new FluxKontextValidationException(field, value, "allowed: " + String.join(", ", allowed) + more);
        }
    }
}
