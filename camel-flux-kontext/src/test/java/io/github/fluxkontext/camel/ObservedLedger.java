package io.github.fluxkontext.camel;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.github.fluxkontext.camel.ledger.LedgerEntry;
import io.github.fluxkontext.camel.ledger.LedgerStoreException;
import io.github.fluxkontext.camel.ledger.SubmissionLedger;

/**
 * A ledger in front of a real one, for tests: it tells when an entry is replaced, counts renewals, and its store
 * (or its purge) can be made to fail, as a database that went away would.
 */
final class ObservedLedger implements SubmissionLedger {

    private final SubmissionLedger store;
    private volatile Consumer<LedgerEntry> onReplace = replacement -> { };
    private volatile boolean storeFails;
    private volatile boolean replaceFails;
    private volatile boolean purgeFails;
    private volatile Runnable onPurge = () -> { };
    private final AtomicInteger renewals = new AtomicInteger();
    private final AtomicInteger purges = new AtomicInteger();

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

    /** Called with each purge, before it runs (or fails). */
    ObservedLedger onPurge(Runnable listener) {
        this.onPurge = listener;
        return this;
    }

    /** From now on purgeExpired fails. */
    ObservedLedger failPurges() {
        purgeFails = true;
        return this;
    }

    /** Renewals that kept a claim alive. */
    int renewals() {
        return renewals.get();
    }

    /** Purges run (failed or not). */
    int purges() {
        return purges.get();
    }

    @Override
    public boolean renew(LedgerEntry owned) {
        boolean renewed = store.renew(owned);
        if (renewed) {
            renewals.incrementAndGet();
        }
        return renewed;
    }

    @Override
    public boolean takeOver(LedgerEntry expected, LedgerEntry replacement) {
        return store.takeOver(expected, replacement);
    }

    @Override
    public boolean purgeDue() {
        return store.purgeDue();
    }

    @Override
    public void purgeExpired() {
        purges.incrementAndGet();
        onPurge.run();
        if (purgeFails) {
            throw new LedgerStoreException("the test's database is down");
        }
        store.purgeExpired();
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
