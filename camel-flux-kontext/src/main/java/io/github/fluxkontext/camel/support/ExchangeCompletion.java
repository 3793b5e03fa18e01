package io.github.fluxkontext.camel.support;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.github.fluxkontext.camel.client.Futures;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The one place that hands an exchange back to Camel: it applies the outcome (a change to the message,
 * an error, or both), then continues the route on a route thread (never an I/O, scheduler or internal
 * thread). Whoever calls it must call it once per exchange.
 */
public final class ExchangeCompletion {

    private final ComponentThreads threads;
    private final Exchange exchange;
    private final AsyncCallback callback;
    private final long arrivedNanos = System.nanoTime();

    /** @param threads where the route goes on: a route thread (here, once the component has stopped) */
    public ExchangeCompletion(ComponentThreads threads, Exchange exchange, AsyncCallback callback) {
        this.threads = threads;
        this.exchange = exchange;
        this.callback = callback;
    }

    public Exchange exchange() {
        return exchange;
    }

    /** How long ago the exchange reached the producer: the timeout bounds it all, waiting for a place included. */
    public long elapsedMillis() {
        return (System.nanoTime() - arrivedNanos) / 1_000_000;
    }

    /** Once the change is ready: applies it, or sets the error it failed with. */
    public void completeWhenDone(CompletableFuture<Consumer<Message>> change) {
        change.whenComplete((apply, error) -> complete(apply, error == null ? null : Futures.unwrap(error)));
    }

    /**
     * Applies {@code change} to the message (if any; a change may throw, which fails the exchange), then
     * sets {@code error} (if any), then continues the route.
     */
    public void complete(Consumer<Message> change, Throwable error) {
        threads.continueRoute(() -> {
            try {
                if (change != null) {
                    change.accept(exchange.getMessage());
                }
                if (error != null) {
                    exchange.setException(error);
                }
            } catch (RuntimeException e) {
                exchange.setException(e);
            } finally {
                callback.done(false);
            }
        });
    }
}
