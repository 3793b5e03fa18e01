package io.github.fluxkontext.camel.mapping;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import io.github.fluxkontext.camel.ledger.LedgerEntry;
import io.github.fluxkontext.camel.model.FluxKontextValidationException;
import io.github.fluxkontext.camel.model.KontextImageSize;
import io.github.fluxkontext.camel.model.KontextInputImage;
import io.github.fluxkontext.camel.model.KontextLora;
import org.apache.camel.Exchange;
import org.apache.camel.WrappedFile;

/**
 * Strict readers for values coming from headers and Map bodies: a header may be a String ("4") or
 * typed (4), but never a value that would have to be guessed at ("4.5" for an integer, "yes" for a
 * boolean). Failures name the source and what is allowed.
 */
public final class InputValues {

    private InputValues() {
    }

    public static String string(Object value, String source) {
        if (value == null || value instanceof CharSequence) {
            return value == null ? null : value.toString();
        }
        throw new FluxKontextValidationException(source, value, "allowed: a text value");
    }

    /** A string-typed enum field that users also write as a number, such as safety_tolerance 2. */
    static String stringOrInteger(Object value, String source) {
        if (value instanceof Number) {
            return String.valueOf(integral(value, source, "a number from 1 to 6 or the same as a string"));
        }
        return string(value, source);
    }

    static Integer integer(Object value, String source) {
        if (value == null) {
            return null;
        }
        long v = integral(value, source, "an integer");
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new FluxKontextValidationException(source, value, "allowed: an integer");
        }
        return (int) v;
    }

    static Long longValue(Object value, String source) {
        return value == null ? null : integral(value, source, "an integer");
    }

    static Double number(Object value, String source) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof CharSequence text) {
            try {
                return Double.valueOf(text.toString().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new FluxKontextValidationException(source, value, "allowed: a number");
    }

    static Boolean bool(Object value, String source) {
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        if (value instanceof CharSequence text) {
            String t = text.toString().trim();
            if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
                return Boolean.valueOf(t);
            }
        }
        throw new FluxKontextValidationException(source, value, "allowed: true or false");
    }

    /** An idempotency key: a text, an integer or a UUID, as the ledger can keep it; null when there is none. */
    public static String idempotencyKey(Object value, String source) {
        if (value == null) {
            return null;
        }
        boolean integer = value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                          || value instanceof BigInteger;
        if (!(value instanceof CharSequence || integer || value instanceof UUID)) {
            throw new FluxKontextValidationException(source, value, "allowed: a text, an integer or a UUID");
        }
        String key = value.toString();
        try {
            LedgerEntry.checkKey(key);
        } catch (IllegalArgumentException e) {
            throw new FluxKontextValidationException(source, key, "allowed: 1 to " + LedgerEntry.MAX_KEY_LENGTH
                                                                  + " characters, any but U+0000 (" + e.getMessage() + ")");
        }
        return key;
    }

    private static long integral(Object value, String source, String allowed) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        try {
            if (value instanceof BigInteger big) {
                return big.longValueExact();
            }
            if (value instanceof Number n) {
                return new BigDecimal(n.toString()).longValueExact();
            }
            if (value instanceof CharSequence text) {
                return Long.parseLong(text.toString().trim());
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // reported below
        }
        throw new FluxKontextValidationException(source, value, "allowed: " + allowed);
    }

    /**
     * An input image from any value Camel routes carry: URL or data URI String, byte[], File, Path,
     * InputStream, a KontextInputImage, or anything Camel converts to byte[] (a GenericFile from the
     * file or ftp component, a stream cache...).
     */
    static KontextInputImage image(Object value, String source, Exchange exchange, long maxBytes, String fileName) {
        if (value == null || value instanceof KontextInputImage) {
            return (KontextInputImage) value;
        }
        if (value instanceof CharSequence text) {
            return KontextInputImage.fromUrl(text.toString().trim());
        }
        if (value instanceof byte[] bytes) {
            return KontextInputImage.fromBytes(bytes, fileName);
        }
        if (value instanceof File file) {
            return KontextInputImage.fromFile(file);
        }
        if (value instanceof Path path) {
            return KontextInputImage.fromPath(path);
        }
        if (value instanceof InputStream in) {
            return fromStream(in, source, maxBytes, fileName);
        }
        // a file component's GenericFile: take the file itself, so its size is checked before it is read
        if (value instanceof WrappedFile<?> wrapped && wrapped.getFile() instanceof File file) {
            return KontextInputImage.fromFile(file);
        }
        byte[] converted = boundedBytes(exchange, value, source, maxBytes);
        if (converted != null) {
            return KontextInputImage.fromBytes(converted, fileName);
        }
        throw new FluxKontextValidationException(source, value,
                "allowed: an http(s) URL or data URI String, byte[], File, Path, InputStream or KontextInputImage");
    }

    /**
     * Any other value Camel can turn into bytes (a stream cache, a remote file...), read at most
     * {@code maxBytes + 1} far: as a stream when Camel can give one, so that a huge value is refused
     * before it is all in memory. Null when Camel cannot convert it.
     */
    static byte[] boundedBytes(Exchange exchange, Object value, String source, long maxBytes) {
        InputStream in = exchange.getContext().getTypeConverter().tryConvertTo(InputStream.class, exchange, value);
        if (in != null) {
            try (in) {
                return readAtMost(in, source, maxBytes);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read " + source, e);
            }
        }
        byte[] bytes = exchange.getContext().getTypeConverter().tryConvertTo(byte[].class, exchange, value);
        return bytes == null ? null : checkSize(bytes, source, maxBytes);
    }

    /** Reads a stream up to {@code maxBytes}; a longer one is refused, naming where it came from. */
    private static KontextInputImage fromStream(InputStream in, String source, long maxBytes, String fileName) {
        try {
            return KontextInputImage.fromBytes(readAtMost(in, source, maxBytes), fileName);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the input image stream of " + source, e);
        }
    }

    /** Reads at most one byte past the limit, so that a longer stream is refused without being read whole. */
    private static byte[] readAtMost(InputStream in, String source, long maxBytes) throws IOException {
        return checkSize(in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1)), source, maxBytes);
    }

    private static byte[] checkSize(byte[] data, String source, long maxBytes) {
        if (data.length > maxBytes) {
            throw new FluxKontextValidationException(source, "more than " + maxBytes + " bytes",
                    "images may hold at most " + maxBytes + " bytes (option maxInlineImageSize; or imageUpload=fal-storage)");
        }
        return data;
    }

    /** LoRA text-to-image's size: a preset or WIDTHxHEIGHT String, a Map {width, height} or a KontextImageSize. */
    static KontextImageSize imageSize(Object value, String source) {
        if (value == null || value instanceof KontextImageSize) {
            return (KontextImageSize) value;
        }
        if (value instanceof CharSequence text) {
            try {
                return KontextImageSize.parse(text.toString());
            } catch (IllegalArgumentException e) {
                throw new FluxKontextValidationException(source, value, e.getMessage());
            }
        }
        if (value instanceof Map<?, ?> map) {
            onlyKeys(map, source, Set.of("width", "height"));
            Integer width = integer(map.get("width"), source + ".width");
            Integer height = integer(map.get("height"), source + ".height");
            if (width == null || height == null) {
                throw new FluxKontextValidationException(source, value, "a custom size needs both width and height");
            }
            return KontextImageSize.of(width, height);
        }
        throw new FluxKontextValidationException(source, value,
                "allowed: a preset or WIDTHxHEIGHT String, a Map {width, height} or a KontextImageSize");
    }

    /**
     * LoRA weights: a List (or one item) of path:scale Strings (the scale after the last colon, optional), Maps in fal's
     * shape {path, scale, force}, or KontextLora; a String may list several, comma separated, as the option does.
     */
    static List<KontextLora> loras(Object value, String source) {
        if (value == null) {
            return null;
        }
        List<Object> items = isList(value) ? asList(value)
                : value instanceof CharSequence text ? new ArrayList<>(List.of(text.toString().split(","))) : List.of(value);
        List<KontextLora> loras = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            loras.add(lora(items.get(i), source + "[" + i + "]"));
        }
        return loras;
    }

    private static KontextLora lora(Object item, String source) {
        if (item instanceof KontextLora lora) {
            return lora;
        }
        if (item instanceof CharSequence text) {
            return KontextLora.parse(text.toString());
        }
        if (item instanceof Map<?, ?> map) {
            onlyKeys(map, source, Set.of("path", "scale", "force"));
            return new KontextLora(string(map.get("path"), source + ".path"), number(map.get("scale"), source + ".scale"),
                    bool(map.get("force"), source + ".force"));
        }
        throw new FluxKontextValidationException(source, item, "allowed: a path:scale String, a Map {path, scale, force} or a KontextLora");
    }

    /** A Map in one of fal's shapes: a key it does not have is a mistake worth naming, not a value to drop. */
    private static void onlyKeys(Map<?, ?> map, String source, Set<String> allowed) {
        for (Object key : map.keySet()) {
            if (!allowed.contains(key)) {
                throw new FluxKontextValidationException(source, map, "unknown key '" + key + "'; allowed keys: "
                                                                      + String.join(", ", new TreeSet<>(allowed)));
            }
        }
    }

    /** Whether a value is a list-like container (Collection or array, but not byte[]). */
    static boolean isList(Object value) {
        return value instanceof Collection<?> || (value != null && value.getClass().isArray() && !(value instanceof byte[]));
    }

    static List<Object> asList(Object value) {
        if (value instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        int n = Array.getLength(value);
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(Array.get(value, i));
        }
        return list;
    }

    /** Input images from a list-like value (or a single value, which makes a list of one). */
    static List<KontextInputImage> images(Object value, String source, Exchange exchange, long maxBytes) {
        if (value == null) {
            return null;
        }
        List<Object> items = isList(value) ? asList(value) : List.of(value);
        List<KontextInputImage> images = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) == null) {
                throw new FluxKontextValidationException(source + "[" + i + "]", null, "every entry must be an image URL, a data URI or image bytes");
            }
            images.add(image(items.get(i), source + "[" + i + "]", exchange, maxBytes, null));
        }
        return images;
    }
}
