package io.github.fluxkontext.camel;

import java.io.InputStream;
import java.util.Arrays;
import java.util.stream.Collectors;

import io.github.fluxkontext.camel.client.AuthScheme;
import io.github.fluxkontext.camel.client.QueuePriority;
import io.github.fluxkontext.camel.client.SubmitRetry;
import org.apache.camel.Converter;

/**
 * Reads the enum options from their documented values ({@code outputType=bytes},
 * {@code imageUpload=fal-storage}, {@code authScheme=Key}), case-insensitively, or from the constant
 * names. Camel's own enum conversion would do most of it, but would answer a typo with "no constant
 * with value"; these name the option and what it allows.
 * <p>
 * And several images of {@code outputType=bytes} ({@link ImageBytesList}) refuse to become one stream of bytes,
 * saying what to do, where Camel would only say that it has no type converter for a list.
 */
@Converter(generateLoader = true)
public final class FluxKontextConverters {

    private FluxKontextConverters() {
    }

    @Converter
    public static FluxKontextModel toModel(String value) {
        return option(FluxKontextModel.class, "model", value);
    }

    @Converter
    public static OutputType toOutputType(String value) {
        return option(OutputType.class, "outputType", value);
    }

    @Converter
    public static WaitMode toWaitMode(String value) {
        return option(WaitMode.class, "waitMode", value);
    }

    @Converter
    public static ImageUpload toImageUpload(String value) {
        return option(ImageUpload.class, "imageUpload", value);
    }

    @Converter
    public static SubmitRetry toSubmitRetry(String value) {
        return option(SubmitRetry.class, "submitRetry", value);
    }

    @Converter
    public static AuthScheme toAuthScheme(String value) {
        return option(AuthScheme.class, "authScheme", value);
    }

    @Converter
    public static QueuePriority toQueuePriority(String value) {
        return option(QueuePriority.class, "priority", value);
    }

    @Converter
    public static InputStream toInputStream(ImageBytesList images) {
        throw images.notOneImage();
    }

    @Converter
    public static byte[] toBytes(ImageBytesList images) {
        throw images.notOneImage();
    }

    /**
     * The constant whose documented value ({@code toString()}) or name matches, ignoring case.
     *
     * @throws IllegalArgumentException naming the option, the value and what is allowed
     */
    static <E extends Enum<E>> E option(Class<E> type, String option, String value) {
        String text = value == null ? "" : value.trim();
        for (E constant : type.getEnumConstants()) {
            if (constant.toString().equalsIgnoreCase(text) || constant.name().equalsIgnoreCase(text)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("Option " + option + " is '" + value + "'; allowed: "
                                           + Arrays.stream(type.getEnumConstants()).map(Object::toString).sorted()
                                                   .collect(Collectors.joining(", ")));
    }
}
