package io.github.fluxkontext.camel.client;

import java.util.Locale;

/** fal's queue priority of a job (header {@code x-fal-queue-priority}). */
public enum QueuePriority {
    NORMAL,
    /** Runs after the normal-priority jobs of the account. */
    LOW;

    /** The header value: {@code normal} or {@code low}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return value();
    }
}
