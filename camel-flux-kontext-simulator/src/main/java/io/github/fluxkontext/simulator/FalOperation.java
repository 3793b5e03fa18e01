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
    /** Not a request: the outcome of a job, for {@link Fault#failJob(int, String, String)}. */
    JOB,
    /** Anything the simulator does not recognise. */
    UNKNOWN
}
