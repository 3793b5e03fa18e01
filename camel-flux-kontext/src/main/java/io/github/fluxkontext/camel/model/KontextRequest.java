package io.github.fluxkontext.camel.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A typed FLUX.1 Kontext request: the body type that gives full control. Fields left unset are not
 * sent, so fal applies its own defaults. Build one with {@link #builder()}:
 *
 * <pre>{@code
 * KontextRequest request = KontextRequest.builder()
 *         .prompt("Put a donut next to the flour.")
 *         .image(KontextInputImage.fromPath(Path.of("kitchen.png")))
 *         .outputFormat("png")
 *         .seed(42L)
 *         .build();
 * }</pre>
 */
public final class KontextRequest {

    /** fal's field names. */
    public static final String PROMPT = "prompt";
    public static final String IMAGE_URL = "image_url";
    public static final String IMAGE_URLS = "image_urls";
    public static final String SEED = "seed";
    public static final String GUIDANCE_SCALE = "guidance_scale";
    public static final String NUM_IMAGES = "num_images";
    public static final String SAFETY_TOLERANCE = "safety_tolerance";
    public static final String OUTPUT_FORMAT = "output_format";
    public static final String ASPECT_RATIO = "aspect_ratio";
    public static final String ENHANCE_PROMPT = "enhance_prompt";
    public static final String SYNC_MODE = "sync_mode";
    /** fal's field names of dev and LoRA (fal-protocol §8b). */
    public static final String NUM_INFERENCE_STEPS = "num_inference_steps";
    public static final String ACCELERATION = "acceleration";
    public static final String RESOLUTION_MODE = "resolution_mode";
    public static final String ENABLE_SAFETY_CHECKER = "enable_safety_checker";
    public static final String IMAGE_SIZE = "image_size";
    public static final String LORAS = "loras";
    public static final String STRENGTH = "strength";
    public static final String MASK_URL = "mask_url";
    public static final String REFERENCE_IMAGE_URL = "reference_image_url";

    private static final Set<String> KNOWN_FIELDS = Set.of(PROMPT, IMAGE_URL, IMAGE_URLS, SEED, GUIDANCE_SCALE,
            NUM_IMAGES, SAFETY_TOLERANCE, OUTPUT_FORMAT, ASPECT_RATIO, ENHANCE_PROMPT, SYNC_MODE, NUM_INFERENCE_STEPS,
            ACCELERATION, RESOLUTION_MODE, ENABLE_SAFETY_CHECKER, IMAGE_SIZE, LORAS, STRENGTH, MASK_URL, REFERENCE_IMAGE_URL);

    private final String prompt;
    private final KontextInputImage image;
    private final List<KontextInputImage> images;
    private final Long seed;
    private final Double guidanceScale;
    private final Integer numImages;
    private final String safetyTolerance;
    private final String outputFormat;
    private final String aspectRatio;
    private final Boolean enhancePrompt;
    private final Boolean syncMode;
    private final Integer numInferenceSteps;
    private final String acceleration;
    private final String resolutionMode;
    private final Boolean enableSafetyChecker;
    private final KontextImageSize imageSize;
    private final List<KontextLora> loras;
    private final Double strength;
    private final KontextInputImage mask;
    private final KontextInputImage referenceImage;
    private final Map<String, Object> extra;

    private KontextRequest(Builder b) {
        this.prompt = b.prompt;
        this.image = b.image;
        this.images = b.images == null ? null : Collections.unmodifiableList(new ArrayList<>(b.images));
        this.seed = b.seed;
        this.guidanceScale = b.guidanceScale;
        this.numImages = b.numImages;
        this.safetyTolerance = b.safetyTolerance;
        this.outputFormat = b.outputFormat;
        this.aspectRatio = b.aspectRatio;
        this.enhancePrompt = b.enhancePrompt;
        this.syncMode = b.syncMode;
        this.numInferenceSteps = b.numInferenceSteps;
        this.acceleration = b.acceleration;
        this.resolutionMode = b.resolutionMode;
        this.enableSafetyChecker = b.enableSafetyChecker;
        this.imageSize = b.imageSize;
        this.loras = b.loras == null ? null : List.copyOf(b.loras);
        this.strength = b.strength;
        this.mask = b.mask;
        this.referenceImage = b.referenceImage;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this request's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder().prompt(prompt).image(image).seed(seed).guidanceScale(guidanceScale)
                .numImages(numImages).safetyTolerance(safetyTolerance).outputFormat(outputFormat)
                .aspectRatio(aspectRatio).enhancePrompt(enhancePrompt).syncMode(syncMode)
                .numInferenceSteps(numInferenceSteps).acceleration(acceleration).resolutionMode(resolutionMode)
                .enableSafetyChecker(enableSafetyChecker).imageSize(imageSize).loras(loras).strength(strength)
                .mask(mask).referenceImage(referenceImage);
        b.images = images == null ? null : new ArrayList<>(images);
        b.extra.putAll(extra);
        return b;
    }

    public String prompt() {
        return prompt;
    }

    /** The input image of {@code edit} ({@code image_url}), or null. */
    public KontextInputImage image() {
        return image;
    }

    /** The input images of {@code multi} ({@code image_urls}), or null when not set. */
    public List<KontextInputImage> images() {
        return images;
    }

    public Long seed() {
        return seed;
    }

    public Double guidanceScale() {
        return guidanceScale;
    }

    public Integer numImages() {
        return numImages;
    }

    public String safetyTolerance() {
        return safetyTolerance;
    }

    public String outputFormat() {
        return outputFormat;
    }

    public String aspectRatio() {
        return aspectRatio;
    }

    public Boolean enhancePrompt() {
        return enhancePrompt;
    }

    public Boolean syncMode() {
        return syncMode;
    }

    /** dev and LoRA: denoising steps, 10 to 50 (fal's default 28 for dev, 30 for LoRA). */
    public Integer numInferenceSteps() {
        return numInferenceSteps;
    }

    /** dev and LoRA: {@code none} (fal's default), {@code regular} or {@code high}. */
    public String acceleration() {
        return acceleration;
    }

    /** dev and LoRA edit: the output's size, {@code match_input} (fal's default), {@code auto} or a ratio. */
    public String resolutionMode() {
        return resolutionMode;
    }

    /** dev and LoRA: whether fal checks the output for NSFW content (fal's default true). */
    public Boolean enableSafetyChecker() {
        return enableSafetyChecker;
    }

    /** LoRA text-to-image: a preset or a width and height. */
    public KontextImageSize imageSize() {
        return imageSize;
    }

    /** LoRA: the weights merged into the model, or null when not set. */
    public List<KontextLora> loras() {
        return loras;
    }

    /** LoRA inpaint: how strongly the masked area changes, 0.01 to 1 (fal's default 0.88). */
    public Double strength() {
        return strength;
    }

    /** LoRA inpaint: the mask ({@code mask_url}), white where the image is repainted. */
    public KontextInputImage mask() {
        return mask;
    }

    /** LoRA inpaint: the image the masked area is painted after ({@code reference_image_url}). */
    public KontextInputImage referenceImage() {
        return referenceImage;
    }

    /** Every input image, in the order fal's JSON lists them: image_url, image_urls, mask_url, reference_image_url. */
    public List<KontextInputImage> inputImages() {
        List<KontextInputImage> all = new ArrayList<>();
        if (image != null) {
            all.add(image);
        }
        if (images != null) {
            all.addAll(images);
        }
        if (mask != null) {
            all.add(mask);
        }
        if (referenceImage != null) {
            all.add(referenceImage);
        }
        return all;
    }

    /** Fields this version does not model, passed to fal untouched (forward compatibility). */
    public Map<String, Object> extra() {
        return extra;
    }

    /**
     * fal's JSON input: snake_case names, unset fields absent, {@code safety_tolerance} as a string.
     *
     * @param imageUrlOf turns each input image into the URL sent (data URI or uploaded file URL)
     */
    public Map<String, Object> toFalInput(Function<KontextInputImage, String> imageUrlOf) {
        Map<String, Object> input = new LinkedHashMap<>(extra);
        put(input, PROMPT, prompt);
        if (image != null) {
            input.put(IMAGE_URL, imageUrlOf.apply(image));
        }
        if (images != null) {
            input.put(IMAGE_URLS, images.stream().map(imageUrlOf).toList());
        }
        put(input, SEED, seed);
        put(input, GUIDANCE_SCALE, guidanceScale);
        put(input, NUM_IMAGES, numImages);
        put(input, SAFETY_TOLERANCE, safetyTolerance);
        put(input, OUTPUT_FORMAT, outputFormat);
        put(input, ASPECT_RATIO, aspectRatio);
        put(input, ENHANCE_PROMPT, enhancePrompt);
        put(input, SYNC_MODE, syncMode);
        put(input, NUM_INFERENCE_STEPS, numInferenceSteps);
        put(input, ACCELERATION, acceleration);
        put(input, RESOLUTION_MODE, resolutionMode);
        put(input, ENABLE_SAFETY_CHECKER, enableSafetyChecker);
        put(input, IMAGE_SIZE, imageSize == null ? null : imageSize.toFal());
        put(input, LORAS, loras == null ? null : loras.stream().map(KontextLora::toFal).toList());
        put(input, STRENGTH, strength);
        put(input, MASK_URL, mask == null ? null : imageUrlOf.apply(mask));
        put(input, REFERENCE_IMAGE_URL, referenceImage == null ? null : imageUrlOf.apply(referenceImage));
        return input;
    }

    private static void put(Map<String, Object> input, String name, Object value) {
        if (value != null) {
            input.put(name, value);
        }
    }

    @Override
    public String toString() {
        return "KontextRequest[prompt=" + prompt + ", image=" + image + ", images=" + images + ", seed=" + seed
               + ", guidanceScale=" + guidanceScale + ", numImages=" + numImages + ", safetyTolerance="
               + safetyTolerance + ", outputFormat=" + outputFormat + ", aspectRatio=" + aspectRatio
               + ", enhancePrompt=" + enhancePrompt + ", syncMode=" + syncMode + ", numInferenceSteps=" + numInferenceSteps
               + ", acceleration=" + acceleration + ", resolutionMode=" + resolutionMode + ", enableSafetyChecker="
               + enableSafetyChecker + ", imageSize=" + imageSize + ", loras=" + loras + ", strength=" + strength + ", mask=" + mask
               + ", referenceImage=" + referenceImage + ", extra=" + extra.keySet() + "]";
    }

    /** Builds a {@link KontextRequest}; every setter accepts null to leave the field unset. */
    public static final class Builder {
        private String prompt;
        private KontextInputImage image;
        private List<KontextInputImage> images;
        private Long seed;
        private Double guidanceScale;
        private Integer numImages;
        private String safetyTolerance;
        private String outputFormat;
        private String aspectRatio;
        private Boolean enhancePrompt;
        private Boolean syncMode;
        private Integer numInferenceSteps;
        private String acceleration;
        private String resolutionMode;
        private Boolean enableSafetyChecker;
        private KontextImageSize imageSize;
        private List<KontextLora> loras;
        private Double strength;
        private KontextInputImage mask;
        private KontextInputImage referenceImage;
        private final Map<String, Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** The edit instruction or the text-to-image prompt (required). */
        public Builder prompt(String prompt) {
            this.prompt = prompt;
            return this;
        }

        /** The input image of {@code edit}. */
        public Builder image(KontextInputImage image) {
            this.image = image;
            return this;
        }

        /** The input image of {@code edit}, as an http(s) URL or data URI. */
        public Builder imageUrl(String url) {
            return image(url == null ? null : KontextInputImage.fromUrl(url));
        }

        /** The input images of {@code multi}, in order. */
        public Builder images(List<KontextInputImage> images) {
            this.images = images == null ? null : new ArrayList<>(images);
            return this;
        }

        /** The input images of {@code multi}, as http(s) URLs or data URIs, in order. */
        public Builder imageUrls(List<String> urls) {
            return images(urls == null ? null : urls.stream().map(KontextInputImage::fromUrl).toList());
        }

        /** Adds one input image of {@code multi}. */
        public Builder addImage(KontextInputImage image) {
            if (images == null) {
                images = new ArrayList<>();
            }
            images.add(image);
            return this;
        }

        public Builder seed(Long seed) {
            this.seed = seed;
            return this;
        }

        /** 1 to 20; fal's default is 3.5. */
        public Builder guidanceScale(Double guidanceScale) {
            this.guidanceScale = guidanceScale;
            return this;
        }

        /** 1 to 4; fal's default is 1. */
        public Builder numImages(Integer numImages) {
            this.numImages = numImages;
            return this;
        }

        /** "1" (strictest) to "6"; fal's default is "2". */
        public Builder safetyTolerance(String safetyTolerance) {
            this.safetyTolerance = safetyTolerance;
            return this;
        }

        /** {@code jpeg} (fal's default) or {@code png}. */
        public Builder outputFormat(String outputFormat) {
            this.outputFormat = outputFormat;
            return this;
        }

        /** One of 21:9, 16:9, 4:3, 3:2, 1:1, 2:3, 3:4, 9:16, 9:21. */
        public Builder aspectRatio(String aspectRatio) {
            this.aspectRatio = aspectRatio;
            return this;
        }

        public Builder enhancePrompt(Boolean enhancePrompt) {
            this.enhancePrompt = enhancePrompt;
            return this;
        }

        /** When true, fal returns the images inline as data URIs. */
        public Builder syncMode(Boolean syncMode) {
            this.syncMode = syncMode;
            return this;
        }

        /** dev and LoRA: denoising steps, 10 to 50. */
        public Builder numInferenceSteps(Integer numInferenceSteps) {
            this.numInferenceSteps = numInferenceSteps;
            return this;
        }

        /** dev and LoRA: none, regular or high. */
        public Builder acceleration(String acceleration) {
            this.acceleration = acceleration;
            return this;
        }

        /** dev and LoRA edit: match_input, auto, 1:1, 16:9, 21:9, 3:2, 2:3, 4:5, 5:4, 3:4, 4:3, 9:16 or 9:21. */
        public Builder resolutionMode(String resolutionMode) {
            this.resolutionMode = resolutionMode;
            return this;
        }

        /** dev and LoRA: whether fal checks the output for NSFW content. */
        public Builder enableSafetyChecker(Boolean enableSafetyChecker) {
            this.enableSafetyChecker = enableSafetyChecker;
            return this;
        }

        /** LoRA text-to-image: a preset or a width and height. */
        public Builder imageSize(KontextImageSize imageSize) {
            this.imageSize = imageSize;
            return this;
        }

        /** LoRA: the weights merged into the model. */
        public Builder loras(List<KontextLora> loras) {
            this.loras = loras == null ? null : new ArrayList<>(loras);
            return this;
        }

        /** LoRA inpaint: 0.01 to 1. */
        public Builder strength(Double strength) {
            this.strength = strength;
            return this;
        }

        /** LoRA inpaint: the mask, white where the image is repainted. */
        public Builder mask(KontextInputImage mask) {
            this.mask = mask;
            return this;
        }

        /** LoRA inpaint: the mask as an http(s) URL or data URI. */
        public Builder maskUrl(String url) {
            return mask(url == null ? null : KontextInputImage.fromUrl(url));
        }

        /** LoRA inpaint: the image the masked area is painted after. */
        public Builder referenceImage(KontextInputImage referenceImage) {
            this.referenceImage = referenceImage;
            return this;
        }

        /** LoRA inpaint: the reference image as an http(s) URL or data URI. */
        public Builder referenceImageUrl(String url) {
            return referenceImage(url == null ? null : KontextInputImage.fromUrl(url));
        }

        /**
         * A field this version does not model, sent to fal as given (fal's snake_case name).
         *
         * @throws IllegalArgumentException for a field that has its own setter (so it is always validated)
         */
        public Builder extra(String falName, Object value) {
            if (KNOWN_FIELDS.contains(falName)) {
                throw new IllegalArgumentException("'" + falName + "' is a Kontext field with its own builder method; use it"
                                                   + " instead of extra(), so that the value is checked");
            }
            if (value == null) {
                extra.remove(falName);
            } else {
                extra.put(falName, value);
            }
            return this;
        }

        public KontextRequest build() {
            return new KontextRequest(this);
        }
    }
}
