package io.github.fluxkontext.camel.ledger;

import java.util.Optional;

/**
 * Remembers, per idempotency key, that a submit was sent and which job it created, so that a message that
 * comes again (a redelivery after a crash, a second instance reading the same source) does not submit and
 * bill a second job.
 * <p>
 * A deliberately small, atomic, expiring key-to-entry store: what an entry's state means for a message
 * (wait for the job, fail as outcome unknown, submit again) is decided by the component, not here.
 * <p>
 * Not Camel's {@link org.apache.camel.spi.StateRepository}: that one has only {@code getState} and
 * {@code setState}. Two instances that both read "absent" and then both write would both submit; the
 * ledger needs an atomic insert-if-absent, a compare-and-set on the entry of its owner, and expiry, none
 * of which that interface offers (nor Camel's {@code IdempotentRepository}, whose entries hold no value:
 * the request id must be stored with the key).
 * <p>
 * Rules every implementation follows:
 * <ul>
 * <li>An entry whose {@link LedgerEntry#expiresAt()} is not after the ledger's clock is expired and counts
 * as absent everywhere: {@link #get} does not return it, {@link #putIfAbsent} replaces it, {@link #replace}
 * fails on it.</li>
 * <li>The token of an entry identifies its owner: only who knows the token replaces, renews or removes it.</li>
 * <li>A {@link LedgerState#SUBMITTING} entry is a claim with a {@linkplain LedgerEntry#lease() lease}: it holds for
 * the lease after it was stored or last {@linkplain #renew renewed}, measured by the store's own clock (the
 * database's for a table, the file system's for a directory), never by the clock of whoever asks, so that
 * instances whose clocks differ agree on it. Only a lapsed claim can be {@linkplain #takeOver taken over}.</li>
 * <li>Each method is atomic, for a store shared between JVMs too; an implementation is thread-safe.</li>
 * <li>A failure of the store is a {@link LedgerStoreException}; invalid arguments are an
 * {@link IllegalArgumentException} naming the field.</li>
 * </ul>
 * Implementations: {@link MemorySubmissionLedger} (one JVM, the default), {@link FileSubmissionLedger} (one
 * machine, survives restarts) and {@link JdbcSubmissionLedger} (several instances sharing a database).
 */
public interface SubmissionLedger {

    /**
     * Stores the entry unless a live entry holds its key; an expired one is replaced, atomically. The lease of a
     * claim starts now.
     *
     * @return empty when the entry was stored, else the live entry that holds the key
     */
    Optional<LedgerEntry> putIfAbsent(LedgerEntry entry);

    /**
     * Replaces the stored entry of {@code expected}'s key by {@code replacement} if it is still live and has
     * {@code expected}'s token.
     *
     * @param expected    the entry the caller owns (only its key and token are compared)
     * @param replacement the new entry: same key; it may carry a new token (a new owner)
     * @return false if the stored entry has another token, has expired or is gone
     * @throws IllegalArgumentException if the two entries have different keys
     */
    boolean replace(LedgerEntry expected, LedgerEntry replacement);

    /**
     * Keeps the owner's claim alive: if the stored entry of {@code owned}'s key has its token, is live and still
     * {@link LedgerState#SUBMITTING} with a lease, its lease starts again now (by the store's clock).
     *
     * @return false if the entry was answered, taken over, removed, has expired or has no lease
     */
    boolean renew(LedgerEntry owned);

    /**
     * Takes over a claim whose owner stopped renewing it: replaces the stored entry of {@code expected}'s key by
     * {@code replacement} only if it is live, has {@code expected}'s token, is still {@link LedgerState#SUBMITTING}
     * and its lease has lapsed by the store's clock (a claim without a lease has). The replacement's lease starts
     * now.
     *
     * @return false if the lease still holds, or the entry changed, expired or is gone
     * @throws IllegalArgumentException if the two entries have different keys
     */
    boolean takeOver(LedgerEntry expected, LedgerEntry replacement);

    /**
     * Removes the entry of this key if it has this token (live or expired); otherwise does nothing.
     */
    void remove(String key, String token);

    /**
     * The live entry of the key, if any.
     */
    Optional<LedgerEntry> get(String key);

    /**
     * Whether enough was stored since the last {@link #purgeExpired()} that deleting expired entries is worth its
     * cost now. Cheap and never blocks: the component asks it after each claim, on the caller's thread.
     */
    default boolean purgeDue() {
        return false;
    }

    /**
     * Deletes the entries that have expired (a ledger that keeps none does nothing). It may take a while and
     * block: the component calls it on a thread of its own, one purge at a time, never on a caller's, and a
     * failure is logged and counted there, never failing a submit.
     *
     * @throws LedgerStoreException if the store failed
     */
    default void purgeExpired() {
    }
}
