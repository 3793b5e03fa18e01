package io.github.fluxkontext.camel;

import java.util.concurrent.CompletableFuture;

import io.github.fluxkontext.camel.client.FalWebhookCallback;
import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextResult;

/**
 * Waits for the job's webhook callback (waitMode=webhook): the wait is registered by request id with the
 * component, and a {@code flux-kontext:webhook} consumer of the same component that receives the callback
 * ends it at once with the callback's payload (no further request to fal). Meanwhile a poll every
 * maxPollInterval ends it when the callback lands on another instance, or never comes; whichever is first
 * ends the wait, once.
 */
final class WebhookWait implements WaitStrategy {

    private final FluxKontextEndpoint endpoint;
    private final AwaitedWebhooks awaited;
    private final PollWait poll;
    private volatile JobWait wait;
    private volatile boolean stopped;

    WebhookWait(FluxKontextEndpoint endpoint, boolean justSubmitted) {
        this.endpoint = endpoint;
        this.awaited = endpoint.getComponent().awaitedWebhooks();
        this.poll = PollWait.background(endpoint, justSubmitted);
    }

    @Override
    public void start(JobWait wait) {
        this.wait = wait;
        awaited.add(wait.job().requestId(), this);
        if (stopped) {
            awaited.remove(wait.job().requestId(), this); // stopped while registering: leave nothing behind
            return;
        }
        poll.start(wait);
    }

    @Override
    public void stop() {
        stopped = true;
        JobWait current = wait;
        if (current != null) {
            awaited.remove(current.job().requestId(), this);
        }
        poll.stop();
    }

    /** The job's callback arrived at a webhook consumer of this component: the wait ends with it (unless it has ended). */
    void callbackReceived(FalWebhookCallback callback) {
        JobWait current = wait;
        KontextJob done = current.job().withStatusOf(callback.job());
        if (callback.ok() && !callback.hasOutput()) {
            current.completed(done); // fal could not send the output: fetch it as a poll would
            return;
        }
        current.completedWith(done, () -> callback.ok()
                ? endpoint.output().prepare(KontextResult.fromJson(done.requestId(), callback.payload()))
                : CompletableFuture.failedFuture(callback.failure()));
    }
}
