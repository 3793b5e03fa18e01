package io.github.fluxkontext.camel.client;

import io.github.fluxkontext.camel.model.KontextJob;

/**
 * What a status stream reports, in order, on the client's callback executor (never an I/O thread).
 * After {@link #refused} or {@link #ended} nothing more comes.
 */
public interface StatusStreamListener {

    /** A status event: the job as the server sees it now (any status, COMPLETED included). */
    void statusEvent(KontextJob job);

    /** The server did not open a usable stream (an error status, a redirect, not {@code text/event-stream}). */
    void refused(String why);

    /**
     * The stream ended: closed by the server (normally right after COMPLETED), broken, silent for longer
     * than the idle timeout, or cancelled.
     *
     * @param error why, or null when the server closed it cleanly
     */
    void ended(Throwable error);
}
