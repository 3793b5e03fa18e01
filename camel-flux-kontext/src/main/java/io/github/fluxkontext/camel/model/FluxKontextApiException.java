package io.github.fluxkontext.camel.model;

import java.util.List;

/**
 * fal (or the aggregator in front of it) answered with an error status. Carries the HTTP status,
 * fal's {@code detail} (a list of field errors for 422, a plain string otherwise), the
 * {@code error_type} and whether the error is worth retrying.
 */
public class FluxKontextApiException extends FluxKontextException {

    private final int statusCode;
    private final List<FalErrorDetail> details;
    private final String errorType;
    private final boolean retryable;
    private final String responseBody;

    public FluxKontextApiException(String message, int statusCode, List<FalErrorDetail> details, String errorType,
                                   boolean retryable, String responseBody, String requestId, KontextStatus lastStatus) {
        super(message, requestId, lastStatus, null);
        this.statusCode = statusCode;
        this.details = details == null ? List.of() : List.copyOf(details);
        this.errorType = errorType;
        this.retryable = retryable;
        this.responseBody = responseBody;
    }

    /** The HTTP status code of the answer. */
    public int getStatusCode() {
        return statusCode;
    }

    /**
     * fal's {@code detail}: the field errors of a 422, or a single entry holding the message when fal
     * sent {@code detail} as a plain string.
     */
    public List<FalErrorDetail> getDetails() {
        return details;
    }

    /** fal's machine-readable error type ({@code error_type} or header {@code X-Fal-Error-Type}), may be null. */
    public String getErrorType() {
        return errorType;
    }

    /**
     * Whether the component's retry policy would send this call again: a transient failure (429, 5xx,
     * except a user-set start timeout), and for a submit only where no job can have been created (unless
     * {@code submitRetry=all}). An error handler that redelivers on it therefore never pays for a job twice.
     */
    public boolean isRetryable() {
        return retryable;
    }

    /** The raw answer body (cut to a few kilobytes), for diagnosis. */
    public String getResponseBody() {
        return responseBody;
    }
}
