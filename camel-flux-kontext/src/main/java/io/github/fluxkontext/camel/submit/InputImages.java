package io.github.fluxkontext.camel.submit;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.fluxkontext.camel.ImageUpload;
import io.github.fluxkontext.camel.client.FalStorage;
import io.github.fluxkontext.camel.model.ImageFormat;
import io.github.fluxkontext.camel.model.KontextInputImage;
import io.github.fluxkontext.camel.model.KontextRequest;
import io.github.fluxkontext.camel.model.KontextRequestValidator;

/**
 * Turns the request's input images into the URLs fal receives: URLs and data URIs as given, local
 * bytes inline as data URIs ({@code imageUpload=inline}) or uploaded to fal's storage first
 * ({@code imageUpload=fal-storage}), in order.
 */
public final class InputImages {

    private final FalStorage storage;
    private final boolean upload;
    private final long maxBytes;

    /** @param maxInlineBytes the largest image sent inline (uploads take fal's single-upload limit) */
    InputImages(FalStorage storage, ImageUpload imageUpload, long maxInlineBytes) {
        this.storage = storage;
        this.upload = imageUpload == ImageUpload.FAL_STORAGE;
        this.maxBytes = upload ? KontextRequestValidator.MAX_UPLOAD_SIZE : maxInlineBytes;
    }

    /** fal's JSON input for the request, once every local image has its URL. */
    CompletableFuture<Map<String, Object>> toFalInput(KontextRequest request) {
        List<KontextInputImage> images = request.inputImages();
        Map<KontextInputImage, CompletableFuture<String>> urls = new IdentityHashMap<>();
        for (KontextInputImage image : images) {
            urls.computeIfAbsent(image, this::urlOf);
        }
        return CompletableFuture.allOf(urls.values().toArray(CompletableFuture[]::new))
                .thenApply(done -> request.toFalInput(image -> urls.get(image).join()));
    }

    private CompletableFuture<String> urlOf(KontextInputImage image) {
        if (image.isUrl()) {
            return CompletableFuture.completedFuture(image.url());
        }
        byte[] bytes = image.bytes(maxBytes);
        ImageFormat format = ImageFormat.detect(bytes);
        if (!upload) {
            return CompletableFuture.completedFuture(KontextInputImage.toDataUri(bytes, format));
        }
        String name = image.fileName() != null ? image.fileName() : "image." + format.extension();
        return storage.upload(bytes, format.mimeType(), name);
    }
}
