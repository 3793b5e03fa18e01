package io.github.fluxkontext.camel.wait;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.github.fluxkontext.camel.FluxKontextConfiguration;
import io.github.fluxkontext.camel.client.FalQueueClient;
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
public final class StreamWait extends WaitStrategy implements StatusStreamListener {

    private final FalQueueClient queue;
    private final FluxKontextConfiguration config;
    private final StreamPlaces places;
    private final Supplier<WaitStrategy> polling;
    private final AtomicBoolean holdsPlace = new AtomicBoolean();
    private volatile Listener wait;
    private volatile StatusStream stream;

    /**
     * @param places  the component's maxOpenStreams places
     * @param polling makes the strategy that takes over when the stream cannot be used
     */
    StreamWait(FalQueueClient queue, FluxKontextConfiguration config, StreamPlaces places, Supplier<WaitStrategy> polling) {
        this.queue = queue;
        this.config = config;
        this.places = places;
        this.polling = polling;
    }

    @Override
    void watch(Listener listener) {
        this.wait = listener;
        if (!places.take()) {
            fallBack("more than maxOpenStreams (" + places.limit() + ") status streams are open");
            return;
        }
        holdsPlace.set(true);
        stream = queue.streamStatus(listener.job(), config.isLogs(), Duration.ofMillis(config.getStreamIdleTimeout()), this);
    }

    @Override
    void letGo() {
        StatusStream open = stream;
        if (open != null) {
            open.close();
        }
        givePlaceBack();
    }

    @Override
    public void statusEvent(KontextJob job) {
        if (stopped()) {
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
        if (stopped()) {
            return;
        }
        givePlaceBack();
        wait.switchTo(polling.get(), why);
    }

    private void givePlaceBack() {
        if (holdsPlace.compareAndSet(true, false)) {
            places.giveBack();
        }
    }

    @Override
    public String toString() {
        return "stream";
    }
}
