package io.github.fluxkontext.camel.client;

/**
 * The bytes of a generated image.
 *
 * @param bytes       the image
 * @param contentType its MIME type (from the server, else from the bytes)
 */
public record DownloadedImage(byte[] bytes, String contentType) {

    @Override
    public String toString() {
        return "DownloadedImage[" + bytes.length + " bytes, " + contentType + "]";
    }
}
