package io.github.fluxkontext.camel.ledger;

/**
 * The store behind a {@link SubmissionLedger} failed: a file could not be written, the database could not
 * be reached, a stored entry could not be read. Whether the operation took effect is unknown; after a
 * failed {@code putIfAbsent} the caller must not submit as if it held the key.
 */
public class LedgerStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LedgerStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public LedgerStoreException(String message) {
        super(message);
    }
}
