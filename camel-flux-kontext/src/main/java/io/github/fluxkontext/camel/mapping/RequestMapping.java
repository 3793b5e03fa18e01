package io.github.fluxkontext.camel.mapping;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import io.github.fluxkontext.camel.FluxKontextConfiguration;
import io.github.fluxkontext.camel.ImageUpload;
import io.github.fluxkontext.camel.model.FluxKontextValidationException;
import io.github.fluxkontext.camel.model.ImageFormat;
import io.github.fluxkontext.camel.model.KontextInputImage;
import io.github.fluxkontext.camel.model.KontextRequest;
import io.github.fluxkontext.camel.model.KontextRequestValidator;
import io.github.fluxkontext.camel.model.KontextTask;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import static io.github.fluxkontext.camel.FluxKontextConstants.ASPECT_RATIO;
import static io.github.fluxkontext.camel.FluxKontextConstants.ENHANCE_PROMPT;
import static io.github.fluxkontext.camel.FluxKontextConstants.GUIDANCE_SCALE;
import static io.github.fluxkontext.camel.FluxKontextConstants.IMAGE_URL;
import static io.github.fluxkontext.camel.FluxKontextConstants.IMAGE_URLS;
import static io.github.fluxkontext.camel.FluxKontextConstants.NUM_IMAGES;
import static io.github.fluxkontext.camel.FluxKontextConstants.OUTPUT_FORMAT;
import static io.github.fluxkontext.camel.FluxKontextConstants.PROMPT;
import static io.github.fluxkontext.camel.FluxKontextConstants.SAFETY_TOLERANCE;
import static io.github.fluxkontext.camel.FluxKontextConstants.SEED;
import static io.github.fluxkontext.camel.FluxKontextConstants.SYNC_MODE;

/**
 * Turns an exchange into a validated {@link KontextRequest}. Every field follows one rule, in
 * {@link #pick}: the header wins over the body, the body over the endpoint option; a field set
 * nowhere is not sent, so fal applies its default.
 * <p>
 * Body types: {@code String} (the prompt), {@code KontextRequest}, {@code Map} (fal's field names;
 * unknown keys pass through), an image value ({@code byte[]}, {@code File}, {@code Path},
 * {@code InputStream}, a file component's {@code GenericFile}: the input image of edit), or a
 * {@code List} (the input images of multi). For text-to-image, a file or byte body is the prompt's text.
 */
public final class RequestMapping {

    private final FluxKontextConfiguration config;
    private final KontextTask task;

    public RequestMapping(FluxKontextConfiguration config, KontextTask task) {
        this.config = config;
        this.task = task;
    }

    public KontextRequest map(Exchange exchange) {
        Message message = exchange.getMessage();
        KontextRequest body = fromBody(exchange, message.getBody());
        KontextRequest.Builder merged = body.toBuilder()
                .prompt(pick(message, PROMPT, InputValues::string, body.prompt(), config.getPrompt()))
                .seed(pick(message, SEED, InputValues::longValue, body.seed(), config.getSeed()))
                .guidanceScale(pick(message, GUIDANCE_SCALE, InputValues::number, body.guidanceScale(), config.getGuidanceScale()))
                .numImages(pick(message, NUM_IMAGES, InputValues::integer, body.numImages(), config.getNumImages()))
                .safetyTolerance(pick(message, SAFETY_TOLERANCE, InputValues::stringOrInteger, body.safetyTolerance(),
                        config.getSafetyTolerance()))
                .outputFormat(pick(message, OUTPUT_FORMAT, InputValues::string, body.outputFormat(), config.getOutputFormat()))
                .aspectRatio(pick(message, ASPECT_RATIO, InputValues::string, body.aspectRatio(), config.getAspectRatio()))
                .enhancePrompt(pick(message, ENHANCE_PROMPT, InputValues::bool, body.enhancePrompt(), config.getEnhancePrompt()))
                .syncMode(pick(message, SYNC_MODE, InputValues::bool, body.syncMode(), config.getSyncMode()));
        // the imageUrl option is edit's only: as a component-wide default it must not leak into other operations
        String imageOption = task == KontextTask.EDIT ? config.getImageUrl() : null;
        merged.image(pick(message, IMAGE_URL, (v, s) -> image(exchange, v, s), body.image(),
                imageOption == null ? null : KontextInputImage.fromUrl(imageOption)));
        merged.images(pick(message, IMAGE_URLS, (v, s) -> InputValues.images(v, s, exchange, imageLimit()), body.images(), null));
        KontextRequest request = merged.build();
        KontextRequestValidator.validate(request, task, config.getMaxInlineImageSize(), inline(), InputField.namesIn(message, body, request));
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
            if (task == KontextTask.EDIT && images.size() == 1) {
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
                default -> builder.extra(key, value);
            }
        }
        return builder.build();
    }

    private KontextInputImage image(Exchange exchange, Object value, String source) {
        String fileName = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        return InputValues.image(value, source, exchange, imageLimit(), fileName);
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
