package io.github.fluxkontext.camel.client;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fluxkontext.camel.model.FluxKontextException;
import io.github.fluxkontext.camel.model.FluxKontextTransportException;
import io.github.fluxkontext.camel.model.ImageFormat;
import io.github.fluxkontext.camel.model.KontextCancellation;
import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextResult;
import io.github.fluxkontext.camel.model.KontextStatus;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fal's queue protocol on a non-blocking HTTP client: submit, status, result, cancel, plus the
 * storage upload and image download around them. Knows nothing of Camel. Every call returns at once
 * with a future; retries wait on the scheduler, never on a thread.
 * <p>
 * Status, result and cancel URLs come from the submit answer only when they are on the base URL's
 * origin; otherwise they are derived from the base URL and the endpoint's app id, because
 * aggregators in front of fal echo fal's own hosts, which their token does not open (and the key must
 * not travel there).
 */
public final class FalQueueClient {

    private static final Logger LOG = LoggerFactory.getLogger(FalQueueClient.class);

    private final FalClientSettings settings;
    private final FalHttpTransport transport;
    private final ScheduledExecutorService scheduler;
    private final Executor callbackExecutor;
    private final ObjectMapper mapper;
    private final FalAnswers answers;
    private final String baseOrigin;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();

    /**
     * @param http             a started async client; the caller owns it (starts and closes it)
     * @param scheduler        runs the retry delays
     * @param callbackExecutor completes the futures (so callers never run on I/O threads)
     */
    public FalQueueClient(FalClientSettings settings, CloseableHttpAsyncClient http, ScheduledExecutorService scheduler,
                          Executor callbackExecutor, ObjectMapper mapper) {
        this.settings = settings;
        this.scheduler = scheduler;
        this.callbackExecutor = callbackExecutor;
        this.mapper = mapper;
        this.answers = new FalAnswers(mapper);
        this.baseOrigin = FalUrls.origin(settings.baseUrl());
        Set<String> trusted = new HashSet<>();
        trusted.add(baseOrigin);
        if (settings.storageUrl() != null && FalUrls.origin(settings.storageUrl()) != null) {
            trusted.add(FalUrls.origin(settings.storageUrl()));
        }
        this.transport = new FalHttpTransport(http, trusted, settings.authorization(), settings.userAgent(), callbackExecutor);
    }

    public FalClientSettings settings() {
        return settings;
    }

    /** HTTP requests sent so far, retries included. */
    public long requestCount() {
        return requests.get();
    }

    /** Retries made so far, over all calls. */
    public long retryCount() {
        return retries.get();
    }

    /** Submits a job: {@code POST {baseUrl}/{endpointId}}. The returned handle carries the request id. */
    public CompletableFuture<KontextJob> submit(String endpointId, Map<String, Object> input, SubmitOptions options) {
        String id = FalUrls.normalizeEndpointId(endpointId);
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(input);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(new FluxKontextException("The input of " + id + " cannot be written as JSON: "
                                                                           + e.getOriginalMessage(), null, null, e));
        }
        String url = FalUrls.join(settings.baseUrl(), id);
        if (options.webhookUrl() != null) {
            url += "?fal_webhook=" + URLEncoder.encode(options.webhookUrl(), StandardCharsets.UTF_8);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (options.priority() != null) {
            headers.put("x-fal-queue-priority", options.priority());
        }
        if (options.startTimeout() != null) {
            headers.put("x-fal-request-timeout", seconds(options.startTimeout()));
        }
        FalRequest request = new FalRequest("POST", url, body, "application/json", headers, true, settings.maxResponseSize());
        return call(CallKind.SUBMIT, request).handle((response, error) -> {
            if (error != null) {
                throw transportError("submit a job to " + id, null, null, error, true);
            }
            if (!response.isSuccess()) {
                throw answers.error(response, "the submit to " + id, null, null);
            }
            return answers.job(response, id, null, this::isOnBaseOrigin);
        });
    }

    /** The job's current status: {@code GET .../requests/{id}/status}. */
    public CompletableFuture<KontextJob> status(KontextJob job, boolean logs) {
        String url = jobUrl(job.statusUrl(), job, "/status") + (logs ? "?logs=1" : "?logs=0");
        return get(CallKind.STATUS, url, job, "the status request", "get the status of job ").thenApply(response ->
                job.withStatusOf(answers.job(response, job.endpointId(), job.requestId(), this::isOnBaseOrigin)));
    }

    /** The job's output: {@code GET .../requests/{id}}. Call it once the job is COMPLETED. */
    public CompletableFuture<KontextResult> result(KontextJob job) {
        String url = jobUrl(job.responseUrl(), job, "");
        return get(CallKind.RESULT, url, job, "the result request", "get the result of job ").thenApply(response -> {
            if (response.statusCode() == 202) {
                throw new FluxKontextException("The result of job " + job.requestId() + " is not ready yet (HTTP 202)",
                        job.requestId(), job.status(), null);
            }
            return answers.result(response, job.requestId());
        });
    }

    /**
     * fal's answer to the result request of a job that completed with an error, which carries the
     * error body (e.g. a 422 detail list). It completes exceptionally with that error (a
     * {@code FluxKontextApiException}); it is asked once, not retried.
     */
    public CompletableFuture<KontextResult> failedResult(KontextJob job) {
        String url = jobUrl(job.responseUrl(), job, "");
        return get(CallKind.FAILED_RESULT, url, job, "the result request", "get the error of job ")
                .thenApply(response -> answers.result(response, job.requestId()));
    }

    /**
     * Asks fal to cancel the job: {@code PUT .../requests/{id}/cancel}. A job that already completed is
     * not an error: the answer says {@code accepted=false}.
     */
    public CompletableFuture<KontextCancellation> cancel(KontextJob job) {
        String url = jobUrl(job.cancelUrl(), job, "/cancel");
        FalRequest request = new FalRequest("PUT", url, null, null, Map.of(), true, settings.maxResponseSize());
        return call(CallKind.CANCEL, request).handle((response, error) -> {
            if (error != null) {
                throw transportError("cancel job " + job.requestId(), job.requestId(), job.status(), error, false);
            }
            String value = answers.cancelStatus(response);
            if (response.isSuccess()) {
                return new KontextCancellation(job.requestId(), value != null ? value : "OK", true);
            }
            // fal answers 400 ALREADY_COMPLETED (some deployments: a {detail} body) when it is too late
            if ((response.statusCode() == 400 || response.statusCode() == 409) && !"NOT_FOUND".equals(value)) {
                return new KontextCancellation(job.requestId(), value != null ? value : "ALREADY_COMPLETED", false);
            }
            throw answers.error(response, "the cancel request", job.requestId(), job.status());
        });
    }

    /**
     * Fetches a generated image without any credentials (image hosts are not the API), following
     * redirects, bounded by the maximum size. A {@code data:} URI is decoded instead of fetched.
     */
    public CompletableFuture<DownloadedImage> download(String url) {
        if (url.regionMatches(true, 0, "data:", 0, 5)) {
            return CompletableFuture.supplyAsync(() -> decodeDataUri(url), callbackExecutor);
        }
        FalRequest request = new FalRequest("GET", url, null, null, Map.of("Accept", "image/*"), false, settings.maxResponseSize());
        return call(CallKind.DOWNLOAD, request).handle((response, error) -> {
            if (error != null) {
                throw transportError("download image " + url, null, null, error, false);
            }
            if (!response.isSuccess()) {
                throw new FluxKontextException("Downloading image " + url + " failed with HTTP " + response.statusCode()
                                               + (response.statusCode() == 404 || response.statusCode() == 410
                                                       ? " (fal keeps generated media for a limited time)" : ""));
            }
            ImageFormat detected = ImageFormat.detect(response.body());
            String type = detected != null ? detected.mimeType() : response.contentType();
            return new DownloadedImage(response.body(), type);
        });
    }

    /**
     * Uploads bytes to fal's storage (initiate at {@code {storageUrl}/storage/upload/initiate}, then PUT
     * the bytes to the signed URL) and returns the file URL to put in the input.
     */
    public CompletableFuture<String> upload(byte[] data, String contentType, String fileName) {
        if (settings.storageUrl() == null) {
            return CompletableFuture.failedFuture(new FluxKontextException("No storageUrl is configured for uploads"));
        }
        Map<String, Object> initiate = new LinkedHashMap<>();
        initiate.put("content_type", contentType);
        initiate.put("file_name", fileName);
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(initiate);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(new FluxKontextException("Cannot write the upload request", null, null, e));
        }
        String url = FalUrls.join(settings.storageUrl(), "storage/upload/initiate?storage_type=fal-cdn-v3");
        FalRequest request = new FalRequest("POST", url, body, "application/json", Map.of(), true, settings.maxResponseSize());
        return call(CallKind.UPLOAD, request).thenCompose(response -> {
            if (!response.isSuccess()) {
                throw answers.error(response, "the storage upload initiate", null, null);
            }
            JsonNode json = readJson(response, "storage upload initiate");
            String uploadUrl = json.path("upload_url").asText(null);
            String fileUrl = json.path("file_url").asText(null);
            if (uploadUrl == null || fileUrl == null) {
                throw new FluxKontextException("fal's storage answer lacks upload_url or file_url: " + response.bodyText(300));
            }
            // the upload URL is signed: it needs no credentials, and may be on another host
            FalRequest put = new FalRequest("PUT", uploadUrl, data, contentType, Map.of(), false, settings.maxResponseSize());
            return call(CallKind.UPLOAD, put).thenApply(putResponse -> {
                if (!putResponse.isSuccess()) {
                    throw new FluxKontextException("Uploading " + data.length + " bytes to fal's storage failed with HTTP "
                                                   + putResponse.statusCode() + ": " + putResponse.bodyText(300));
                }
                return fileUrl;
            });
        }).handle((fileUrl, error) -> {
            if (error == null) {
                return fileUrl;
            }
            Throwable cause = unwrap(error);
            if (cause instanceof FluxKontextException fke) {
                throw fke;
            }
            throw transportError("upload an image to fal's storage", null, null, cause, false);
        });
    }

    private boolean isOnBaseOrigin(String url) {
        return baseOrigin != null && baseOrigin.equals(FalUrls.origin(url));
    }

    /** The server's URL for the job when it is on the base URL's origin, else the derived one. */
    private String jobUrl(String fromServer, KontextJob job, String suffix) {
        if (fromServer != null && isOnBaseOrigin(fromServer)) {
            return fromServer;
        }
        if (job.endpointId() == null) {
            throw new IllegalArgumentException("job " + job.requestId() + " has no endpoint id to derive its URLs from");
        }
        return FalUrls.responseUrl(settings.baseUrl(), job.endpointId(), job.requestId()) + suffix;
    }

    private CompletableFuture<FalResponse> get(CallKind kind, String url, KontextJob job, String what, String action) {
        FalRequest request = new FalRequest("GET", url, null, null, Map.of(), true, settings.maxResponseSize());
        return call(kind, request).handle((response, error) -> {
            if (error != null) {
                throw transportError(action + job.requestId(), job.requestId(), job.status(), error, false);
            }
            if (!response.isSuccess()) {
                throw answers.error(response, what, job.requestId(), job.status());
            }
            return response;
        });
    }

    /** Sends a request, retrying as the policy says; answers with error codes complete normally. */
    private CompletableFuture<FalResponse> call(CallKind kind, FalRequest request) {
        CompletableFuture<FalResponse> result = new CompletableFuture<>();
        attempt(kind, request, 0, result);
        return result;
    }

    private void attempt(CallKind kind, FalRequest request, int retriesDone, CompletableFuture<FalResponse> result) {
        requests.incrementAndGet();
        transport.send(request).whenComplete((response, error) -> {
            Throwable cause = error == null ? null : unwrap(error);
            Optional<Duration> delay = cause != null
                    ? settings.retryPolicy().afterError(kind, retriesDone, cause)
                    : settings.retryPolicy().afterResponse(kind, retriesDone, response);
            if (delay.isEmpty()) {
                if (cause != null) {
                    result.completeExceptionally(new RetriesExhausted(cause, retriesDone));
                } else {
                    result.complete(response);
                }
                return;
            }
            retries.incrementAndGet();
            LOG.debug("Retrying {} {} in {} ms after {} (retry {} of {})", kind, request, delay.get().toMillis(),
                    cause != null ? cause.toString() : "HTTP " + response.statusCode(), retriesDone + 1,
                    settings.retryPolicy().maxRetries());
            try {
                scheduler.schedule(() -> attempt(kind, request, retriesDone + 1, result), delay.get().toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopped) {
                result.completeExceptionally(new RetriesExhausted(cause != null ? cause
                        : new IOException("stopped before retrying HTTP " + response.statusCode()), retriesDone));
            }
        });
    }

    /**
     * @param submit whether the failed call was a submit: then, unless the request certainly never
     *               reached the server, a job may exist without our knowing its id
     */
    private FluxKontextTransportException transportError(String what, String requestId, KontextStatus lastStatus,
                                                         Throwable error, boolean submit) {
        Throwable cause = unwrap(error);
        int retriesDone = 0;
        if (cause instanceof RetriesExhausted exhausted) {
            retriesDone = exhausted.retriesDone;
            cause = exhausted.getCause();
        }
        if (cause instanceof FluxKontextTransportException known) {
            return known;
        }
        // only an I/O failure can have happened after the request left; one that never left is certain
        boolean outcomeUnknown = submit && cause instanceof IOException && !RetryPolicy.neverReachedServer(cause);
        String message = "Could not " + what + ": " + describe(cause)
                         + (retriesDone > 0 ? " (after " + retriesDone + " retries)" : "")
                         + (outcomeUnknown ? ". The request may have reached fal, so a job may exist although no request id came"
                                             + " back; it was not sent again to avoid paying twice (option submitRetry)" : "");
        return new FluxKontextTransportException(message, requestId, lastStatus, cause, outcomeUnknown);
    }

    private JsonNode readJson(FalResponse response, String what) {
        try {
            return mapper.readTree(response.body());
        } catch (IOException e) {
            throw new FluxKontextException("fal's " + what + " answer is not JSON: " + response.bodyText(300), null, null, e);
        }
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
        ImageFormat detected = ImageFormat.detect(bytes);
        String declared = uri.substring(5, comma).split(";")[0];
        return new DownloadedImage(bytes, detected != null ? detected.mimeType() : declared);
    }

    private static String seconds(Duration duration) {
        return String.valueOf(duration.toMillis() / 1000.0);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : " " + message);
    }

    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Marks a transport failure the policy gave up on, remembering how many retries were made. */
    private static final class RetriesExhausted extends IOException {
        private final int retriesDone;

        RetriesExhausted(Throwable cause, int retriesDone) {
            super(cause.getMessage(), cause);
            this.retriesDone = retriesDone;
        }
    }
}
