package io.github.fluxkontext.camel.ledger;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class MemorySubmissionLedgerTest extends SubmissionLedgerContract {

    private MemorySubmissionLedger shared;

    @Override
    protected SubmissionLedger openLedger() {
        if (shared == null) {
            shared = new MemorySubmissionLedger(clock);
        }
        return shared;
    }

    @Override
    protected boolean storeHolds(String key) {
        return shared.holds(key);
    }

    @Test
    void expiredEntriesArePurgedWhenDueSoMemoryStaysBounded() {
        int perRound = PurgeSchedule.MIN_WRITES;
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < perRound; i++) {
                shared.putIfAbsent(LedgerEntry.submitting("round-" + round + "-" + i, ENDPOINT, Duration.ofMinutes(1), clock));
                if (shared.purgeDue()) {
                    shared.purgeExpired(); // as the component does, on a thread of its own
                }
            }
            clock.advance(Duration.ofMinutes(2)); // every entry so far has expired
        }
        // without purging, 10 rounds would be held
        assertTrue(shared.size() <= 2 * perRound, "entries held: " + shared.size());
    }
}
