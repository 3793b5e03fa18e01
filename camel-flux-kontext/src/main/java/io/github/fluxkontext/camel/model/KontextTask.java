package io.github.fluxkontext.camel.model;

/** What a Kontext job does, which decides the input images it takes. */
public enum KontextTask {
    /** No input image. */
    TEXT_TO_IMAGE,
    /** Exactly one input image, {@code image_url}. */
    EDIT,
    /** One or more input images, {@code image_urls}. */
    MULTI,
    /** One input image, {@code image_url}, repainted where {@code mask_url} is white after {@code reference_image_url}. */
    INPAINT
}
