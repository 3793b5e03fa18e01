package io.github.fluxkontext.camel.ledger;

/**
 * What a ledger entry knows about its submit. The ledger only stores it; what a state means for a message
 * that comes again is decided by the component.
 */
public enum LedgerState {

    /** The submit was sent, or is about to be, and fal has not answered yet: a job may exist or not. */
    SUBMITTING,

    /** fal answered the submit: the entry holds the request id of the job. */
    SUBMITTED
}
