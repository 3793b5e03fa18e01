package io.github.fluxkontext.camel.wait;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.github.fluxkontext.camel.model.KontextJob;
import org.apache.camel.Message;

/**
 * How a waiting exchange learns what its job does: polling its status, reading its status stream, receiving its
 * webhook. A strategy only reports what it sees to its {@link Listener} (the wait); the wait owns the deadline,
 * decides who ends it, and fetches and applies the outcome.
 * <p>
 * Start and stop may race: a timeout of a few milliseconds, a stopping endpoint, or a switch to another strategy can
 * stop a strategy before or while it starts. That is settled here, once for every strategy: {@link #watch} runs at
 * most once and never after a stop, and {@link #letGo} runs at every stop and again after a {@code watch} that a stop
 * overtook, so whatever {@code watch} took (a stream, a place, a registration, a timer) is given back.
 */
public abstract class WaitStrategy {

    /** What a strategy reports to: the wait it watches a job for. */
    interface Listener {

        /** The job as last seen: its request id, URLs and latest status. */
        KontextJob job();

        /** A status other than COMPLETED was seen. */
        void statusSeen(KontextJob update);

        /** The job was seen COMPLETED (with or without an error): its outcome is to be fetched. */
        void completed(KontextJob update);

        /**
         * The job was seen COMPLETED together with its outcome (a webhook callback's payload): nothing is fetched.
         * {@code outcome} is asked only when this ends the wait.
         */
        void completedWith(KontextJob update, Supplier<CompletableFuture<Consumer<Message>>> outcome);

        /** The strategy cannot go on, and the job cannot be watched otherwise: the wait ends with this error. */
        void failed(Throwable error);

        /** The strategy cannot go on, but {@code next} can watch the job: it takes over. Never a new submit. */
        void switchTo(WaitStrategy next, String why);

        /** The component is stopping (its scheduler refused a timer): the wait ends with the request id. */
        void stop();
    }

    private volatile boolean stopped;

    /** Starts watching the listener's job. Called once, on a component thread; must not block. */
    final void start(Listener listener) {
        if (stopped) {
            return; // stopped before it started
        }
        watch(listener);
        if (stopped) {
            letGo(); // stopped while it started: that stop may have let go before watch() held anything
        }
    }

    /** The wait has ended (or handed over to another strategy): stop watching and let go of what is held. */
    final void stop() {
        stopped = true;
        letGo();
    }

    /** Whether {@link #stop()} was called: what a strategy sees from then on is no longer reported. */
    final boolean stopped() {
        return stopped;
    }

    /** Starts watching: takes what the watch needs and reports to the listener. */
    abstract void watch(Listener listener);

    /** Gives back what {@link #watch} took. May run before it, during it and more than once: it must not mind. */
    abstract void letGo();
}
