package io.github.fluxkontext.camel.model;

import java.time.Duration;

/** The wait for a job exceeded the configured {@code timeout}. */
public class FluxKontextTimeoutException extends FluxKontextException {

    private final Duration timeout;
    private final boolean cancelSent;

    public FluxKontextTimeoutException(String message, String requestId, KontextStatus lastStatus, Duration timeout,
                                       boolean cancelSent) {
        super(message, requestId, lastStatus, null);
        this.timeout = timeout;
        this.cancelSent = cancelSent;
    }

    /** The timeout that expired. */
    public Duration getTimeout() {
        return timeout;
    }

    /** Whether a cancel was sent for the job (option {@code cancelOnTimeout}). */
    public boolean isCancelSent() {
        return cancelSent;
    }
}
