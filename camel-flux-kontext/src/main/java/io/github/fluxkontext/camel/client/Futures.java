package io.github.fluxkontext.camel.client;

import java.util.concurrent.CompletionException;

/** Helpers for the futures the client returns. */
public final class Futures {

    private Futures() {
    }

    /** The failure itself, without the {@link CompletionException}s that chained stages wrap it in. */
    public static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
