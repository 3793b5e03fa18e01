package io.github.fluxkontext.camel.client;

import java.util.Locale;

/**
 * Which failed submits are sent again. A submit creates a billed job and fal has no idempotency key,
 * so a retry after an answer that may have come from a created job can pay for the job twice.
 */
public enum SubmitRetry {
    /**
     * Default: only where the job certainly was not created: 429 or 503 without an {@code x-fal-request-id}
     * header, and a connection that never reached the server (refused, unknown host, connect timeout,
     * request never written). A gateway that forwards the submit and then answers 503 without that header
     * would still bill twice; {@link #NONE} avoids even that.
     */
    SAFE,
    /**
     * Also 500, 502, 504 and connections that broke after the request was sent. May create duplicate,
     * billed jobs.
     */
    ALL,
    /** Never retry a submit. */
    NONE;

    /** As written in options: {@code safe}, {@code all} or {@code none}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
