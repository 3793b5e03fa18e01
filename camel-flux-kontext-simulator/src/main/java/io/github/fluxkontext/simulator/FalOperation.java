package io.github.fluxkontext.simulator;

/** What a request (or, for {@link #JOB}, a job's outcome) is, as the simulator classifies it. */
public enum FalOperation {
    /** {@code POST /{endpoint_id}}. */
    SUBMIT,
    /** {@code GET {app}/requests/{id}/status}. */
    STATUS,
    /** {@code GET {app}/requests/{id}/status/stream} (server-sent events). */
    STATUS_STREAM,
    /** {@code GET {app}/requests/{id}}. */
    RESULT,
    /** {@code PUT {app}/requests/{id}/cancel}. */
    CANCEL,
    /** {@code POST /storage/upload/initiate}. */
    STORAGE_INITIATE,
    /** {@code PUT} of the bytes to a signed upload URL. */
    STORAGE_UPLOAD,
    /** {@code GET /files/...}: a generated image or an uploaded file. */
    FILE,
    /** {@code GET /.well-known/jwks.json}: the public key that verifies webhook signatures (no auth). */
    JWKS,
    /** Not a request: the outcome of a job, for {@link Fault#failJob(int, String, String)}. */
    JOB,
    /**
     * Not a request: a webhook delivery the simulator makes, for the webhook faults
     * ({@link Fault#failDelivery()} and others); deliveries are journalled as {@link WebhookDelivery}.
     */
    WEBHOOK,
    /** Anything the simulator does not recognise. */
    UNKNOWN;

    /** Whether it is an HTTP request the simulator receives (JOB and WEBHOOK are not). */
    boolean isRequest() {
        return this != JOB && this != WEBHOOK;
    }
}
