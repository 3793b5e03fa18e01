package io.github.fluxkontext.camel.client;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.fluxkontext.camel.model.FluxKontextException;
import io.github.fluxkontext.camel.model.ImageFormat;

import static io.github.fluxkontext.camel.client.FalQueueClient.guarded;

/**
 * Files around the queue (fal's JS client has them in {@code storage.ts}): uploading input images to
 * fal's storage, and fetching generated images (or decoding the data URIs of sync mode).
 */
public final class FalStorage {

    private final String storageUrl;
    private final String storageOrigin;
    private final long maxResponseSize;
    private final FalCalls calls;
    private final FalResponseReader reader;
    private final Executor callbackExecutor;

    FalStorage(FalClientSettings settings, FalCalls calls, FalResponseReader reader, Executor callbackExecutor) {
        this.storageUrl = settings.storageUrl();
        this.storageOrigin = settings.storageUrl() == null ? null : FalUrls.origin(settings.storageUrl());
        this.maxResponseSize = settings.maxResponseSize();
        this.calls = calls;
        this.reader = reader;
        this.callbackExecutor = callbackExecutor;
    }

    /**
     * Fetches a generated image without any credentials (image hosts are not the API), following
     * redirects, bounded by the maximum size, and checks that the bytes are an image (of the type the
     * result announced, when it announced one) before they reach the route. A {@code data:} URI is
     * decoded instead of fetched.
     *
     * @param announcedType the image's {@code content_type} in the result, or null
     */
    public CompletableFuture<DownloadedImage> download(String url, String announcedType) {
        if (url.regionMatches(true, 0, "data:", 0, 5)) {
            return CompletableFuture.supplyAsync(() -> checked(decodeDataUri(url), url, announcedType), callbackExecutor);
        }
        return guarded(() -> {
            FalRequest request = new FalRequest("GET", url, null, null, Map.of("Accept", "image/*"), null, maxResponseSize);
            return calls.send(CallKind.DOWNLOAD, request).handle((response, error) -> {
                if (error != null) {
                    throw FalCalls.failure("download image " + FalUrls.redact(url), null, null, error, false);
                }
                if (!response.isSuccess()) {
                    throw new FluxKontextException("Downloading image " + FalUrls.redact(url) + " failed with HTTP " + response.statusCode()
                                                   + (response.statusCode() == 404 || response.statusCode() == 410
                                                           ? " (fal keeps generated media for a limited time)" : ""));
                }
                return checked(new DownloadedImage(response.body(), response.contentType()), url, announcedType);
            });
        });
    }

    /** The image with its type detected from the bytes; anything that is not an image of the announced type is refused. */
    private static DownloadedImage checked(DownloadedImage image, String url, String announcedType) {
        ImageFormat detected = ImageFormat.detect(image.bytes());
        if (detected == null) {
            throw new FluxKontextException("The download of image " + FalUrls.redact(url) + " is not an image ("
                                           + image.bytes().length + " bytes, Content-Type " + image.contentType() + ")");
        }
        ImageFormat announced = ImageFormat.ofMimeType(announcedType);
        if (announced != null && announced != detected) {
            throw new FluxKontextException("Image " + FalUrls.redact(url) + " was announced as " + announcedType + " but is "
                                           + detected.mimeType());
        }
        return new DownloadedImage(image.bytes(), detected.mimeType());
    }

    /**
     * Uploads bytes to fal's storage (initiate at {@code {storageUrl}/storage/upload/initiate} with the
     * credentials, then PUT the bytes to the signed URL without them) and returns the file URL to put in
     * the input.
     */
    public CompletableFuture<String> upload(byte[] data, String contentType, String fileName) {
        return guarded(() -> {
            if (storageOrigin == null) {
                throw new FluxKontextException("No storageUrl is configured for uploads");
            }
            Map<String, Object> initiate = new LinkedHashMap<>();
            initiate.put("content_type", contentType);
            initiate.put("file_name", fileName);
            String url = FalUrls.join(storageUrl, "storage/upload/initiate?storage_type=fal-cdn-v3");
            FalRequest request = new FalRequest("POST", url, reader.json(initiate, "the upload request"), "application/json",
                    Map.of(), storageOrigin, maxResponseSize);
            return calls.send(CallKind.UPLOAD, request).thenCompose(response -> {
                if (!response.isSuccess()) {
                    throw reader.error(response, CallKind.UPLOAD, "the storage upload initiate", null, null);
                }
                JsonNode json = reader.tree(response, null, "storage upload initiate");
                String uploadUrl = json.path("upload_url").asText(null);
                String fileUrl = json.path("file_url").asText(null);
                if (uploadUrl == null || fileUrl == null) {
                    throw new FluxKontextException("fal's storage answer lacks upload_url or file_url: " + reader.excerpt(response, 300));
                }
                // the upload URL is signed: it needs no credentials, and may be on another host
                FalRequest put = new FalRequest("PUT", uploadUrl, data, contentType, Map.of(), null, maxResponseSize);
                return calls.send(CallKind.UPLOAD, put).thenApply(putResponse -> {
                    if (!putResponse.isSuccess()) {
                        throw new FluxKontextException("Uploading " + data.length + " bytes to fal's storage failed with HTTP "
                                                       + putResponse.statusCode() + ": " + reader.excerpt(putResponse, 300));
                    }
                    return fileUrl;
                });
            }).handle((fileUrl, error) -> {
                if (error == null) {
                    return fileUrl;
                }
                Throwable cause = Futures.unwrap(error);
                if (cause instanceof FluxKontextException fke) {
                    throw fke;
                }
                throw FalCalls.failure("upload an image to fal's storage", null, null, cause, false);
            });
        });
    }

    private static DownloadedImage decodeDataUri(String uri) {
        int comma = uri.indexOf(',');
        if (comma < 0 || !uri.substring(0, comma).toLowerCase(Locale.ROOT).endsWith(";base64")) {
            throw new FluxKontextException("The image data URI in the result is malformed (expected data:<type>;base64,<data>)");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(uri.substring(comma + 1));
        } catch (IllegalArgumentException e) {
            throw new FluxKontextException("The image data URI in the result is not valid base64: " + e.getMessage());
        }
        return new DownloadedImage(bytes, uri.substring(5, comma).split(";")[0]);
    }
}
