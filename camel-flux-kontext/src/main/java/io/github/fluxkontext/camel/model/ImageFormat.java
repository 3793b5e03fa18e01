package io.github.fluxkontext.camel.model;

import java.util.Locale;

/** The image formats fal's Kontext endpoints accept as input, recognised by their leading bytes. */
public enum ImageFormat {
    PNG("image/png", "png"),
    JPEG("image/jpeg", "jpg"),
    WEBP("image/webp", "webp"),
    GIF("image/gif", "gif"),
    AVIF("image/avif", "avif");

    /** What the error messages list as allowed. */
    public static final String ACCEPTED = "PNG, JPEG, WEBP, GIF or AVIF";

    private final String mimeType;
    private final String extension;

    ImageFormat(String mimeType, String extension) {
        this.mimeType = mimeType;
        this.extension = extension;
    }

    public String mimeType() {
        return mimeType;
    }

    /** The usual file extension, without the dot. */
    public String extension() {
        return extension;
    }

    /** Recognises the format from the first bytes (magic numbers), or returns null for anything else. */
    public static ImageFormat detect(byte[] data) {
        if (data == null || data.length < 12) {
            return null;
        }
        if (startsWith(data, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (startsWith(data, 0, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (startsWith(data, 0, 'G', 'I', 'F', '8') && (data[4] == '7' || data[4] == '9') && data[5] == 'a') {
            return GIF;
        }
        if (startsWith(data, 0, 'R', 'I', 'F', 'F') && startsWith(data, 8, 'W', 'E', 'B', 'P')) {
            return WEBP;
        }
        if (startsWith(data, 4, 'f', 't', 'y', 'p') && isAvifBrand(data)) {
            return AVIF;
        }
        return null;
    }

    /** The format for a MIME type such as {@code image/png} (parameters ignored), or null. */
    public static ImageFormat ofMimeType(String mimeType) {
        if (mimeType == null) {
            return null;
        }
        String bare = mimeType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if ("image/jpg".equals(bare)) {
            return JPEG;
        }
        for (ImageFormat format : values()) {
            if (format.mimeType.equals(bare)) {
                return format;
            }
        }
        return null;
    }

    // ISO-BMFF: the major brand at 8..12, compatible brands after the minor version (16..box size)
    private static boolean isAvifBrand(byte[] data) {
        int boxSize = ((data[0] & 0xFF) << 24) | ((data[1] & 0xFF) << 16) | ((data[2] & 0xFF) << 8) | (data[3] & 0xFF);
        int end = Math.min(Math.max(boxSize, 12), data.length);
        for (int offset = 8; offset + 4 <= end; offset += offset == 8 ? 8 : 4) {
            if (startsWith(data, offset, 'a', 'v', 'i', 'f') || startsWith(data, offset, 'a', 'v', 'i', 's')) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] data, int offset, int... expected) {
        if (data.length < offset + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((data[offset + i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
