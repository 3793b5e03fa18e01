package io.github.fluxkontext.camel.model;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Objects;

/**
 * An input image of a Kontext job: a URL fal can fetch (http(s) or a {@code data:} URI), or local
 * bytes (from a byte array, a stream, a file). Local images are sent inline as a data URI, or
 * uploaded to fal's storage first ({@code imageUpload=fal-storage}); their MIME type is detected from
 * the bytes.
 */
public final class KontextInputImage {

    private final String url;
    private final byte[] bytes;
    private final Path path;
    private final String fileName;

    private KontextInputImage(String url, byte[] bytes, Path path, String fileName) {
        this.url = url;
        this.bytes = bytes;
        this.path = path;
        this.fileName = fileName;
    }

    /** An image fal fetches itself: an http(s) URL or a {@code data:} URI. */
    public static KontextInputImage fromUrl(String url) {
        return new KontextInputImage(Objects.requireNonNull(url, "url"), null, null, null);
    }

    /** Image bytes (PNG, JPEG, WEBP, GIF or AVIF). */
    public static KontextInputImage fromBytes(byte[] bytes) {
        return fromBytes(bytes, null);
    }

    /** Image bytes with a file name (used as the upload's name with {@code imageUpload=fal-storage}). */
    public static KontextInputImage fromBytes(byte[] bytes, String fileName) {
        return new KontextInputImage(null, Objects.requireNonNull(bytes, "bytes"), null, fileName);
    }

    /** An image file; it is read when the job is submitted, after its size has been checked. */
    public static KontextInputImage fromPath(Path path) {
        Objects.requireNonNull(path, "path");
        return new KontextInputImage(null, null, path, String.valueOf(path.getFileName()));
    }

    /** An image file; it is read when the job is submitted, after its size has been checked. */
    public static KontextInputImage fromFile(File file) {
        return fromPath(Objects.requireNonNull(file, "file").toPath());
    }

    /**
     * Reads the stream now, up to {@code maxBytes}; a longer stream is rejected rather than read whole.
     *
     * @throws FluxKontextValidationException when the stream holds more than {@code maxBytes}
     * @throws UncheckedIOException           when reading fails
     */
    public static KontextInputImage fromStream(InputStream in, long maxBytes, String fileName) {
        try {
            byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (data.length > maxBytes) {
                throw new FluxKontextValidationException("image", "a stream of more than " + maxBytes + " bytes",
                        "images may hold at most " + maxBytes + " bytes");
            }
            return fromBytes(data, fileName);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the input image stream", e);
        }
    }

    /** Whether fal fetches this image itself (http(s) URL or data URI) rather than from local bytes. */
    public boolean isUrl() {
        return url != null;
    }

    /** The URL or data URI, or null for local bytes. */
    public String url() {
        return url;
    }

    /** The file behind this image, or null. */
    public Path path() {
        return path;
    }

    /** A name for the image (file name when known), or null. */
    public String fileName() {
        return fileName;
    }

    /** The size in bytes of local image data without reading a file, or -1 for a URL. */
    public long size() {
        if (bytes != null) {
            return bytes.length;
        }
        if (path != null) {
            try {
                return Files.size(path);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read the size of image file " + path, e);
            }
        }
        return -1;
    }

    /**
     * The format recognised from the leading bytes (a file's first bytes only are read), or null when
     * the data is no image of an accepted format, or for a URL.
     */
    public ImageFormat format() {
        if (bytes != null) {
            return ImageFormat.detect(bytes);
        }
        if (path != null) {
            try (InputStream in = Files.newInputStream(path)) {
                return ImageFormat.detect(in.readNBytes(64));
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read image file " + path, e);
            }
        }
        return null;
    }

    /** The image bytes (reads the file when the image is one); null for a URL. */
    public byte[] bytes() {
        return bytes(Long.MAX_VALUE - 1);
    }

    /**
     * The image's bytes, reading a file at most {@code maxBytes + 1} bytes far: a file that grew past the
     * limit after it was checked is refused rather than read whole.
     *
     * @throws FluxKontextValidationException when there are more than {@code maxBytes}
     */
    public byte[] bytes(long maxBytes) {
        byte[] data = bytes;
        if (data == null && path != null) {
            try (InputStream in = Files.newInputStream(path)) {
                data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read image file " + path, e);
            }
        }
        if (data != null && data.length > maxBytes) {
            throw new FluxKontextValidationException("image", this + " of more than " + maxBytes + " bytes",
                    "images may hold at most " + maxBytes + " bytes here (it changed after it was checked?)");
        }
        return data;
    }

    /** Encodes local bytes as a {@code data:<mime>;base64,...} URI. */
    public static String toDataUri(byte[] data, ImageFormat format) {
        return "data:" + format.mimeType() + ";base64," + Base64.getEncoder().encodeToString(data);
    }

    @Override
    public String toString() {
        if (url != null) {
            return "KontextInputImage[" + (url.length() > 100 ? url.substring(0, 80) + "...(" + url.length() + " chars)" : url) + "]";
        }
        return "KontextInputImage[" + (path != null ? path : bytes.length + " bytes") + "]";
    }
}
