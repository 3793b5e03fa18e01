package io.github.fluxkontext.camel;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.fluxkontext.camel.client.FalWebhookCallback;

/**
 * The waits of a component that expect a webhook callback (waitMode=webhook), by request id, so that a
 * {@code flux-kontext:webhook} consumer of the same component completes them when their callback arrives.
 * Usually one wait per request id; several when more than one exchange waits for the same job.
 */
final class AwaitedWebhooks {

    private final Map<String, Set<WebhookWait>> waits = new ConcurrentHashMap<>();

    void add(String requestId, WebhookWait wait) {
        waits.compute(requestId, (id, set) -> { // atomic with remove and deliver: no wait lands in a set already taken
            Set<WebhookWait> answer = set != null ? set : ConcurrentHashMap.newKeySet();
            answer.add(wait);
            return answer;
        });
    }

    void remove(String requestId, WebhookWait wait) {
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
    boolean deliver(FalWebhookCallback callback) {
        Set<WebhookWait> waiting = waits.remove(callback.requestId());
        if (waiting == null) {
            return false;
        }
        waiting.forEach(wait -> wait.callbackReceived(callback));
        return true;
    }

    /** How many jobs are awaited. */
    int size() {
        return waits.size();
    }
}
