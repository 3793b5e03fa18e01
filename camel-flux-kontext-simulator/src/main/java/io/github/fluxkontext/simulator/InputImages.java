package io.github.fluxkontext.simulator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads input images the simulator can see without the network: data URIs and its own file URLs
 * (uploads and earlier outputs). Anything else -- and formats ImageIO cannot read, such as webp or
 * avif -- is "unreadable" and gets the placeholder drawing.
 */
final class InputImages {

    private static final System.Logger LOG = System.getLogger(InputImages.class.getName());

    private final Function<String, Optional<byte[]>> ownFiles; // URL -> bytes, if it is one of our file URLs

    InputImages(Function<String, Optional<byte[]>> ownFiles) {
        this.ownFiles = ownFiles;
    }

    Optional<byte[]> bytes(String url) {
        if (url == null) {
            return Optional.empty();
        }
        if (url.regionMatches(true, 0, "data:", 0, 5)) {
            return decodeDataUri(url);
        }
        return ownFiles.apply(url);
    }

    Optional<BufferedImage> decode(String url) {
        Optional<byte[]> bytes = bytes(url);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            // ImageIO.read closes the stream itself (a second close would throw)
            return Optional.ofNullable(ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes.get()))));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Input image is not readable by ImageIO: " + shorten(url), e);
            return Optional.empty();
        }
    }

    /** Width and height from the image header, without decoding the pixels. */
    Optional<Dimension> dimensions(String url) {
        Optional<byte[]> bytes = bytes(url);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes.get()))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return Optional.empty();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                return Optional.of(new Dimension(reader.getWidth(0), reader.getHeight(0)));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Cannot read the size of input image " + shorten(url), e);
            return Optional.empty();
        }
    }

    static Optional<byte[]> decodeDataUri(String uri) {
        int comma = uri.indexOf(',');
        if (comma < 0) {
            return Optional.empty();
        }
        String meta = uri.substring(5, comma);
        String data = uri.substring(comma + 1);
        try {
            if (meta.endsWith(";base64")) {
                return Optional.of(Base64.getMimeDecoder().decode(data));
            }
            return Optional.of(percentDecode(data));
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.DEBUG, "Malformed data URI " + shorten(uri), e);
            return Optional.empty();
        }
    }

    private static byte[] percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '%' && i + 2 < raw.length) {
                out.write(Integer.parseInt(new String(raw, i + 1, 2, StandardCharsets.US_ASCII), 16));
                i += 2;
            } else {
                out.write(raw[i]);
            }
        }
        return out.toByteArray();
    }

    static String shorten(String url) {
        return url.length() <= 80 ? url : url.substring(0, 77) + "...";
    }
}
