package io.github.fluxkontext.camel.model;

/**
 * The service could not be reached, or the connection broke, and the retry policy gave up (or, for a
 * submit, was not allowed to retry because the job might already exist).
 */
public class FluxKontextTransportException extends FluxKontextException {

    private final boolean outcomeUnknown;

    public FluxKontextTransportException(String message, String requestId, KontextStatus lastStatus, Throwable cause,
                                         boolean outcomeUnknown) {
        super(message, requestId, lastStatus, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    /**
     * True when a submit broke after the request may have reached the server: a job may exist (and be
     * billed) even though no request id came back.
     */
    public boolean isOutcomeUnknown() {
        return outcomeUnknown;
    }
}
