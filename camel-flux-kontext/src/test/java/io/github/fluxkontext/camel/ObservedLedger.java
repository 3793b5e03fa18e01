package io.github.fluxkontext.camel;

import java.util.Optional;
import java.util.function.Consumer;

import io.github.fluxkontext.camel.ledger.LedgerEntry;
import io.github.fluxkontext.camel.ledger.LedgerStoreException;
import io.github.fluxkontext.camel.ledger.SubmissionLedger;

/**
 * A ledger in front of a real one, for tests: it tells when an entry is replaced, and its store can be made to
 * fail, as a database that went away would.
 */
final class ObservedLedger implements SubmissionLedger {

    private final SubmissionLedger store;
    private volatile Consumer<LedgerEntry> onReplace = replacement -> { };
    private volatile boolean storeFails;
    private volatile boolean replaceFails;

    ObservedLedger(SubmissionLedger store) {
        this.store = store;
    }

    /** Called with each replacement before it is stored. */
    ObservedLedger onReplace(Consumer<LedgerEntry> listener) {
        this.onReplace = listener;
        return this;
    }

    /** From now on putIfAbsent fails. */
    ObservedLedger failStores() {
        storeFails = true;
        return this;
    }

    /** From now on replace fails. */
    ObservedLedger failReplaces() {
        replaceFails = true;
        return this;
    }

    @Override
    public Optional<LedgerEntry> putIfAbsent(LedgerEntry entry) {
        if (storeFails) {
            throw new LedgerStoreException("the test's database is down");
        }
        return store.putIfAbsent(entry);
    }

    @Override
    public boolean replace(LedgerEntry expected, LedgerEntry replacement) {
        onReplace.accept(replacement);
        if (replaceFails) {
            throw new LedgerStoreException("the test's database is down");
        }
        return store.replace(expected, replacement);
    }

    @Override
    public void remove(String key, String token) {
        store.remove(key, token);
    }

    @Override
    public Optional<LedgerEntry> get(String key) {
        return store.get(key);
    }
}
