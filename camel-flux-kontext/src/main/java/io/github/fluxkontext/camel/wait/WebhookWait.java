package io.github.fluxkontext.camel.wait;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.github.fluxkontext.camel.client.FalWebhookCallback;
import io.github.fluxkontext.camel.mapping.ResultMapping;
import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextResult;

/**
 * Waits for the job's webhook callback (waitMode=webhook): the wait is registered by request id with the
 * component, and a {@code flux-kontext:webhook} consumer of the same component that receives the callback
 * ends it at once with the callback's payload (no further request to fal). Meanwhile a poll every
 * maxPollInterval ends it when the callback lands on another instance, or never comes; whichever is first
 * ends the wait, once.
 */
public final class WebhookWait extends WaitStrategy {

    private final AwaitedWebhooks awaited;
    private final ResultMapping output;
    private final WaitStrategy poll;
    /** What the awaited webhooks hold for this wait: one object, so that it can be removed again. */
    private final Consumer<FalWebhookCallback> onCallback = this::callbackReceived;
    private volatile Listener wait;

    /**
     * @param awaited the component's waits for callbacks, where the webhook consumers look
     * @param output  makes the exchange's output of a callback's payload
     * @param poll    the background poll
     */
    WebhookWait(AwaitedWebhooks awaited, ResultMapping output, WaitStrategy poll) {
        this.awaited = awaited;
        this.output = output;
        this.poll = poll;
    }

    @Override
    void watch(Listener listener) {
        this.wait = listener;
        awaited.add(listener.job().requestId(), onCallback);
        poll.start(listener);
    }

    @Override
    void letGo() {
        Listener current = wait;
        if (current != null) {
            awaited.remove(current.job().requestId(), onCallback);
        }
        poll.stop();
    }

    /** The job's callback arrived at a webhook consumer of this component: the wait ends with it (unless it has ended). */
    private void callbackReceived(FalWebhookCallback callback) {
        Listener current = wait;
        KontextJob done = current.job().withStatusOf(callback.job());
        if (callback.ok() && !callback.hasOutput()) {
            current.completed(done); // fal could not send the output: fetch it as a poll would
            return;
        }
        current.completedWith(done, () -> callback.ok()
                ? output.prepare(KontextResult.fromJson(done.requestId(), callback.payload()))
                : CompletableFuture.failedFuture(callback.failure()));
    }

    @Override
    public String toString() {
        return "webhook";
    }
}
