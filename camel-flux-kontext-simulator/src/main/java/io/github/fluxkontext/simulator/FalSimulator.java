package io.github.fluxkontext.simulator;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local fal queue server for FLUX.1 Kontext: submit, status (poll and SSE), result, cancel,
 * storage uploads and image files, with real images, injected faults and a journal of what it received.
 *
 * <pre>{@code
 * try (FalSimulator sim = FalSimulator.start()) {
 *     String base = sim.baseUrl(); // point the client here instead of https://queue.fal.run
 * }
 * }</pre>
 *
 * Starting a simulator sets two system properties of the JDK's HTTP server, each unless it is set
 * already: {@code sun.net.httpserver.maxIdleConnections=2048} (otherwise connections beyond 200 idle
 * ones are closed without notice) and {@code sun.net.httpserver.nodelay=true} (otherwise the body of
 * an answer can wait about 40 ms for the client's delayed ACK). The JDK reads them once, when the
 * JVM's first HTTP server is created.
 */
public final class FalSimulator implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(FalSimulator.class.getName());
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final SimulatorConfig config;
    private final LiveSettings settings;
    private final int instance = INSTANCES.incrementAndGet();
    private final SimulatorJournal journal = new SimulatorJournal();
    private final FaultPlan faults = new FaultPlan();
    private final WebhookKeys webhookKeys = new WebhookKeys();
    private final Object lifecycle = new Object();

    private volatile SimulatorServer server; // set once, at start
    private boolean closed; // guarded by lifecycle

    FalSimulator(SimulatorConfig config, LiveSettings settings) {
        this.config = config;
        this.settings = settings;
    }

    public static FalSimulatorBuilder builder() {
        return new FalSimulatorBuilder();
    }

    /** Starts a simulator with the defaults: random port, any key accepted. */
    public static FalSimulator start() {
        return builder().start();
    }

    /**
     * Starts a simulator made by {@link FalSimulatorBuilder#build()} (named so because the static
     * {@link #start()} takes that name). Does nothing if already started. Sets the JDK server's
     * {@code maxIdleConnections} and {@code nodelay} properties first (see the class comment).
     *
     * @throws UncheckedIOException if the port cannot be bound
     */
    public FalSimulator startServer() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("This simulator was closed; build a new one");
            }
            if (server == null) {
                server = SimulatorServer.start(config, settings, journal, faults, webhookKeys, threadPrefix());
                LOG.log(System.Logger.Level.INFO, "fal simulator listening on {0}", baseUrl());
            }
            return this;
        }
    }

    /** {@code http://127.0.0.1:<port>}, no trailing slash. */
    public String baseUrl() {
        return context().urls.ownBase();
    }

    public int port() {
        return running().port();
    }

    /** The configured key, or null when any key is accepted. */
    public String apiKey() {
        return config.apiKey();
    }

    public SimulatorJournal journal() {
        return journal;
    }

    public FaultPlan faults() {
        return faults;
    }

    /** All known jobs, oldest first. */
    public List<JobSnapshot> jobs() {
        SimulatorServer s = server;
        if (s == null) {
            return List.of();
        }
        List<JobSnapshot> out = new ArrayList<>();
        for (Job j : s.ctx.engine.all()) {
            out.add(snapshot(s.ctx, j));
        }
        return List.copyOf(out);
    }

    public Optional<JobSnapshot> job(String requestId) {
        SimulatorServer s = server;
        if (s == null || requestId == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(s.ctx.engine.job(requestId)).map(j -> snapshot(s.ctx, j));
    }

    /** Queue and run time for jobs submitted from now on. */
    public void setTimings(Duration queueTime, Duration runTime) {
        settings.setTimings(new LiveSettings.Timings(queueTime, runTime));
    }

    /**
     * Null turns it off; otherwise submit and status answers carry response/status/cancel URLs under
     * this other base, as aggregators that echo fal's hosts do (e.g. {@code "http://127.0.0.1:9/x"}).
     */
    public void setForeignUrlBase(String base) {
        settings.setForeignUrlBase(base);
    }

    /**
     * Status streams open now: a stream is open from its headers until the COMPLETED event went out,
     * a fault broke it, or a write found its client gone (at the latest the next {@code : ping}).
     */
    public int openStreams() {
        SimulatorServer s = server;
        return s == null ? 0 : s.openStreams();
    }

    /**
     * Where the public key that verifies webhook signatures is published (no auth needed):
     * {@code <baseUrl>/.well-known/jwks.json}, the simulator's stand-in for fal's JWKS URL.
     */
    public String jwksUrl() {
        return baseUrl() + "/.well-known/jwks.json";
    }

    /**
     * Makes a new webhook signing key: from now on callbacks are signed with it and the JWKS lists
     * only it (a receiver that cached the old key must fetch the JWKS again).
     */
    public void rotateWebhookKey() {
        webhookKeys.rotate();
    }

    /** The webhook delivery attempts so far, oldest first (cleared by {@link #reset()} and {@code journal().clear()}). */
    public List<WebhookDelivery> webhookDeliveries() {
        return journal.webhookDeliveries();
    }

    /** From now on the job's result and files answer as expired. */
    public void expireResult(String requestId) {
        Job job = context().engine.job(requestId);
        if (job == null) {
            throw new IllegalArgumentException("Unknown request id: " + requestId);
        }
        job.expireNow();
    }

    /**
     * Forgets jobs, journal (webhook deliveries included) and faults. Unfinished jobs complete with an
     * error first, so their status streams end; silent streams are cut; webhook deliveries not made
     * yet (retries included) are dropped. Uploads are kept.
     */
    public void reset() {
        SimulatorServer s = server;
        if (s != null) {
            s.reset();
        }
        journal.clear();
        faults.clear();
    }

    /** Stops the server and all its threads. Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        SimulatorServer s = server;
        if (s != null) {
            s.stop();
            LOG.log(System.Logger.Level.INFO, "fal simulator on {0} stopped", s.ctx.urls.ownBase());
        }
    }

    @Override
    public String toString() {
        SimulatorServer s = server;
        return "FalSimulator[" + (s == null ? "not started" : s.ctx.urls.ownBase()) + (isClosed() ? ", closed" : "")
                + "]";
    }

    /** Thread name prefix of this instance's threads ({@code fal-sim-<n>-}); for tests. */
    String threadPrefix() {
        return "fal-sim-" + instance + "-";
    }

    private boolean isClosed() {
        synchronized (lifecycle) {
            return closed;
        }
    }

    private static JobSnapshot snapshot(SimulatorContext c, Job j) {
        Job.View v = j.view();
        Outcome o = v.outcome();
        boolean failed = o != null && o.failed();
        Integer position = v.state() == Job.State.IN_QUEUE ? Math.max(0, c.engine.queuePosition(j)) : null;
        return new JobSnapshot(j.requestId, j.endpoint.id(), j.endpoint.appId(), j.input, v.state().name(), position,
                failed ? o.error() : null, failed ? o.errorType() : null, v.cancelled(), j.createdAt,
                v.completedAt(), o == null ? List.of() : o.imageUrls());
    }

    private SimulatorContext context() {
        return running().ctx;
    }

    private SimulatorServer running() {
        SimulatorServer s = server;
        if (s == null) {
            throw new IllegalStateException("The simulator is not started; call startServer()");
        }
        return s;
    }
}
