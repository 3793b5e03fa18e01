package io.github.fluxkontext.camel.model;

/**
 * The component stopped (e.g. the CamelContext shut down) while an exchange was waiting for its job.
 * The job itself goes on at fal; pick it up later with the request id.
 */
public class FluxKontextStoppedException extends FluxKontextException {

    public FluxKontextStoppedException(String requestId, KontextStatus lastStatus) {
        super("Stopped while waiting for job " + requestId + " (last status " + lastStatus
              + "); the job goes on at fal: fetch it later with flux-kontext:result and this request id",
              requestId, lastStatus, null);
    }

    /** Stopped before anything was sent (no job exists): the message says why. */
    public FluxKontextStoppedException(String message) {
        super(message, null, null, null);
    }
}
