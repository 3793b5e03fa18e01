package io.github.fluxkontext.camel;

import org.apache.camel.spi.Metadata;

/**
 * The message headers of the {@code flux-kontext} component. Input headers override the body and the
 * endpoint options for one message. Output headers have names of their own, so that they never feed
 * a following {@code flux-kontext} call by accident; the only ones read back are
 * {@link #REQUEST_ID} and {@link #ENDPOINT_ID}, and only by {@code status}, {@code result} and
 * {@code cancel}.
 */
public final class FluxKontextConstants {

    // ---- input: the Kontext fields (read by edit, text-to-image, multi and inpaint)

    @Metadata(label = "producer", description = "The prompt: the edit instruction or the text-to-image description."
                                                + " Overrides a String body and the prompt option.", javaType = "String")
    public static final String PROMPT = "CamelFluxKontextPrompt";
    @Metadata(label = "producer", description = "The input image of edit and inpaint: an http(s) URL or a data URI.", javaType = "String")
    public static final String IMAGE_URL = "CamelFluxKontextImageUrl";
    @Metadata(label = "producer", description = "The input images of multi, in order: URLs, data URIs or image values"
                                                + " (byte arrays, File, Path, InputStream).", javaType = "java.util.List")
    public static final String IMAGE_URLS = "CamelFluxKontextImageUrls";
    @Metadata(label = "producer", description = "The seed; the same seed and prompt give the same image.", javaType = "Long")
    public static final String SEED = "CamelFluxKontextSeed";
    @Metadata(label = "producer", description = "Guidance scale (CFG), 1 to 20.", javaType = "Double")
    public static final String GUIDANCE_SCALE = "CamelFluxKontextGuidanceScale";
    @Metadata(label = "producer", description = "Number of images, 1 to 4.", javaType = "Integer")
    public static final String NUM_IMAGES = "CamelFluxKontextNumImages";
    @Metadata(label = "producer", description = "Safety tolerance, \"1\" (strictest) to \"6\".", javaType = "String")
    public static final String SAFETY_TOLERANCE = "CamelFluxKontextSafetyTolerance";
    @Metadata(label = "producer", description = "Output format: jpeg or png.", javaType = "String")
    public static final String OUTPUT_FORMAT = "CamelFluxKontextOutputFormat";
    @Metadata(label = "producer", description = "Aspect ratio: 21:9, 16:9, 4:3, 3:2, 1:1, 2:3, 3:4, 9:16 or 9:21.", javaType = "String")
    public static final String ASPECT_RATIO = "CamelFluxKontextAspectRatio";
    @Metadata(label = "producer", description = "Whether fal enhances the prompt.", javaType = "Boolean")
    public static final String ENHANCE_PROMPT = "CamelFluxKontextEnhancePrompt";
    @Metadata(label = "producer", description = "Whether fal returns the images inline as data URIs.", javaType = "Boolean")
    public static final String SYNC_MODE = "CamelFluxKontextSyncMode";

    // ---- input: the fields of dev and LoRA (refused where the model has no such field)

    @Metadata(label = "producer", description = "dev and lora: denoising steps, 10 to 50.", javaType = "Integer")
    public static final String NUM_INFERENCE_STEPS = "CamelFluxKontextNumInferenceSteps";
    @Metadata(label = "producer", description = "dev and lora: none, regular or high.", javaType = "String")
    public static final String ACCELERATION = "CamelFluxKontextAcceleration";
    @Metadata(label = "producer", description = "dev and lora edit: match_input, auto or an aspect ratio (1:1, 16:9, 21:9, 3:2,"
                                                + " 2:3, 4:5, 5:4, 3:4, 4:3, 9:16, 9:21).", javaType = "String")
    public static final String RESOLUTION_MODE = "CamelFluxKontextResolutionMode";
    @Metadata(label = "producer", description = "dev and lora: whether fal checks the images for NSFW content.", javaType = "Boolean")
    public static final String ENABLE_SAFETY_CHECKER = "CamelFluxKontextEnableSafetyChecker";
    @Metadata(label = "producer", description = "lora text-to-image: a preset (square_hd, square, portrait_4_3, portrait_16_9,"
                                                + " landscape_4_3, landscape_16_9), WIDTHxHEIGHT, a Map {width, height} or a"
                                                + " KontextImageSize.", javaType = "String")
    public static final String IMAGE_SIZE = "CamelFluxKontextImageSize";
    @Metadata(label = "producer", description = "lora: the LoRA weights, a List of path:scale Strings, of Maps {path, scale,"
                                                + " force} or of KontextLora.", javaType = "java.util.List")
    public static final String LORAS = "CamelFluxKontextLoras";
    @Metadata(label = "producer", description = "lora inpaint: how strongly the masked area changes, 0.01 to 1.", javaType = "Double")
    public static final String STRENGTH = "CamelFluxKontextStrength";
    @Metadata(label = "producer", description = "lora inpaint: the mask, white where the image is repainted: a URL, data URI"
                                                + " or image value (byte[], File, Path, InputStream).", javaType = "Object")
    public static final String MASK_URL = "CamelFluxKontextMaskUrl";
    @Metadata(label = "producer", description = "lora inpaint: the image the masked area is painted after: a URL, data URI or"
                                                + " image value (byte[], File, Path, InputStream).", javaType = "Object")
    public static final String REFERENCE_IMAGE_URL = "CamelFluxKontextReferenceImageUrl";

    // ---- input: exactly once (read by edit, text-to-image, multi and inpaint)

    @Metadata(label = "producer", description = "An idempotency key for the submit: a message id or a business key, 1 to"
                                                + " 512 characters. A message that comes again with a key already in the"
                                                + " ledger (a redelivery after a crash, a second instance reading the same"
                                                + " source) does not submit: it waits for, or continues with the handle of,"
                                                + " the job of the key's first submit. A key whose submit was sent but never"
                                                + " answered fails with FluxKontextTransportException.isOutcomeUnknown()"
                                                + " (see resubmitUnanswered). Kept for ledgerTtl. One key names one submit:"
                                                + " give a second flux-kontext call of the same route a key of its own.",
              javaType = "String")
    public static final String IDEMPOTENCY_KEY = "CamelFluxKontextIdempotencyKey";

    // ---- input: request controls, sent as headers of the submit (read by edit, text-to-image and multi)

    @Metadata(label = "producer", description = "How long fal keeps the generated images downloadable, overriding the"
                                                + " mediaExpiration option: a java.time.Duration, a String such as 1h, 30m,"
                                                + " PT2H or 3600000 (milliseconds), or a Number of milliseconds; whole seconds,"
                                                + " at least 1 s. Sent as X-Fal-Object-Lifecycle-Preference.",
              javaType = "java.time.Duration")
    public static final String MEDIA_EXPIRATION = "CamelFluxKontextMediaExpiration";
    @Metadata(label = "producer", description = "Extra x-fal-* headers for this message's submit, name to value (e.g."
                                                + " x-fal-no-retry=1), added to those of the falHeaders option (a name given in"
                                                + " both takes this value). Refused, nothing sent: names not x-fal-*, names"
                                                + " that look like a credential (auth, key, token, secret, password, cookie,"
                                                + " credential, signature, session), the headers the component sets from its"
                                                + " options (x-fal-queue-priority, x-fal-request-timeout,"
                                                + " x-fal-object-lifecycle-preference), values that contain the API key,"
                                                + " more than 16 headers.", javaType = "java.util.Map<String, Object>")
    public static final String FAL_HEADERS = "CamelFluxKontextFalHeaders";

    // ---- the job: set after submit; read by status, result and cancel

    @Metadata(description = "fal's request id of the job. Set right after submit (before anything else can fail);"
                            + " read by status, result and cancel.", javaType = "String")
    public static final String REQUEST_ID = "CamelFluxKontextRequestId";
    @Metadata(description = "The fal endpoint id the job was submitted to. Set after submit; read by status, result and"
                            + " cancel to find the job's app.", javaType = "String")
    public static final String ENDPOINT_ID = "CamelFluxKontextEndpointId";

    // ---- output only

    @Metadata(label = "producer", description = "The job's latest status: IN_QUEUE, IN_PROGRESS or COMPLETED.", javaType = "String")
    public static final String STATUS = "CamelFluxKontextStatus";
    @Metadata(label = "producer", description = "Jobs ahead of this one while it is IN_QUEUE.", javaType = "Integer")
    public static final String QUEUE_POSITION = "CamelFluxKontextQueuePosition";
    @Metadata(label = "producer", description = "The generated images' http(s) URLs, in order (data URIs of sync mode are"
                                                + " left out: they are in the body).", javaType = "java.util.List<String>")
    public static final String RESULT_IMAGE_URLS = "CamelFluxKontextResultImageUrls";
    @Metadata(label = "producer", description = "How many images the job produced.", javaType = "Integer")
    public static final String IMAGE_COUNT = "CamelFluxKontextImageCount";
    @Metadata(label = "producer", description = "The seed the job used (pass it as CamelFluxKontextSeed to repeat the image).",
              javaType = "Long")
    public static final String RESULT_SEED = "CamelFluxKontextResultSeed";
    @Metadata(label = "producer", description = "One NSFW flag per image, in order.", javaType = "java.util.List<Boolean>")
    public static final String NSFW_CONCEPTS = "CamelFluxKontextNsfwConcepts";
    @Metadata(label = "producer", description = "The units fal bills for the job (x-fal-billable-units of its result answer),"
                                                + " exactly as fal wrote them (fractions happen). Not set when the output came"
                                                + " in a webhook callback: fal's callbacks carry no cost.",
              javaType = "java.math.BigDecimal")
    public static final String BILLABLE_UNITS = "CamelFluxKontextBillableUnits";
    @Metadata(label = "producer", description = "Seconds the job ran at fal: metrics.inference_time of its last status, else"
                                                + " timings.inference of the output (a webhook callback's). Not set when fal"
                                                + " reported neither.", javaType = "Double")
    public static final String INFERENCE_TIME = "CamelFluxKontextInferenceTime";
    @Metadata(label = "producer", description = "Suggested file names, one per image ({requestId}-{index}.{ext}); with one"
                                                + " image CamelFileName is set too.", javaType = "java.util.List<String>")
    public static final String FILE_NAMES = "CamelFluxKontextFileNames";
    @Metadata(label = "producer", description = "fal's cancel answer: CANCELLATION_REQUESTED, OK or ALREADY_COMPLETED.",
              javaType = "String")
    public static final String CANCEL_STATUS = "CamelFluxKontextCancelStatus";

    private FluxKontextConstants() {
    }
}
