package io.github.fluxkontext.camel.submit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

import io.github.fluxkontext.camel.model.FluxKontextStoppedException;
import io.github.fluxkontext.camel.model.FluxKontextTimeoutException;
import io.github.fluxkontext.camel.support.ComponentThreads;

/**
 * The component's {@code maxConcurrentJobs}: places for jobs in flight (submitted and not finished). An
 * exchange about to submit that finds none waits in a fair (first come, first served) queue, as a future,
 * holding no thread; its wait counts against its {@code timeout}, and a stop ends it. Nothing has been sent for
 * a queued exchange, so those failures carry no request id and cost nothing.
 * <p>
 * A wait for a job that exists already (one the ledger knew, a {@code flux-kontext:result} wait) cannot be
 * queued, the job runs at fal anyway: it {@linkplain #takeNow() takes} a place at once, even beyond the limit, and
 * new submits wait until fewer than the limit are taken.
 */
public final class JobPlaces {

    /** A place taken; give it back once, when the exchange's job is finished (or was never submitted). */
    public interface Place {

        /** No place: what a wait holds that needs none (one that only asks once), and every place without a limit. */
        Place NONE = () -> {
        };

        void release();
    }

    private final int limit;
    private final ComponentThreads threads;
    private final Deque<Waiter> queue = new ArrayDeque<>();
    private int taken;
    private boolean stopped;

    /**
     * @param limit   places; 0 or less means unlimited
     * @param threads time the waits for a place, and hand a freed place to the next in the queue on a route thread:
     *                never the releasing thread (which may be a route's), and one that may block, since the exchange
     *                goes on there to prepare its submit (reading local input files)
     */
    public JobPlaces(int limit, ComponentThreads threads) {
        this.limit = limit;
        this.threads = threads;
    }

    /**
     * A place, now or when one is free; fails after {@code maxWait}, or when the component or {@code owner}
     * (the endpoint's submitter) stops.
     */
    CompletableFuture<Place> take(Duration maxWait, Object owner) {
        if (limit <= 0) {
            return CompletableFuture.completedFuture(Place.NONE);
        }
        Waiter waiter = new Waiter(owner);
        synchronized (this) {
            if (stopped) {
                return CompletableFuture.failedFuture(notSent("the component is stopping"));
            }
            if (taken < limit && queue.isEmpty()) {
                taken++;
                return CompletableFuture.completedFuture(new Taken());
            }
            queue.addLast(waiter);
        }
        waiter.timeout = threads.schedule(() -> giveUp(waiter, maxWait), Math.max(1, maxWait.toMillis()));
        if (waiter.timeout == null) {
            giveUp(waiter, maxWait); // the component is stopping
        }
        return waiter.place;
    }

    /** A place for a job that exists already: taken now, even if that goes beyond the limit. */
    public Place takeNow() {
        if (limit <= 0) {
            return Place.NONE;
        }
        synchronized (this) {
            taken++;
        }
        return new Taken();
    }

    /** Exchanges waiting for a place now. */
    public synchronized int queued() {
        return queue.size();
    }

    /** Places taken now. */
    public synchronized int taken() {
        return taken;
    }

    /** Fails every queued exchange; from now on nothing is handed out. */
    public void stop() {
        synchronized (this) {
            stopped = true;
        }
        stop(null);
    }

    /** Fails the queued exchanges of this owner (all of them for null), before its stop could hand them a place. */
    void stop(Object owner) {
        List<Waiter> waiting = new ArrayList<>();
        synchronized (this) {
            queue.removeIf(waiter -> (owner == null || waiter.owner == owner) && waiting.add(waiter));
        }
        waiting.forEach(waiter -> {
            cancelTimeout(waiter);
            waiter.place.completeExceptionally(notSent("the component stopped while it waited for one of maxConcurrentJobs ("
                                                       + limit + ") places"));
        });
    }

    private void giveUp(Waiter waiter, Duration maxWait) {
        synchronized (this) {
            if (!queue.remove(waiter)) {
                return; // it got its place meanwhile
            }
        }
        waiter.place.completeExceptionally(new FluxKontextTimeoutException("No job was submitted: all maxConcurrentJobs (" + limit
                                                                           + ") places stayed taken for the timeout of "
                                                                           + maxWait.toMillis() + " ms", null, null, maxWait, false));
    }

    private void released() {
        Waiter next;
        synchronized (this) {
            taken--;
            // beyond the limit (places taken at once by existing jobs) a freed place is no room for a new job yet
            next = stopped || taken >= limit ? null : queue.pollFirst();
            if (next == null) {
                return;
            }
            taken++;
        }
        cancelTimeout(next);
        Place place = new Taken();
        try {
            threads.routes().execute(() -> {
                if (!next.place.complete(place)) {
                    place.release();
                }
            });
        } catch (RejectedExecutionException stopping) {
            next.place.completeExceptionally(notSent("the component is stopping"));
            place.release();
        }
    }

    private static void cancelTimeout(Waiter waiter) {
        Future<?> timeout = waiter.timeout;
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    private static FluxKontextStoppedException notSent(String why) {
        return new FluxKontextStoppedException("No job was submitted: " + why);
    }

    private static final class Waiter {
        final CompletableFuture<Place> place = new CompletableFuture<>();
        final Object owner;
        volatile Future<?> timeout;

        Waiter(Object owner) {
            this.owner = owner;
        }
    }

    /** A place that is given back at most once. */
    private final class Taken implements Place {
        private boolean released;

        @Override
        public void release() {
            synchronized (this) {
                if (released) {
                    return;
                }
                released = true;
            }
            released();
        }
    }
}
