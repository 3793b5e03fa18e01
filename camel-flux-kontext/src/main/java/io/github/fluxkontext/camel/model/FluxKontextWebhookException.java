package io.github.fluxkontext.camel.model;

/**
 * A webhook callback was not accepted: its signature, timestamp or body is wrong, or fal's keys could not
 * be fetched to check it. {@link #getStatusCode()} is the HTTP answer the callback got (401, 400, 413, 503),
 * so that fal (or whoever sent it) knows whether delivering it again can help.
 */
public class FluxKontextWebhookException extends FluxKontextException {

    private final int statusCode;

    public FluxKontextWebhookException(int statusCode, String message, String requestId, Throwable cause) {
        super(message, requestId, null, cause);
        this.statusCode = statusCode;
    }

    /** The HTTP status the callback was answered with. */
    public int getStatusCode() {
        return statusCode;
    }
}
