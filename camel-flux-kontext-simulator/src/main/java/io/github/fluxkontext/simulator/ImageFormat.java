package io.github.fluxkontext.simulator;

/** The two output formats Kontext offers ({@code output_format}, default jpeg). */
enum ImageFormat {
    JPEG("jpeg", "image/jpeg", "jpeg"),
    PNG("png", "image/png", "png");

    final String imageIoName;
    final String contentType;
    final String extension;

    ImageFormat(String imageIoName, String contentType, String extension) {
        this.imageIoName = imageIoName;
        this.contentType = contentType;
        this.extension = extension;
    }

    static ImageFormat fromInput(String outputFormat) {
        return "png".equals(outputFormat) ? PNG : JPEG;
    }

    static ImageFormat fromExtension(String ext) {
        for (ImageFormat f : values()) {
            if (f.extension.equals(ext)) {
                return f;
            }
        }
        return null;
    }
}
