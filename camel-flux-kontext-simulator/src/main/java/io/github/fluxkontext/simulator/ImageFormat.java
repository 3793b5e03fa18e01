package io.github.fluxkontext.simulator;

/** The two output formats Kontext offers ({@code output_format}; the default depends on the endpoint). */
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

    /** The format {@code output_format} names, else the endpoint's default (jpeg for pro, max and dev, png for LoRA). */
    static ImageFormat fromInput(String outputFormat, ImageFormat endpointDefault) {
        if ("png".equals(outputFormat)) {
            return PNG;
        }
        return "jpeg".equals(outputFormat) ? JPEG : endpointDefault;
    }

    static ImageFormat defaultFor(EndpointId endpoint) {
        return endpoint.family() == EndpointId.Family.LORA ? PNG : JPEG;
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
