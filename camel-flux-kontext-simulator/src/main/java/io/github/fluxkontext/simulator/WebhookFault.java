package io.github.fluxkontext.simulator;

/** How an injected fault changed a webhook delivery; see the {@link Fault} methods of the same names. */
public enum WebhookFault {
    /** {@link Fault#badSignature()}: the signature is over other bytes. */
    BAD_SIGNATURE,
    /** {@link Fault#staleTimestamp(java.time.Duration)}: the timestamp is that far in the past, signed consistently. */
    STALE_TIMESTAMP,
    /** {@link Fault#duplicateDelivery()}: the same signed callback is delivered twice. */
    DUPLICATE_DELIVERY,
    /** {@link Fault#failDelivery()}: the connection is closed in the middle of the request body. */
    FAIL_DELIVERY,
    /**
     * {@link Fault#otherAccount(String)}: signed by fal's key, as fal signs every customer's callbacks, for another
     * user id: the callback of a job that another fal account submitted with this webhook URL.
     */
    OTHER_ACCOUNT
}
