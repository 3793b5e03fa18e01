package io.github.fluxkontext.camel;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The body of {@code outputType=bytes} when a job made several images: a {@code List<byte[]>}, one entry per image,
 * in fal's order. It is a list of its own type so that a step that needs one stream of bytes ({@code to("file:...")},
 * {@code convertBodyTo(byte[].class)}) fails with what to do (split the list, or ask for one image) instead of
 * Camel's "no type converter" (see {@link FluxKontextConverters}).
 */
public final class ImageBytesList extends AbstractList<byte[]> implements RandomAccess {

    private final List<byte[]> images;
    private final String requestId;

    public ImageBytesList(List<byte[]> images, String requestId) {
        this.images = List.copyOf(images);
        this.requestId = requestId;
    }

    @Override
    public byte[] get(int index) {
        return images.get(index);
    }

    @Override
    public int size() {
        return images.size();
    }

    /** The job the images are of. */
    public String getRequestId() {
        return requestId;
    }

    /** Why these images cannot be one stream of bytes, and what to do instead. */
    IllegalArgumentException notOneImage() {
        return new IllegalArgumentException("The body holds " + size() + " images of job " + requestId + " (outputType=bytes with"
                                            + " numImages above 1 gives a List<byte[]>), not one stream of bytes. Split it before"
                                            + " the step that writes it, e.g. .split(body()).to(\"file:output\") (the name of"
                                            + " each image is in the header CamelFluxKontextFileNames), or ask for one image"
                                            + " (numImages=1). The job is done: flux-kontext:result with its request id fetches"
                                            + " its images again while fal keeps them");
    }

    /** Brief, never the bytes: what a log line or an error shows of the body. */
    @Override
    public String toString() {
        return "ImageBytesList[" + size() + " images of job " + requestId + "]";
    }
}
