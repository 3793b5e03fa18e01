package io.github.fluxkontext.camel.ledger;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;

/**
 * A ledger in this JVM's memory: the default. It guards against a second submit of a key within one running
 * instance (a route that redelivers, a source that repeats a message), not across a restart or between
 * instances: for those use {@link FileSubmissionLedger} or {@link JdbcSubmissionLedger}.
 * <p>
 * Leases are measured by the ledger's clock, the one JVM all its users share. Expired entries go when
 * {@link #purgeExpired()} runs (the component runs it as entries are added), so memory stays bounded by the
 * live ones. Thread-safe. As a bean: {@code new MemorySubmissionLedger()}; the clock is settable for tests.
 */
public class MemorySubmissionLedger extends ExpiringLedger {

    /** An entry and, for a claim with a lease, when that lapses. */
    private record Held(LedgerEntry entry, Instant leaseUntil) {

        boolean leaseLapsedAt(Instant now) {
            return leaseUntil == null || !now.isBefore(leaseUntil);
        }
    }

    private final ConcurrentHashMap<String, Held> entries = new ConcurrentHashMap<>();

    public MemorySubmissionLedger() {
        this(Clock.systemUTC());
    }

    public MemorySubmissionLedger(Clock clock) {
        setClock(clock);
    }

    @Override
    Optional<LedgerEntry> store(LedgerEntry entry, Instant now) {
        AtomicReference<LedgerEntry> holder = new AtomicReference<>();
        entries.compute(entry.key(), (key, current) -> {
            if (current != null && current.entry().isLiveAt(now)) {
                holder.set(current.entry());
                return current;
            }
            return held(entry, now);
        });
        return Optional.ofNullable(holder.get());
    }

    @Override
    long sweep(Instant now) {
        // removes an entry only while its key still maps to that (expired) entry
        entries.values().removeIf(stored -> !stored.entry().isLiveAt(now));
        return entries.size();
    }

    @Override
    public boolean replace(LedgerEntry expected, LedgerEntry replacement) {
        LedgerEntry.requireSameKey(expected, replacement);
        return swap(expected, replacement, (current, now) -> true);
    }

    @Override
    public boolean renew(LedgerEntry owned) {
        LedgerEntry.requireEntry("owned", owned);
        return swap(owned, null, (current, now) -> current.entry().state() == LedgerState.SUBMITTING
                                                   && current.entry().lease() != null);
    }

    @Override
    public boolean takeOver(LedgerEntry expected, LedgerEntry replacement) {
        LedgerEntry.requireSameKey(expected, replacement);
        return swap(expected, replacement, (current, now) -> current.entry().state() == LedgerState.SUBMITTING
                                                             && current.leaseLapsedAt(now));
    }

    /**
     * Stores {@code replacement} (null: the current entry again, its lease restarted) if the key's entry is live,
     * has {@code expected}'s token and passes {@code condition}.
     */
    private boolean swap(LedgerEntry expected, LedgerEntry replacement, BiPredicate<Held, Instant> condition) {
        Instant now = now();
        AtomicBoolean swapped = new AtomicBoolean();
        entries.computeIfPresent(expected.key(), (key, current) -> {
            if (current.entry().token().equals(expected.token()) && current.entry().isLiveAt(now) && condition.test(current, now)) {
                swapped.set(true);
                return held(replacement != null ? replacement : current.entry(), now);
            }
            return current;
        });
        return swapped.get();
    }

    private static Held held(LedgerEntry entry, Instant now) {
        return new Held(entry, entry.lease() == null ? null : now.plus(entry.lease()));
    }

    @Override
    public void remove(String key, String token) {
        LedgerEntry.checkKey(key);
        LedgerEntry.checkToken(token);
        entries.computeIfPresent(key, (k, current) -> current.entry().token().equals(token) ? null : current);
    }

    @Override
    public Optional<LedgerEntry> get(String key) {
        LedgerEntry.checkKey(key);
        Held current = entries.get(key);
        if (current == null) {
            return Optional.empty();
        }
        if (!current.entry().isLiveAt(now())) {
            entries.remove(key, current);
            return Optional.empty();
        }
        return Optional.of(current.entry());
    }

    /** Entries held, live or not yet purged. */
    int size() {
        return entries.size();
    }

    /** Whether an entry of the key is held, live or not yet purged. */
    boolean holds(String key) {
        return entries.containsKey(key);
    }
}
