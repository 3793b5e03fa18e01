package io.github.fluxkontext.camel.client;

import java.util.concurrent.Future;

/** An open status stream; {@link #close()} ends it (the listener then hears {@code ended}). Idempotent. */
public final class StatusStream implements AutoCloseable {

    private Future<?> exchange;
    private boolean closed;

    synchronized void opened(Future<?> exchange) {
        this.exchange = exchange;
        if (closed) {
            exchange.cancel(true);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (exchange != null) {
            exchange.cancel(true);
        }
    }
}
