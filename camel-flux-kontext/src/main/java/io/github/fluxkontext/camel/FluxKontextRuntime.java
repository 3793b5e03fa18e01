package io.github.fluxkontext.camel;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.util.concurrent.SizedScheduledExecutorService;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;

/**
 * What the endpoints of one component share, so that many endpoints (say, every {@code toD} variant)
 * cost no more threads or connections than one: a scheduler for polls and retry delays, a small
 * pool for the component's own work, a pool that continues the routes, and one HTTP client per
 * distinct set of connection options (reference counted: closed when the last endpoint using it stops).
 * <p>
 * The component's own work (reading answers, deciding the next poll, timeouts) and the rest of the
 * users' routes never share threads: a route that blocks after the call (JDBC, files, a synchronous
 * call back into this component) cannot delay other jobs' answers and timeouts, nor deadlock them.
 */
final class FluxKontextRuntime {

    /** Threads for the component's own work, which never blocks (parsing answers, scheduling the next step). */
    private static final int INTERNAL_THREADS = 2;

    /** The options that shape an HTTP client; endpoints that agree on them share one. */
    record ConnectionSettings(long connectTimeout, long requestTimeout, int maxTotalConnections, int connectionsPerRoute,
                              String proxyHost, Integer proxyPort, SSLContextParameters sslContextParameters) {

        static ConnectionSettings of(FluxKontextConfiguration c) {
            return new ConnectionSettings(c.getConnectTimeout(), c.getRequestTimeout(), c.getMaxTotalConnections(),
                    c.getConnectionsPerRoute(), c.getProxyHost(), c.getProxyPort(), c.getSslContextParameters());
        }
    }

    private static final class Shared {
        final CloseableHttpAsyncClient client;
        int users;

        Shared(CloseableHttpAsyncClient client) {
            this.client = client;
        }
    }

    private final CamelContext camelContext;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService internal;
    private final ExecutorService continuations;
    private final Map<ConnectionSettings, Shared> clients = new HashMap<>();

    FluxKontextRuntime(CamelContext camelContext, Object source) {
        this.camelContext = camelContext;
        ExecutorServiceManager executors = camelContext.getExecutorServiceManager();
        this.scheduler = executors.newScheduledThreadPool(source, "FluxKontextScheduler", schedulerProfile());
        removeCancelledTasks(scheduler);
        this.internal = executors.newThreadPool(source, "FluxKontext", internalProfile());
        // a cached pool (grows on demand, idle threads end after a minute, Abort once shut down): a route
        // continuing after its job gets a thread at once, however long the steps before it block
        this.continuations = executors.newCachedThreadPool(source, "FluxKontextRoute");
    }

    /**
     * An unbounded queue, so that a burst of answers waits for a thread instead of running on an I/O
     * thread; and Abort, so that after shutdown a task is refused visibly (the callers then run it
     * themselves) instead of being dropped, as CallerRuns does once its pool has shut down.
     */
    private static ThreadPoolProfile internalProfile() {
        ThreadPoolProfile profile = new ThreadPoolProfile("FluxKontext");
        profile.setPoolSize(INTERNAL_THREADS);
        profile.setMaxPoolSize(INTERNAL_THREADS);
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

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Runs the component's own steps: answers of the HTTP client, the next step of a wait. Never blocks. */
    ExecutorService internal() {
        return internal;
    }

    /** Runs a step of the component's own on the internal pool; once the pool is shut down, here rather than never. */
    void runInternal(Runnable step) {
        try {
            internal.execute(step);
        } catch (RejectedExecutionException stopped) {
            step.run();
        }
    }

    /**
     * Continues a route (calls {@code callback.done(false)}) on a thread of its own; once the pool is
     * shut down, on the calling thread rather than never.
     */
    void continueRoute(Runnable continuation) {
        try {
            continuations.execute(continuation);
        } catch (RejectedExecutionException stopped) {
            continuation.run();
        }
    }

    /** The HTTP client for these options, started; give it back with {@link #release}. */
    synchronized CloseableHttpAsyncClient acquire(FluxKontextConfiguration configuration) throws Exception {
        ConnectionSettings key = ConnectionSettings.of(configuration);
        Shared shared = clients.get(key);
        if (shared == null) {
            CloseableHttpAsyncClient client = FluxKontextHttpClients.create(configuration, camelContext);
            client.start();
            shared = new Shared(client);
            clients.put(key, shared);
        }
        shared.users++;
        return shared.client;
    }

    synchronized void release(CloseableHttpAsyncClient client) {
        clients.entrySet().removeIf(entry -> {
            Shared shared = entry.getValue();
            if (shared.client != client || --shared.users > 0) {
                return false;
            }
            close(shared.client);
            return true;
        });
    }

    /** How many HTTP clients are open (for tests and monitoring). */
    synchronized int httpClients() {
        return clients.size();
    }

    synchronized void shutdown() {
        clients.values().forEach(shared -> close(shared.client));
        clients.clear();
        ExecutorServiceManager executors = camelContext.getExecutorServiceManager();
        executors.shutdownNow(scheduler);
        executors.shutdownGraceful(internal);
        executors.shutdownGraceful(continuations);
    }

    private static void close(CloseableHttpAsyncClient client) {
        // graceful: an immediate close can race the I/O reactor's own event loop (seen as a
        // ConcurrentModificationException in SingleCoreIOReactor)
        client.close(CloseMode.GRACEFUL);
        try {
            client.awaitShutdown(TimeValue.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
