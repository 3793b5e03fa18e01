package io.github.fluxkontext.camel.model;

/**
 * One generated image, as fal describes it. Only {@code url} is always present; with
 * {@code sync_mode} it is a {@code data:} URI rather than an http(s) URL.
 *
 * @param url         where the image is (http(s) URL or data URI)
 * @param width       pixels, when reported
 * @param height      pixels, when reported
 * @param contentType e.g. {@code image/jpeg}, when reported
 * @param fileName    when reported
 * @param fileSize    bytes, when reported
 */
public record KontextImage(String url, Integer width, Integer height, String contentType, String fileName,
                           Long fileSize) {

    /** Whether the image travels inline as a data URI (fal's {@code sync_mode}). */
    public boolean isDataUri() {
        return url != null && url.regionMatches(true, 0, "data:", 0, 5);
    }

    @Override
    public String toString() {
        // a data URI can be megabytes long
        String shown = url != null && url.length() > 120 ? url.substring(0, 100) + "...(" + url.length() + " chars)" : url;
        return "KontextImage[url=" + shown + ", width=" + width + ", height=" + height + ", contentType=" + contentType
               + ", fileName=" + fileName + ", fileSize=" + fileSize + "]";
    }
}
