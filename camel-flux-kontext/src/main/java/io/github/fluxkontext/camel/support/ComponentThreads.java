package io.github.fluxkontext.camel.support;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.github.fluxkontext.camel.client.RunOrHere;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.SizedScheduledExecutorService;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;

/**
 * Every thread the component owns, in one place. One set per component, made when its first endpoint
 * starts and shared by all its endpoints, so that many endpoints (say, every {@code toD} variant) cost no
 * more threads than one. All are made through Camel's {@link ExecutorServiceManager} (named, managed).
 * <table>
 * <caption>The component's threads</caption>
 * <tr><th>pool</th><th>runs</th><th>bound</th><th>on stop</th></tr>
 * <tr><td>{@code FluxKontextScheduler}</td><td>timers only: the next status poll, retry delays, timeouts,
 * connection eviction; each task just starts a non-blocking call</td><td>1 thread; one or two timers per
 * waiting job, cancelled ones removed at once</td><td>shut down now (the waits were ended before)</td></tr>
 * <tr><td>{@code FluxKontext}</td><td>the component's own steps: reading answers, deciding what a wait
 * does next; never blocks</td><td>2 threads, unbounded queue</td><td>graceful</td></tr>
 * <tr><td>{@code FluxKontextRoute}</td><td>the rest of the users' routes, after a job completed (the
 * steps after {@code flux-kontext}); these may block (JDBC, files, a synchronous call back into this
 * component). Also the submission ledger's writes once fal answered a keyed submit ({@link io.github.fluxkontext.camel.submit.LedgerClaims}),
 * which may block on a database or a disk too</td><td>{@code routeThreads} (default 2: handing an exchange back
 * takes microseconds). When all are busy and none has finished a task for two checks in a row,
 * {@value #STALL_CHECK_MS} ms apart (routes blocked), the pool grows by {@code routeThreads} at a time up to
 * {@code maxRouteThreads} (default 100), and shrinks back once the queue is empty. Beyond that, completed
 * exchanges wait in order for a free thread; the component's own work goes on
 * undisturbed. And the submit of an exchange that waited for a {@code maxConcurrentJobs} place, from the moment
 * it got one: preparing its input reads local image files</td><td>graceful</td></tr>
 * <tr><td>{@code FluxKontextLedger}</td><td>the submission ledger's upkeep, which may block on a database or a
 * disk: renewing the leases of keyed submits under way ({@link io.github.fluxkontext.camel.submit.LedgerUpkeep}), and purging expired entries, one
 * purge at a time</td><td>{@value #LEDGER_THREADS} threads, unbounded queue: a long purge leaves a thread for the
 * renewals</td><td>graceful</td></tr>
 * <tr><td>{@code FluxKontextHttp}</td><td>the HTTP client's I/O reactor: moves bytes, nothing
 * else</td><td>3 per HTTP client (2 I/O threads and the reactor's own, idle after start); one client per
 * distinct set of connection options</td><td>closed when
 * the last endpoint using it stops</td></tr>
 * </table>
 * The component's own work and the users' routes never share threads: a route that blocks after the call
 * cannot delay other jobs' answers and timeouts, nor deadlock them.
 */
public final class ComponentThreads {

    /** Threads for the component's own work, which never blocks. */
    private static final int INTERNAL_THREADS = 2;
    /** Threads for the ledger's upkeep: one may purge while the other renews leases. */
    static final int LEDGER_THREADS = 2;
    /** How often the route threads are checked for a stall. */
    static final long STALL_CHECK_MS = 100;

    private final CamelContext camelContext;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService internal;
    private final ExecutorService routes;
    private final ExecutorService ledger;
    private final int routeThreads;
    private long routeTasksDone;
    private long lastCheckNanos = System.nanoTime();
    private int stalledChecks;

    public ComponentThreads(CamelContext camelContext, Object source, int routeThreads, int maxRouteThreads) {
        this.camelContext = camelContext;
        this.routeThreads = routeThreads;
        ExecutorServiceManager executors = camelContext.getExecutorServiceManager();
        this.scheduler = executors.newScheduledThreadPool(source, "FluxKontextScheduler", schedulerProfile());
        removeCancelledTasks(scheduler);
        this.internal = executors.newThreadPool(source, "FluxKontext", poolProfile("FluxKontext", INTERNAL_THREADS, INTERNAL_THREADS));
        this.routes = executors.newThreadPool(source, "FluxKontextRoute", poolProfile("FluxKontextRoute", routeThreads, maxRouteThreads));
        this.ledger = executors.newThreadPool(source, "FluxKontextLedger", poolProfile("FluxKontextLedger", LEDGER_THREADS, LEDGER_THREADS));
        if (routes instanceof ThreadPoolExecutor) {
            scheduler.scheduleWithFixedDelay(this::growRoutesWhenStalled, STALL_CHECK_MS, STALL_CHECK_MS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * {@code threads} threads (made on demand, ended after a minute idle; more only when grown by hand)
     * and an unbounded queue, so that a burst waits for a thread instead of running on an I/O thread; and
     * Abort, so that after shutdown a task is refused visibly (the callers then run it themselves) instead
     * of being dropped, as CallerRuns does once its pool has shut down.
     */
    private static ThreadPoolProfile poolProfile(String name, int threads, int maxThreads) {
        ThreadPoolProfile profile = new ThreadPoolProfile(name);
        profile.setPoolSize(threads);
        profile.setMaxPoolSize(maxThreads);
        profile.setMaxQueueSize(Integer.MAX_VALUE); // Camel makes a hand-over queue of 0 or less: this is the unbounded one
        profile.setKeepAliveTime(60L);
        profile.setTimeUnit(TimeUnit.SECONDS);
        profile.setAllowCoreThreadTimeOut(true);
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        return profile;
    }

    /**
     * One thread (it only starts non-blocking calls) and no cap on queued tasks: each waiting job keeps
     * its next poll and its timeout there, and Camel's default cap (1,000) would refuse the 501st job.
     */
    private static ThreadPoolProfile schedulerProfile() {
        ThreadPoolProfile profile = new ThreadPoolProfile("FluxKontextScheduler");
        profile.setPoolSize(1);
        profile.setMaxPoolSize(1);
        profile.setMaxQueueSize(-1); // for scheduled pools Camel reads 0 or less as no cap
        profile.setKeepAliveTime(60L);
        profile.setTimeUnit(TimeUnit.SECONDS);
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        return profile;
    }

    /**
     * A wait's timeout task is cancelled when the job completes; without this it would stay queued (and
     * keep its exchange in memory) until the timeout's time, ten minutes by default.
     */
    private static void removeCancelledTasks(ScheduledExecutorService scheduler) {
        if (scheduler instanceof ScheduledThreadPoolExecutor pool) {
            pool.setRemoveOnCancelPolicy(true);
        } else if (scheduler instanceof SizedScheduledExecutorService sized) {
            sized.getScheduledThreadPoolExecutor().setRemoveOnCancelPolicy(true);
        }
    }

    /**
     * Route steps that block (a slow database, a synchronous call back into this component that waits for
     * a route thread itself) must not stall every completed exchange behind them, nor deadlock: when no
     * route thread finished a task since the last check and exchanges are queued, more threads are let in.
     */
    private void growRoutesWhenStalled() {
        ThreadPoolExecutor pool = (ThreadPoolExecutor) routes;
        long now = System.nanoTime();
        boolean late = now - lastCheckNanos > TimeUnit.MILLISECONDS.toNanos(2 * STALL_CHECK_MS);
        lastCheckNanos = now;
        long done = pool.getCompletedTaskCount();
        int core = pool.getCorePoolSize();
        boolean stalled = !pool.getQueue().isEmpty() && done == routeTasksDone && pool.getActiveCount() >= core;
        // a check that itself ran late saw the whole JVM paused (GC, a busy machine), not blocked routes
        stalledChecks = stalled && !late ? stalledChecks + 1 : 0;
        if (stalledChecks >= 2 && core < pool.getMaximumPoolSize()) {
            pool.setCorePoolSize(Math.min(pool.getMaximumPoolSize(), core + routeThreads));
            stalledChecks = 0;
        } else if (pool.getQueue().isEmpty() && core > routeThreads && pool.getActiveCount() < routeThreads) {
            pool.setCorePoolSize(routeThreads); // the extra threads end when idle
        }
        routeTasksDone = done;
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Runs a task later on the scheduler; null when the component is stopping (the scheduler refused it). */
    public Future<?> schedule(Runnable task, long delayMs) {
        try {
            return scheduler.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            return null;
        }
    }

    /** The component's own steps: answers of the HTTP client, the next step of a wait. Never blocks. */
    public ExecutorService internal() {
        return internal;
    }

    /** Runs a step of the component's own on the internal pool; once the pool is shut down, here rather than never. */
    public void runInternal(Runnable step) {
        RunOrHere.run(internal, step);
    }

    /** Continues a route (calls {@code callback.done(false)}) on a route thread; once shut down, here rather than never. */
    public void continueRoute(Runnable continuation) {
        RunOrHere.run(routes, continuation);
    }

    /** The route threads, which may block: where a queued exchange gets its {@code maxConcurrentJobs} place. */
    public ExecutorService routes() {
        return routes;
    }

    /** The ledger's upkeep (lease renewals, purges), which may block. */
    public ExecutorService ledger() {
        return ledger;
    }

    public void shutdown() {
        ExecutorServiceManager executors = camelContext.getExecutorServiceManager();
        executors.shutdownNow(scheduler);
        executors.shutdownGraceful(internal);
        executors.shutdownGraceful(routes);
        executors.shutdownGraceful(ledger);
    }
}
