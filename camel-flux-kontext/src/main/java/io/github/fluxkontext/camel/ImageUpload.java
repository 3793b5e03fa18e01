package io.github.fluxkontext.camel;

/** How local input images (bytes, files, streams) reach fal (option {@code imageUpload}). */
public enum ImageUpload {
    /** Inline in the input as data URIs: accepted by fal and by aggregators. */
    INLINE("inline"),
    /** Uploaded to fal's storage first, then sent as a URL. */
    FAL_STORAGE("fal-storage");

    private final String value;

    ImageUpload(String value) {
        this.value = value;
    }

    /** As written in options: {@code inline} or {@code fal-storage}. */
    @Override
    public String toString() {
        return value;
    }
}
