package io.github.fluxkontext.camel.model;

/**
 * Root of the component's exception family. Every instance carries the fal request id when a job
 * exists, so a failed exchange never loses a job: {@code flux-kontext:result} or
 * {@code flux-kontext:cancel} can pick it up with that id later, from this or another instance.
 */
public class FluxKontextException extends RuntimeException {

    private final String requestId;
    private final KontextStatus lastStatus;

    public FluxKontextException(String message) {
        this(message, null, null, null);
    }

    public FluxKontextException(String message, String requestId, KontextStatus lastStatus, Throwable cause) {
        super(message, cause);
        this.requestId = requestId;
        this.lastStatus = lastStatus;
    }

    /** The fal request id of the job concerned, or {@code null} when no job was created. */
    public String getRequestId() {
        return requestId;
    }

    /** The last status seen for the job ({@code null} if none was seen). */
    public KontextStatus getLastStatus() {
        return lastStatus;
    }
}
