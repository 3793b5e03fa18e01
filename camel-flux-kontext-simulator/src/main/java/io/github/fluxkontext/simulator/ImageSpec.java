package io.github.fluxkontext.simulator;

import java.util.List;

/**
 * Everything an output image is drawn from. Equal specs give byte-identical images.
 *
 * @param endpointId the endpoint the job was submitted to
 * @param kind       text-to-image, edit, multi, inpaint or generic
 * @param prompt     the prompt (drawn on the image)
 * @param seed       the job's seed
 * @param index      0-based image index within the job
 * @param count      number of images in the job
 * @param width      pixel width
 * @param height     pixel height
 * @param format     jpeg or png
 * @param inputs     input image URLs: one for edit, several for multi, image, mask and reference for
 *                   inpaint, none otherwise
 * @param loras      the LoRA weights asked for, as shown on the image ({@code name x1.0}), else empty
 * @param strength   inpaint's {@code strength}: how far the masked area moves from the input (0-1)
 */
record ImageSpec(String endpointId, EndpointId.Kind kind, String prompt, long seed, int index, int count, int width,
                 int height, ImageFormat format, List<String> inputs, List<String> loras, double strength) {

    String fileName() {
        return index + "." + format.extension;
    }
}
