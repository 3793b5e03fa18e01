package io.github.fluxkontext.camel.mapping;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import io.github.fluxkontext.camel.FluxKontextConfiguration;
import io.github.fluxkontext.camel.FluxKontextOperation;
import io.github.fluxkontext.camel.ImageUpload;
import io.github.fluxkontext.camel.model.FluxKontextValidationException;
import io.github.fluxkontext.camel.model.ImageFormat;
import io.github.fluxkontext.camel.model.KontextInputImage;
import io.github.fluxkontext.camel.model.KontextRequest;
import io.github.fluxkontext.camel.model.KontextRequestValidator;
import io.github.fluxkontext.camel.model.KontextSchema;
import io.github.fluxkontext.camel.model.KontextTask;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import static io.github.fluxkontext.camel.FluxKontextConstants.ACCELERATION;
import static io.github.fluxkontext.camel.FluxKontextConstants.ASPECT_RATIO;
import static io.github.fluxkontext.camel.FluxKontextConstants.ENABLE_SAFETY_CHECKER;
import static io.github.fluxkontext.camel.FluxKontextConstants.ENHANCE_PROMPT;
import static io.github.fluxkontext.camel.FluxKontextConstants.GUIDANCE_SCALE;
import static io.github.fluxkontext.camel.FluxKontextConstants.IMAGE_SIZE;
import static io.github.fluxkontext.camel.FluxKontextConstants.IMAGE_URL;
import static io.github.fluxkontext.camel.FluxKontextConstants.IMAGE_URLS;
import static io.github.fluxkontext.camel.FluxKontextConstants.LORAS;
import static io.github.fluxkontext.camel.FluxKontextConstants.MASK_URL;
import static io.github.fluxkontext.camel.FluxKontextConstants.NUM_IMAGES;
import static io.github.fluxkontext.camel.FluxKontextConstants.NUM_INFERENCE_STEPS;
import static io.github.fluxkontext.camel.FluxKontextConstants.OUTPUT_FORMAT;
import static io.github.fluxkontext.camel.FluxKontextConstants.PROMPT;
import static io.github.fluxkontext.camel.FluxKontextConstants.REFERENCE_IMAGE_URL;
import static io.github.fluxkontext.camel.FluxKontextConstants.RESOLUTION_MODE;
import static io.github.fluxkontext.camel.FluxKontextConstants.SAFETY_TOLERANCE;
import static io.github.fluxkontext.camel.FluxKontextConstants.SEED;
import static io.github.fluxkontext.camel.FluxKontextConstants.STRENGTH;
import static io.github.fluxkontext.camel.FluxKontextConstants.SYNC_MODE;

/**
 * Turns an exchange into a validated {@link KontextRequest}. Every field follows one rule, in
 * {@link #pick}: the header wins over the body, the body over the endpoint option; a field set
 * nowhere is not sent, so fal applies its default.
 * <p>
 * Body types: {@code String} (the prompt), {@code KontextRequest}, {@code Map} (fal's field names;
 * unknown keys pass through), an image value ({@code byte[]}, {@code File}, {@code Path},
 * {@code InputStream}, a file component's {@code GenericFile}: the input image of edit and inpaint), or a
 * {@code List} (the input images of multi). For text-to-image, a file or byte body is the prompt's text.
 */
public final class RequestMapping {

    private final FluxKontextConfiguration config;
    private final KontextTask task;
    private final KontextSchema schema;

    /** For a submitting operation: its task decides the images, its endpoint (model or endpointId) the fields. */
    public RequestMapping(FluxKontextConfiguration config, FluxKontextOperation operation) {
        this.config = config;
        this.task = operation.task();
        this.schema = config.schemaFor(operation);
    }

    public KontextRequest map(Exchange exchange) {
        Message message = exchange.getMessage();
        KontextRequest body = fromBody(exchange, message.getBody());
        KontextRequest options = config.optionInput(task); // the image options only where the task takes them
        KontextRequest.Builder merged = body.toBuilder()
                .prompt(pick(message, PROMPT, InputValues::string, body.prompt(), options.prompt()))
                .seed(pick(message, SEED, InputValues::longValue, body.seed(), options.seed()))
                .guidanceScale(pick(message, GUIDANCE_SCALE, InputValues::number, body.guidanceScale(), options.guidanceScale()))
                .numImages(pick(message, NUM_IMAGES, InputValues::integer, body.numImages(), options.numImages()))
                .safetyTolerance(pick(message, SAFETY_TOLERANCE, InputValues::stringOrInteger, body.safetyTolerance(),
                        options.safetyTolerance()))
                .outputFormat(pick(message, OUTPUT_FORMAT, InputValues::string, body.outputFormat(), options.outputFormat()))
                .aspectRatio(pick(message, ASPECT_RATIO, InputValues::string, body.aspectRatio(), options.aspectRatio()))
                .enhancePrompt(pick(message, ENHANCE_PROMPT, InputValues::bool, body.enhancePrompt(), options.enhancePrompt()))
                .syncMode(pick(message, SYNC_MODE, InputValues::bool, body.syncMode(), options.syncMode()))
                .numInferenceSteps(pick(message, NUM_INFERENCE_STEPS, InputValues::integer, body.numInferenceSteps(),
                        options.numInferenceSteps()))
                .acceleration(pick(message, ACCELERATION, InputValues::string, body.acceleration(), options.acceleration()))
                .resolutionMode(pick(message, RESOLUTION_MODE, InputValues::string, body.resolutionMode(), options.resolutionMode()))
                .enableSafetyChecker(pick(message, ENABLE_SAFETY_CHECKER, InputValues::bool, body.enableSafetyChecker(),
                        options.enableSafetyChecker()))
                .imageSize(pick(message, IMAGE_SIZE, InputValues::imageSize, body.imageSize(), options.imageSize()))
                .loras(pick(message, LORAS, InputValues::loras, body.loras(), options.loras()))
                .strength(pick(message, STRENGTH, InputValues::number, body.strength(), options.strength()))
                .mask(pick(message, MASK_URL, (v, s) -> otherImage(exchange, v, s), body.mask(), options.mask()))
                .referenceImage(pick(message, REFERENCE_IMAGE_URL, (v, s) -> otherImage(exchange, v, s), body.referenceImage(),
                        options.referenceImage()));
        merged.image(pick(message, IMAGE_URL, (v, s) -> image(exchange, v, s), body.image(), options.image()));
        merged.images(pick(message, IMAGE_URLS, (v, s) -> InputValues.images(v, s, exchange, imageLimit()), body.images(), null));
        KontextRequest request = merged.build();
        KontextRequestValidator.validate(request, schema, task, config.getMaxInlineImageSize(), inline(),
                InputField.namesIn(message, body, request));
        return request;
    }

    /** The one precedence rule: header, else body, else option. A header that is present but unreadable fails. */
    private static <T> T pick(Message message, String header, BiFunction<Object, String, T> reader, T fromBody, T fromOption) {
        Object raw = message.getHeader(header);
        if (raw != null) {
            return reader.apply(raw, "header " + header);
        }
        return fromBody != null ? fromBody : fromOption;
    }

    private KontextRequest fromBody(Exchange exchange, Object body) {
        KontextRequest.Builder builder = KontextRequest.builder();
        if (body == null) {
            return builder.build();
        }
        if (body instanceof KontextRequest request) {
            return request;
        }
        if (body instanceof Map<?, ?> map) {
            return fromMap(exchange, map);
        }
        if (body instanceof CharSequence text) {
            return builder.prompt(text.toString()).build();
        }
        if (InputValues.isList(body)) {
            List<KontextInputImage> images = InputValues.images(body, "body", exchange, imageLimit());
            if ((task == KontextTask.EDIT || task == KontextTask.INPAINT) && images.size() == 1) {
                return builder.image(images.get(0)).build();
            }
            return builder.images(images).build();
        }
        if (task == KontextTask.TEXT_TO_IMAGE) {
            return builder.prompt(textBody(exchange, body, imageLimit())).build();
        }
        KontextInputImage image = image(exchange, body, "body");
        return task == KontextTask.MULTI ? builder.images(List.of(image)).build() : builder.image(image).build();
    }

    /** A Map body in fal's own field names; known fields are read strictly, unknown ones pass through. */
    private KontextRequest fromMap(Exchange exchange, Map<?, ?> map) {
        KontextRequest.Builder builder = KontextRequest.builder();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new FluxKontextValidationException("body", entry.getKey(), "a Map body needs String keys (fal's field names)");
            }
            Object value = entry.getValue();
            String source = InputField.asMapKey(key);
            switch (key) {
                case KontextRequest.PROMPT -> builder.prompt(InputValues.string(value, source));
                case KontextRequest.IMAGE_URL -> builder.image(image(exchange, value, source));
                case KontextRequest.IMAGE_URLS -> builder.images(InputValues.images(value, source, exchange, imageLimit()));
                case KontextRequest.SEED -> builder.seed(InputValues.longValue(value, source));
                case KontextRequest.GUIDANCE_SCALE -> builder.guidanceScale(InputValues.number(value, source));
                case KontextRequest.NUM_IMAGES -> builder.numImages(InputValues.integer(value, source));
                case KontextRequest.SAFETY_TOLERANCE -> builder.safetyTolerance(InputValues.stringOrInteger(value, source));
                case KontextRequest.OUTPUT_FORMAT -> builder.outputFormat(InputValues.string(value, source));
                case KontextRequest.ASPECT_RATIO -> builder.aspectRatio(InputValues.string(value, source));
                case KontextRequest.ENHANCE_PROMPT -> builder.enhancePrompt(InputValues.bool(value, source));
                case KontextRequest.SYNC_MODE -> builder.syncMode(InputValues.bool(value, source));
                case KontextRequest.NUM_INFERENCE_STEPS -> builder.numInferenceSteps(InputValues.integer(value, source));
                case KontextRequest.ACCELERATION -> builder.acceleration(InputValues.string(value, source));
                case KontextRequest.RESOLUTION_MODE -> builder.resolutionMode(InputValues.string(value, source));
                case KontextRequest.ENABLE_SAFETY_CHECKER -> builder.enableSafetyChecker(InputValues.bool(value, source));
                case KontextRequest.IMAGE_SIZE -> builder.imageSize(InputValues.imageSize(value, source));
                case KontextRequest.LORAS -> builder.loras(InputValues.loras(value, source));
                case KontextRequest.STRENGTH -> builder.strength(InputValues.number(value, source));
                case KontextRequest.MASK_URL -> builder.mask(otherImage(exchange, value, source));
                case KontextRequest.REFERENCE_IMAGE_URL -> builder.referenceImage(otherImage(exchange, value, source));
                default -> builder.extra(key, value);
            }
        }
        return builder.build();
    }

    private KontextInputImage image(Exchange exchange, Object value, String source) {
        String fileName = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        return InputValues.image(value, source, exchange, imageLimit(), fileName);
    }

    /** inpaint's mask and reference image: the message's file name is the input image's, not theirs. */
    private KontextInputImage otherImage(Exchange exchange, Object value, String source) {
        return InputValues.image(value, source, exchange, imageLimit(), null);
    }

    /** The prompt of text-to-image from a file or byte body; an image there is a mistake worth naming. */
    private static String textBody(Exchange exchange, Object body, long maxBytes) {
        byte[] bytes = body instanceof byte[] b ? b : InputValues.boundedBytes(exchange, body, "body", maxBytes);
        if (bytes == null) {
            throw new FluxKontextValidationException("body", body, "text-to-image takes the prompt as a String (or text file) body,"
                                                                   + " a KontextRequest or a Map");
        }
        if (ImageFormat.detect(bytes) != null) {
            throw new FluxKontextValidationException("body", ImageFormat.detect(bytes) + " image of " + bytes.length + " bytes",
                    "text-to-image takes no input image; use flux-kontext:edit to edit an image");
        }
        return new String(bytes, StandardCharsets.UTF_8).strip();
    }

    private boolean inline() {
        return config.getImageUpload() == ImageUpload.INLINE;
    }

    /** Streams are read up to this many bytes: the inline limit, or fal's single-upload limit. */
    private long imageLimit() {
        return inline() ? config.getMaxInlineImageSize() : KontextRequestValidator.MAX_UPLOAD_SIZE;
    }
}
