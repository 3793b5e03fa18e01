package io.github.fluxkontext.camel.client;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

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
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.RequestNotExecutedException;
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
public final class FalQueueClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FalQueueClient.class);

    private final FalClientSettings settings;
    private final FalHttpTransport transport;
    private final ScheduledExecutorService scheduler;
    private final Executor callbackExecutor;
    private final ObjectMapper mapper;
    private final FalAnswers answers;
    private final String baseOrigin;
    private final String storageOrigin;
    private final Set<Call> pending = ConcurrentHashMap.newKeySet();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private volatile boolean closed;

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
        this.answers = new FalAnswers(mapper, settings.retryPolicy());
        this.baseOrigin = FalUrls.origin(settings.baseUrl());
        this.storageOrigin = settings.storageUrl() == null ? null : FalUrls.origin(settings.storageUrl());
        this.transport = new FalHttpTransport(http, settings.authorization(), settings.userAgent(), callbackExecutor);
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

    /** Calls under way (sent, or waiting to be retried). */
    public int pendingCalls() {
        return pending.size();
    }

    /**
     * Ends every call under way, so no caller waits for an answer that will not come: a call waiting
     * for its retry is not sent again (for a submit: no job was created by it), a call in flight fails
     * as broken (for a submit: a job may exist). New calls fail at once. Does not close the HTTP client.
     */
    @Override
    public void close() {
        closed = true;
        for (Call call : pending) {
            call.abort();
        }
        pending.clear();
    }

    /** Submits a job: {@code POST {baseUrl}/{endpointId}}. The returned handle carries the request id. */
    public CompletableFuture<KontextJob> submit(String endpointId, Map<String, Object> input, SubmitOptions options) {
        return guarded(() -> {
            String id = FalUrls.normalizeEndpointId(endpointId);
            byte[] body = json(input, "the input of " + id);
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
            FalRequest request = new FalRequest("POST", url, body, "application/json", headers, baseOrigin, settings.maxResponseSize());
            return call(CallKind.SUBMIT, request).handle((response, error) -> {
                if (error != null) {
                    throw transportError("submit a job to " + id, null, null, error, true);
                }
                if (!response.isSuccess()) {
                    throw answers.error(response, CallKind.SUBMIT, "the submit to " + id, null, null);
                }
                return answers.submitted(response, id, this::isOnBaseOrigin);
            });
        });
    }

    /** The job's current status: {@code GET .../requests/{id}/status}. */
    public CompletableFuture<KontextJob> status(KontextJob job, boolean logs) {
        return guarded(() -> {
            String url = jobUrl(job.statusUrl(), job, "/status") + (logs ? "?logs=1" : "?logs=0");
            return get(CallKind.STATUS, url, job, "the status request", "get the status of job ").thenApply(response ->
                    job.withStatusOf(answers.job(response, job.endpointId(), job.requestId(), this::isOnBaseOrigin)));
        });
    }

    /** The job's output: {@code GET .../requests/{id}}. Call it once the job is COMPLETED. */
    public CompletableFuture<KontextResult> result(KontextJob job) {
        return guarded(() -> get(CallKind.RESULT, jobUrl(job.responseUrl(), job, ""), job, "the result request",
                "get the result of job ").thenApply(response -> {
                    if (response.statusCode() == 202) {
                        throw new FluxKontextException("The result of job " + job.requestId() + " is not ready yet (HTTP 202)",
                                job.requestId(), job.status(), null);
                    }
                    return answers.result(response, job.requestId());
                }));
    }

    /**
     * fal's answer to the result request of a job that completed with an error, which carries the
     * error body (e.g. a 422 detail list). It completes exceptionally with that error (a
     * {@code FluxKontextApiException}); it is asked once, not retried.
     */
    public CompletableFuture<KontextResult> failedResult(KontextJob job) {
        return guarded(() -> get(CallKind.FAILED_RESULT, jobUrl(job.responseUrl(), job, ""), job, "the result request",
                "get the error of job ").thenApply(response -> answers.result(response, job.requestId())));
    }

    /**
     * Asks fal to cancel the job: {@code PUT .../requests/{id}/cancel}. A job that already completed is
     * not an error: the answer says {@code accepted=false}.
     */
    public CompletableFuture<KontextCancellation> cancel(KontextJob job) {
        return cancel(job, CallKind.CANCEL);
    }

    /** A cancel sent because a wait timed out: one attempt, so that the timeout is not stretched by retries. */
    public CompletableFuture<KontextCancellation> cancelOnTimeout(KontextJob job) {
        return cancel(job, CallKind.TIMEOUT_CANCEL);
    }

    private CompletableFuture<KontextCancellation> cancel(KontextJob job, CallKind kind) {
        return guarded(() -> {
            FalRequest request = new FalRequest("PUT", jobUrl(job.cancelUrl(), job, "/cancel"), null, null, Map.of(), baseOrigin,
                    settings.maxResponseSize());
            return call(kind, request).handle((response, error) -> {
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
                throw answers.error(response, kind, "the cancel request", job.requestId(), job.status());
            });
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
        return guarded(() -> {
            FalRequest request = new FalRequest("GET", url, null, null, Map.of("Accept", "image/*"), null, settings.maxResponseSize());
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
                return new DownloadedImage(response.body(), detected != null ? detected.mimeType() : response.contentType());
            });
        });
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
            String url = FalUrls.join(settings.storageUrl(), "storage/upload/initiate?storage_type=fal-cdn-v3");
            FalRequest request = new FalRequest("POST", url, json(initiate, "the upload request"), "application/json", Map.of(),
                    storageOrigin, settings.maxResponseSize());
            return call(CallKind.UPLOAD, request).thenCompose(response -> {
                if (!response.isSuccess()) {
                    throw answers.error(response, CallKind.UPLOAD, "the storage upload initiate", null, null);
                }
                JsonNode json = readJson(response, "storage upload initiate");
                String uploadUrl = json.path("upload_url").asText(null);
                String fileUrl = json.path("file_url").asText(null);
                if (uploadUrl == null || fileUrl == null) {
                    throw new FluxKontextException("fal's storage answer lacks upload_url or file_url: " + response.bodyText(300));
                }
                // the upload URL is signed: it needs no credentials, and may be on another host
                FalRequest put = new FalRequest("PUT", uploadUrl, data, contentType, Map.of(), null, settings.maxResponseSize());
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
                Throwable cause = Futures.unwrap(error);
                if (cause instanceof FluxKontextException fke) {
                    throw fke;
                }
                throw transportError("upload an image to fal's storage", null, null, cause, false);
            });
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
        FalRequest request = new FalRequest("GET", url, null, null, Map.of(), baseOrigin, settings.maxResponseSize());
        return call(kind, request).handle((response, error) -> {
            if (error != null) {
                throw transportError(action + job.requestId(), job.requestId(), job.status(), error, false);
            }
            if (!response.isSuccess()) {
                throw answers.error(response, kind, what, job.requestId(), job.status());
            }
            return response;
        });
    }

    /** Runs a call's set-up so that a mistake in it fails the future instead of the caller's thread. */
    private static <T> CompletableFuture<T> guarded(Supplier<CompletableFuture<T>> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Sends a request, retrying as the policy says; answers with error codes complete normally. */
    private CompletableFuture<FalResponse> call(CallKind kind, FalRequest request) {
        Call call = new Call(kind, request);
        pending.add(call);
        call.result.whenComplete((response, error) -> pending.remove(call));
        if (closed) {
            call.abort(); // closed before or while this call was added: never sent
            return call.result;
        }
        call.attempt(0);
        return call.result;
    }

    /**
     * One call: its attempts, and the retry it may be waiting for. Its state changes under its own
     * lock, so that {@link #abort()} and the next attempt never both proceed: an aborted call is never
     * sent (again), and the abort knows whether a request was under way.
     */
    private final class Call {
        private final CallKind kind;
        private final FalRequest request;
        private final CompletableFuture<FalResponse> result = new CompletableFuture<>();
        private Future<?> retry;
        private boolean sent;
        private boolean aborted;

        Call(CallKind kind, FalRequest request) {
            this.kind = kind;
            this.request = request;
        }

        void attempt(int retriesDone) {
            synchronized (this) {
                if (aborted) {
                    return;
                }
                retry = null;
                sent = true;
            }
            requests.incrementAndGet();
            transport.send(request).whenComplete((response, error) -> answered(retriesDone, response, error));
        }

        private void answered(int retriesDone, FalResponse response, Throwable error) {
            Throwable cause = error == null ? null : Futures.unwrap(error);
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
            synchronized (this) {
                if (aborted) {
                    return; // close() ended the call: it is not sent again
                }
                sent = false;
                try {
                    retry = scheduler.schedule(() -> attempt(retriesDone + 1), delay.get().toMillis(), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException stopping) {
                    result.completeExceptionally(new RetriesExhausted(notSentAgain(), retriesDone));
                    return;
                }
            }
            retries.incrementAndGet();
            LOG.debug("Retrying {} {} in {} ms after {} (retry {} of {})", kind, request, delay.get().toMillis(),
                    cause != null ? cause.toString() : "HTTP " + response.statusCode(), retriesDone + 1,
                    settings.retryPolicy().maxRetries());
        }

        /** close(): a call not under way was certainly not sent (again); one in flight may have arrived. */
        void abort() {
            boolean underWay;
            synchronized (this) {
                aborted = true;
                underWay = sent;
                if (retry != null) {
                    retry.cancel(false);
                }
            }
            result.completeExceptionally(underWay
                    ? new ConnectionClosedException("The component stopped while the request was under way")
                    : notSentAgain());
        }
    }

    private static RequestNotExecutedException notSentAgain() {
        return new RequestNotExecutedException("The component stopped before the request was sent (again)");
    }

    /**
     * @param submit whether the failed call was a submit: then, unless the request certainly never
     *               reached the server, a job may exist without our knowing its id
     */
    private FluxKontextTransportException transportError(String what, String requestId, KontextStatus lastStatus,
                                                         Throwable error, boolean submit) {
        Throwable cause = Futures.unwrap(error);
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

    private byte[] json(Object value, String what) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new FluxKontextException("Cannot write " + what + " as JSON: " + e.getOriginalMessage(), null, null, e);
        }
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

    /** Marks a transport failure the policy gave up on, remembering how many retries were made. */
    private static final class RetriesExhausted extends IOException {
        private final int retriesDone;

        RetriesExhausted(Throwable cause, int retriesDone) {
            super(cause.getMessage(), cause);
            this.retriesDone = retriesDone;
        }
    }
}
