package io.github.fluxkontext.simulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the simulator received, in the order the answers were decided, and the webhook deliveries it
 * made. Counters stay exact; each list keeps the newest {@value #MAX_ENTRIES} entries so a
 * long-running CLI does not grow without bound.
 */
public final class SimulatorJournal {

    static final int MAX_ENTRIES = 20_000;

    private final ArrayDeque<JournalEntry> entries = new ArrayDeque<>();
    private final Map<FalOperation, Integer> counts = new EnumMap<>(FalOperation.class);
    private final ArrayDeque<WebhookDelivery> deliveries = new ArrayDeque<>();

    SimulatorJournal() {
    }

    synchronized void record(JournalEntry entry) {
        if (entries.size() == MAX_ENTRIES) {
            entries.removeFirst();
        }
        entries.addLast(entry);
        counts.merge(entry.operation(), 1, Integer::sum);
    }

    synchronized void record(WebhookDelivery delivery) {
        if (deliveries.size() == MAX_ENTRIES) {
            deliveries.removeFirst();
        }
        deliveries.addLast(delivery);
    }

    /** The webhook delivery attempts, in the order they were answered (or failed). */
    public synchronized List<WebhookDelivery> webhookDeliveries() {
        return List.copyOf(deliveries);
    }

    /** All entries, oldest first. */
    public synchronized List<JournalEntry> entries() {
        return List.copyOf(entries);
    }

    /** The entries of one operation, oldest first. */
    public synchronized List<JournalEntry> entries(FalOperation op) {
        List<JournalEntry> out = new ArrayList<>();
        for (JournalEntry e : entries) {
            if (e.operation() == op) {
                out.add(e);
            }
        }
        return List.copyOf(out);
    }

    /** How many requests of this operation arrived since the last {@link #clear()}. */
    public synchronized int count(FalOperation op) {
        return counts.getOrDefault(op, 0);
    }

    /** Forgets all entries, counters and webhook deliveries. */
    public synchronized void clear() {
        entries.clear();
        counts.clear();
        deliveries.clear();
    }
}
