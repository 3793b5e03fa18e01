package io.github.fluxkontext.camel.webhook;

import io.github.fluxkontext.camel.model.FluxKontextWebhookException;

/**
 * How a {@code flux-kontext:webhook} consumer tells a callback that a producer waits for (waitMode=webhook)
 * from one it must route. Such a producer submits with its webhook URL plus the query parameter
 * {@value #PARAMETER}{@code =true}; fal calls that URL as given. A consumer that receives a marked callback
 * completes the waiting exchange when it waits in this CamelContext, and otherwise does nothing with it but
 * answer 200: the producer waits on another instance (or waited, and timed out or stopped), and its
 * background poll completes (or completed) it there. An unmarked callback is routed.
 * <p>
 * The marker is not covered by fal's signature (fal signs the request id, user id, timestamp and body,
 * not the URL), and that is safe: it is read only after the signature verified, so it can only decide
 * between "route this genuine callback" and "a producer awaits this genuine callback"; it cannot make a
 * forged or altered callback count. Changing it in transit would need a man in the middle of fal's HTTPS
 * connection, and even then a callback replayed with the marker flipped is a duplicate: its request id is
 * in the idempotent repository already. Whoever submits chooses it, in the URL fal stores with the job.
 */
public final class WebhookMarker {

    /** The query parameter a waiting producer adds to its webhook URL. */
    public static final String PARAMETER = "fluxKontextWaiting";

    private WebhookMarker() {
    }

    /** The webhook URL with the marker (before a fragment, if any). */
    public static String mark(String webhookUrl) {
        return WebhookQuery.withParameter(webhookUrl, PARAMETER, "true");
    }

    /**
     * Whether the request came to a marked URL: the parameter in its query, once. Given more than once, the URL is
     * not one a producer made: refused (400), rather than guessing which one counts.
     */
    public static boolean isMarked(WebhookQuery query) {
        int given = query.values(PARAMETER).size();
        if (given > 1) {
            throw new FluxKontextWebhookException(400, "Webhook callback refused: its URL carries " + PARAMETER + " " + given
                                                       + " times", null, null);
        }
        return given == 1;
    }
}
