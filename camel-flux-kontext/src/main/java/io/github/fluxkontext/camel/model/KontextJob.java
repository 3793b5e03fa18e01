package io.github.fluxkontext.camel.model;

import java.util.List;
import java.util.Objects;

/**
 * The queue handle of a submitted job, and its latest known status. This is what
 * {@code waitForResult=false} puts in the body, and what {@code flux-kontext:status|result|cancel}
 * accept as body. Only {@link #requestId()} is required: the URLs are derived from the endpoint id
 * when not known.
 *
 * @param requestId     fal's request id
 * @param endpointId    the fal endpoint id the job was submitted to (null if unknown)
 * @param status        the latest known status (null if not known yet)
 * @param queuePosition jobs ahead in the queue while {@code IN_QUEUE}, else null
 * @param statusUrl     fal's status URL, when the server returned one on the configured origin
 * @param responseUrl   fal's result URL, likewise
 * @param cancelUrl     fal's cancel URL, likewise
 * @param logs          log lines (only when asked for), never null
 * @param error         fal's error when the job completed with one, else null
 * @param errorType     fal's error type when the job completed with an error, else null
 * @param inferenceTime seconds the runner spent ({@code metrics.inference_time}), when reported
 */
public record KontextJob(String requestId, String endpointId, KontextStatus status, Integer queuePosition,
                         String statusUrl, String responseUrl, String cancelUrl, List<KontextLog> logs,
                         String error, String errorType, Double inferenceTime) {

    public KontextJob {
        Objects.requireNonNull(requestId, "requestId");
        logs = logs == null ? List.of() : List.copyOf(logs);
    }

    /** A handle known only by its request id (and endpoint id, for the app path). */
    public static KontextJob of(String endpointId, String requestId) {
        return new KontextJob(requestId, endpointId, null, null, null, null, null, List.of(), null, null, null);
    }

    /** Whether the job completed with an error. */
    public boolean isFailed() {
        return status == KontextStatus.COMPLETED && error != null;
    }

    /** The same handle under another request id and endpoint id (the rest kept). */
    public KontextJob withIds(String requestId, String endpointId) {
        return new KontextJob(requestId, endpointId, status, queuePosition, statusUrl, responseUrl, cancelUrl, logs, error,
                errorType, inferenceTime);
    }

    /** The same handle with the URLs and endpoint id of this one kept, and the status fields of {@code update}. */
    public KontextJob withStatusOf(KontextJob update) {
        return new KontextJob(requestId, endpointId != null ? endpointId : update.endpointId, update.status,
                update.queuePosition, first(update.statusUrl, statusUrl), first(update.responseUrl, responseUrl),
                first(update.cancelUrl, cancelUrl), update.logs, update.error, update.errorType, update.inferenceTime);
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }
}
