package io.github.fluxkontext.camel.wait;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The component's {@code maxOpenStreams}: places for status streams open at once, over all its endpoints. A wait
 * that finds none watches its job by polling instead; nothing queues for a place.
 */
public final class StreamPlaces {

    private final int limit;
    private final AtomicInteger open = new AtomicInteger();

    public StreamPlaces(int limit) {
        this.limit = limit;
    }

    /** Takes a place for a stream; false when all are taken. */
    boolean take() {
        while (true) {
            int taken = open.get();
            if (taken >= limit) {
                return false;
            }
            if (open.compareAndSet(taken, taken + 1)) {
                return true;
            }
        }
    }

    /** Gives back a place {@link #take()} gave. */
    void giveBack() {
        open.decrementAndGet();
    }

    /** Streams open now. */
    public int open() {
        return open.get();
    }

    int limit() {
        return limit;
    }
}
