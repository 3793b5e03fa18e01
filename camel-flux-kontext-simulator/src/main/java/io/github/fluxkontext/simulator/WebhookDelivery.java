package io.github.fluxkontext.simulator;

import java.time.Instant;

/**
 * One webhook delivery attempt the simulator made, with what the receiver answered.
 *
 * @param requestId the job's request id
 * @param url       the {@code fal_webhook} URL it was posted to
 * @param attempt   1 for the first delivery, 2 for the first retry, ... (a duplicate keeps its attempt's number)
 * @param status    the HTTP status the receiver answered, or -1 on a connection error, a timeout, or
 *                  a delivery cut off by {@link Fault#failDelivery()}
 * @param fault     the fault applied to this attempt, or null
 * @param at        when the attempt was sent
 */
public record WebhookDelivery(String requestId, String url, int attempt, int status, WebhookFault fault, Instant at) {

    /** Whether the receiver accepted it (a 2xx answer). */
    public boolean delivered() {
        return status >= 200 && status < 300;
    }
}
