package io.github.fluxkontext.camel;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.fluxkontext.camel.client.StatusStream;
import io.github.fluxkontext.camel.client.StatusStreamListener;
import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextStatus;

/**
 * Waits by reading the job's status stream (fal's server-sent events): each event is a status seen, the
 * COMPLETED one ends the watch at once, and no thread is held meanwhile (HttpClient 5 reads it as bytes
 * arrive). Whatever goes wrong with the stream hands the wait over to polling: a refusal (an error
 * status, not {@code text/event-stream}: aggregators may not offer it), a stream that ends or breaks before
 * COMPLETED, silence beyond {@code streamIdleTimeout}, or more than {@code maxOpenStreams} already open.
 */
final class StreamWait implements WaitStrategy, StatusStreamListener {

    private final FluxKontextEndpoint endpoint;
    private final AtomicBoolean holdsPlace = new AtomicBoolean();
    private volatile JobWait wait;
    private volatile StatusStream stream;
    private volatile boolean stopped;

    StreamWait(FluxKontextEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public void start(JobWait wait) {
        this.wait = wait;
        if (stopped) {
            return; // stopped before it started (a timeout of a few ms, a stopping endpoint)
        }
        if (!endpoint.getComponent().openStream()) {
            fallBack("more than maxOpenStreams (" + endpoint.getComponent().getMaxOpenStreams() + ") status streams are open");
            return;
        }
        holdsPlace.set(true);
        FluxKontextConfiguration config = endpoint.getConfiguration();
        stream = endpoint.getClient().queue().streamStatus(wait.job(), config.isLogs(),
                Duration.ofMillis(config.getStreamIdleTimeout()), this);
        if (stopped) {
            stream.close(); // stopped while opening: stop() may have looked before the place was held
            givePlaceBack();
        }
    }

    @Override
    public void stop() {
        stopped = true;
        StatusStream open = stream;
        if (open != null) {
            open.close();
        }
        givePlaceBack();
    }

    @Override
    public void statusEvent(KontextJob job) {
        if (stopped) {
            return;
        }
        if (job.status() == KontextStatus.COMPLETED) {
            wait.completed(job);
        } else {
            wait.statusSeen(job);
        }
    }

    @Override
    public void refused(String why) {
        fallBack("the status stream was refused (" + why + ")");
    }

    @Override
    public void ended(Throwable error) {
        fallBack(error == null ? "the status stream ended before COMPLETED" : "the status stream broke (" + error + ")");
    }

    private void fallBack(String why) {
        if (stopped) {
            return;
        }
        givePlaceBack();
        wait.switchTo(PollWait.now(endpoint, false), why);
    }

    private void givePlaceBack() {
        if (holdsPlace.compareAndSet(true, false)) {
            endpoint.getComponent().streamClosed();
        }
    }

    @Override
    public String toString() {
        return "stream";
    }
}
