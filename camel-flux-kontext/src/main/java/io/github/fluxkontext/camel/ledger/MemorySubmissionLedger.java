package io.github.fluxkontext.camel.ledger;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A ledger in this JVM's memory: the default. It guards against a second submit of a key within one running
 * instance (a route that redelivers, a source that repeats a message), not across a restart or between
 * instances: for those use {@link FileSubmissionLedger} or {@link JdbcSubmissionLedger}.
 * <p>
 * Expired entries are swept out as entries are added, so memory stays bounded by the live ones.
 * Thread-safe. As a bean: {@code new MemorySubmissionLedger()}; the clock is settable for tests.
 */
public class MemorySubmissionLedger extends ExpiringLedger {

    private final ConcurrentHashMap<String, LedgerEntry> entries = new ConcurrentHashMap<>();

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
            if (current != null && current.isLiveAt(now)) {
                holder.set(current);
                return current;
            }
            return entry;
        });
        return Optional.ofNullable(holder.get());
    }

    @Override
    long sweep(Instant now) {
        // removes an entry only while its key still maps to that (expired) entry
        entries.values().removeIf(stored -> !stored.isLiveAt(now));
        return entries.size();
    }

    @Override
    public boolean replace(LedgerEntry expected, LedgerEntry replacement) {
        LedgerEntry.requireSameKey(expected, replacement);
        Instant now = now();
        AtomicReference<Boolean> replaced = new AtomicReference<>(false);
        entries.computeIfPresent(expected.key(), (key, current) -> {
            if (current.token().equals(expected.token()) && current.isLiveAt(now)) {
                replaced.set(true);
                return replacement;
            }
            return current;
        });
        return replaced.get();
    }

    @Override
    public void remove(String key, String token) {
        LedgerEntry.checkKey(key);
        LedgerEntry.checkToken(token);
        entries.computeIfPresent(key, (k, current) -> current.token().equals(token) ? null : current);
    }

    @Override
    public Optional<LedgerEntry> get(String key) {
        LedgerEntry.checkKey(key);
        LedgerEntry current = entries.get(key);
        if (current == null) {
            return Optional.empty();
        }
        if (!current.isLiveAt(now())) {
            entries.remove(key, current);
            return Optional.empty();
        }
        return Optional.of(current);
    }

    /** Entries held, live or not yet swept out. */
    int size() {
        return entries.size();
    }
}
