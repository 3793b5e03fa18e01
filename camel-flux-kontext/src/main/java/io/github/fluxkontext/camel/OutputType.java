package io.github.fluxkontext.camel;

import java.util.Locale;

/** What the body holds once a job completed (option {@code outputType}). */
public enum OutputType {
    /** A {@code KontextResult}: images (URL, size, type), seed, NSFW flags, prompt, timings. */
    RESULT,
    /** The images themselves: a {@code byte[]} for one, a {@code List<byte[]>} for several. */
    BYTES,
    /** The image URLs, a {@code List<String>}. */
    URLS;

    /** As written in options: {@code result}, {@code bytes} or {@code urls}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
