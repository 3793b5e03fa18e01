package io.github.fluxkontext.camel.wait;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.github.fluxkontext.camel.client.FalWebhookCallback;

/**
 * The waits of a component that expect a webhook callback (waitMode=webhook), by request id, so that a
 * {@code flux-kontext:webhook} consumer of the same component completes them when their callback arrives. Each wait
 * is held as what it does with its callback. Usually one per request id; several when more than one exchange waits
 * for the same job.
 */
public final class AwaitedWebhooks {

    private final Map<String, Set<Consumer<FalWebhookCallback>>> waits = new ConcurrentHashMap<>();

    /** From now on the job's callback goes to {@code wait}. */
    void add(String requestId, Consumer<FalWebhookCallback> wait) {
        waits.compute(requestId, (id, set) -> { // atomic with remove and deliver: no wait lands in a set already taken
            Set<Consumer<FalWebhookCallback>> answer = set != null ? set : ConcurrentHashMap.newKeySet();
            answer.add(wait);
            return answer;
        });
    }

    /** The wait given to {@link #add} no longer expects the callback. */
    void remove(String requestId, Consumer<FalWebhookCallback> wait) {
        waits.computeIfPresent(requestId, (id, set) -> {
            set.remove(wait);
            return set.isEmpty() ? null : set;
        });
    }

    /**
     * Hands the callback to the waits for its job, which end with it (those that have not ended otherwise
     * meanwhile).
     *
     * @return whether any wait for the job was registered
     */
    public boolean deliver(FalWebhookCallback callback) {
        Set<Consumer<FalWebhookCallback>> waiting = waits.remove(callback.requestId());
        if (waiting == null) {
            return false;
        }
        waiting.forEach(wait -> wait.accept(callback));
        return true;
    }
}
