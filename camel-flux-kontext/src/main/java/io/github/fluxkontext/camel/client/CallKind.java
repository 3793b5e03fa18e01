package io.github.fluxkontext.camel.client;

/** The kinds of call the client makes; the retry policy treats a submit differently from the rest. */
public enum CallKind {
    /** Creates a billed job: retried only where the job certainly was not created (unless configured otherwise). */
    SUBMIT,
    STATUS,
    RESULT,
    /**
     * The result of a job that completed with an error: the answer is the error itself and will not
     * change, so it is never retried.
     */
    FAILED_RESULT,
    CANCEL,
    /** A best-effort cancel when a wait times out: one attempt, so that the timeout is not stretched. */
    TIMEOUT_CANCEL,
    /** fal storage upload (initiate and PUT): creates no job, so retried like status. */
    UPLOAD,
    /** Image download from the result's URL: retried like status. */
    DOWNLOAD,
    /** A health check's look at the service: one attempt, its answer is the point. */
    PROBE,
    /**
     * fal's webhook keys (JWKS), fetched while a callback waits for its answer: one attempt, since fal
     * delivers a callback again when it was not accepted.
     */
    JWKS;

    /** Whether a call of this kind is made once, never retried, whatever the answer or error. */
    boolean singleAttempt() {
        return this == TIMEOUT_CANCEL || this == PROBE || this == JWKS;
    }
}
