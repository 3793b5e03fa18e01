package io.github.fluxkontext.camel.model;

import java.util.List;

/**
 * The job ran and completed with an error. fal has no FAILED state: a failed job reports
 * {@code COMPLETED} with {@code error} and {@code error_type}.
 */
public class FluxKontextJobFailedException extends FluxKontextException {

    private final String error;
    private final String errorType;

    /**
     * @param cause fal's error answer to the result request (with its {@code detail}), or null
     */
    public FluxKontextJobFailedException(String requestId, String error, String errorType, FluxKontextApiException cause) {
        super("fal job " + requestId + " failed: " + error + (errorType == null ? "" : " (error_type " + errorType + ")")
              + (cause == null || cause.getDetails().isEmpty() ? "" : ": " + cause.getDetails()),
              requestId, KontextStatus.COMPLETED, cause);
        this.error = error;
        this.errorType = errorType;
    }

    /** fal's human-readable error. */
    public String getError() {
        return error;
    }

    /** fal's error details from the result answer (e.g. a 422 list), empty when there were none. */
    public List<FalErrorDetail> getDetails() {
        return getCause() instanceof FluxKontextApiException api ? api.getDetails() : List.of();
    }

    /** fal's machine-readable error type, e.g. {@code runner_disconnected}; may be null. */
    public String getErrorType() {
        return errorType;
    }
}
