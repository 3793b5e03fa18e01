package io.github.fluxkontext.simulator;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 */
public final class FalSimulator implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(FalSimulator.class.getName());
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    /** SSE streams hold a thread each; beyond this many, requests wait in the pool's queue. */
    private static final int MAX_HTTP_THREADS = 256;
    private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);
    /** Pending connections the kernel queues for us: hundreds of clients may connect at once. */
    private static final int ACCEPT_BACKLOG = 1024;
    private static final String MAX_IDLE_CONNECTIONS = "sun.net.httpserver.maxIdleConnections";

    static {
        // The JDK server closes every connection beyond 200 idle ones right after answering, without a
        // "Connection: close" header, so clients polling hundreds of jobs reuse dead connections. The
        // JDK reads this once, at its first server; a value the user set is left alone.
        if (System.getProperty(MAX_IDLE_CONNECTIONS) == null) {
            System.setProperty(MAX_IDLE_CONNECTIONS, "2048");
        }
    }

    private final SimulatorConfig config;
    private final int instance = INSTANCES.incrementAndGet();
    private final Clock clock = Clock.systemUTC();
    private final SimulatorJournal journal = new SimulatorJournal();
    private final FaultPlan faults = new FaultPlan();
    private final Object lifecycle = new Object();

    private volatile boolean started;
    private volatile boolean closed;
    private volatile Duration queueTime;
    private volatile Duration runTime;
    private volatile String foreignUrlBase;

    private HttpServer server;
    private ThreadPoolExecutor httpPool;
    private ScheduledThreadPoolExecutor scheduler;
    private ThreadPoolExecutor workers;
    private volatile SimulatorContext ctx;

    private FalSimulator(SimulatorConfig config) {
        this.config = config;
        this.queueTime = config.queueTime();
        this.runTime = config.runTime();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a simulator with the defaults: random port, any key accepted. */
    public static FalSimulator start() {
        return builder().start();
    }

    /**
     * Starts a simulator made by {@link Builder#build()} (named so because the static
     * {@link #start()} takes that name). Does nothing if already started.
     *
     * @throws UncheckedIOException if the port cannot be bound
     */
    public FalSimulator startServer() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("This simulator was closed; build a new one");
            }
            if (started) {
                return this;
            }
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(config.host()), config.port()),
                        ACCEPT_BACKLOG);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot listen on " + config.host() + ":" + config.port(), e);
            }
            String prefix = "fal-sim-" + instance + "-";
            httpPool = new ThreadPoolExecutor(MAX_HTTP_THREADS, MAX_HTTP_THREADS, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), threads(prefix + "http-"));
            httpPool.allowCoreThreadTimeOut(true);
            scheduler = new ScheduledThreadPoolExecutor(1, threads(prefix + "scheduler-"));
            scheduler.setRemoveOnCancelPolicy(true);
            int workerCount = Math.max(2, Runtime.getRuntime().availableProcessors());
            workers = new ThreadPoolExecutor(workerCount, workerCount, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), threads(prefix + "worker-"));
            workers.allowCoreThreadTimeOut(true);

            int port = server.getAddress().getPort();
            String urlHost = urlHost(config.host());
            Urls urls = new Urls("http://" + urlHost + ":" + port, urlHost, port);
            urls.setForeignBase(foreignUrlBase);
            FileStore uploads = new FileStore();
            InputImages inputs = new InputImages(url -> urls.ownFilePath(url).flatMap(p -> ctx.files.bytes(p)));
            ImageRenderer renderer = new ImageRenderer(inputs);
            KontextModel model = new KontextModel(faults, inputs, renderer, urls, config.imageScale());
            WebhookSender webhooks = new WebhookSender(workers);
            JobEngine engine = new JobEngine(scheduler, workers, clock, config.runners(), queueTime, runTime,
                    config.resultTtl(), model::run, webhooks::deliver);
            ctx = new SimulatorContext(config, clock, urls, engine, uploads,
                    new FileLookup(uploads, engine, renderer, clock));

            Map<FalOperation, RouteHandler> handlers = new EnumMap<>(FalOperation.class);
            handlers.put(FalOperation.SUBMIT, new SubmitHandler(ctx));
            handlers.put(FalOperation.STATUS, new StatusHandler(ctx));
            handlers.put(FalOperation.STATUS_STREAM, new StreamHandler(ctx));
            handlers.put(FalOperation.RESULT, new ResultHandler(ctx));
            handlers.put(FalOperation.CANCEL, new CancelHandler(ctx));
            StorageHandler storage = new StorageHandler(ctx);
            handlers.put(FalOperation.STORAGE_INITIATE, storage);
            handlers.put(FalOperation.STORAGE_UPLOAD, storage);
            handlers.put(FalOperation.FILE, new FilesHandler(ctx));
            server.createContext("/", new Router(ctx, new Auth(config.apiKey()), faults, journal, handlers, scheduler,
                    httpPool));
            server.setExecutor(httpPool);
            server.start();
            scheduler.scheduleWithFixedDelay(() -> {
                try {
                    engine.sweep();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "Sweeping expired jobs failed", e);
                }
            }, SWEEP_INTERVAL.toMillis(), SWEEP_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            started = true;
            LOG.log(System.Logger.Level.INFO, "fal simulator listening on {0}", urls.ownBase());
            return this;
        }
    }

    /** {@code http://127.0.0.1:<port>}, no trailing slash. */
    public String baseUrl() {
        return context().urls.ownBase();
    }

    public int port() {
        requireStarted();
        return server.getAddress().getPort();
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
        SimulatorContext c = ctx;
        if (c == null) {
            return List.of();
        }
        List<JobSnapshot> out = new ArrayList<>();
        for (Job j : c.engine.all()) {
            out.add(snapshot(c, j));
        }
        return List.copyOf(out);
    }

    public Optional<JobSnapshot> job(String requestId) {
        SimulatorContext c = ctx;
        if (c == null || requestId == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(c.engine.job(requestId)).map(j -> snapshot(c, j));
    }

    /** Queue and run time for jobs submitted from now on. */
    public void setTimings(Duration queueTime, Duration runTime) {
        requireNonNegative(queueTime, "queueTime");
        requireNonNegative(runTime, "runTime");
        this.queueTime = queueTime;
        this.runTime = runTime;
        SimulatorContext c = ctx;
        if (c != null) {
            c.engine.setTimings(queueTime, runTime);
        }
    }

    /**
     * Null turns it off; otherwise submit and status answers carry response/status/cancel URLs under
     * this other base, as aggregators that echo fal's hosts do (e.g. {@code "http://127.0.0.1:9/x"}).
     */
    public void setForeignUrlBase(String base) {
        this.foreignUrlBase = base;
        SimulatorContext c = ctx;
        if (c != null) {
            c.urls.setForeignBase(base);
        }
    }

    /** From now on the job's result and files answer as expired. */
    public void expireResult(String requestId) {
        Job job = context().engine.job(requestId);
        if (job == null) {
            throw new IllegalArgumentException("Unknown request id: " + requestId);
        }
        job.expireNow();
    }

    /** Forgets jobs, journal and faults (unfinished jobs complete with an error first). Uploads are kept. */
    public void reset() {
        SimulatorContext c = ctx;
        if (c != null) {
            c.engine.reset();
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
            if (!started) {
                return;
            }
        }
        ctx.markClosing();
        ctx.engine.wakeAll(); // SSE streams notice and end
        server.stop(0);
        scheduler.shutdownNow();
        workers.shutdownNow();
        httpPool.shutdownNow();
        for (ExecutorService e : List.of(scheduler, workers, httpPool)) {
            try {
                if (!e.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.log(System.Logger.Level.WARNING, "fal simulator threads did not stop within 5s");
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                LOG.log(System.Logger.Level.WARNING, "Interrupted while stopping the fal simulator", ie);
                break;
            }
        }
        LOG.log(System.Logger.Level.INFO, "fal simulator on {0} stopped", ctx.urls.ownBase());
    }

    @Override
    public String toString() {
        SimulatorContext c = ctx;
        return "FalSimulator[" + (c == null ? "not started" : c.urls.ownBase()) + (closed ? ", closed" : "") + "]";
    }

    /** Thread name prefix of this instance's threads ({@code fal-sim-<n>-}); for tests. */
    String threadPrefix() {
        return "fal-sim-" + instance + "-";
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
        requireStarted();
        return ctx;
    }

    private void requireStarted() {
        if (!started) {
            throw new IllegalStateException("The simulator is not started; call startServer()");
        }
    }

    private static String urlHost(String host) {
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            return "127.0.0.1"; // listening everywhere; hand out a loopback URL
        }
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static void requireNonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
    }

    /** Settings for a simulator; every one has a default. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private String apiKey;
        private Duration queueTime = Duration.ofMillis(100);
        private Duration runTime = Duration.ofMillis(300);
        private int runners = 4;
        private Duration resultTtl = Duration.ofHours(1);
        private double imageScale = 1.0;
        private Duration sseKeepAlive = Duration.ofSeconds(15);
        private boolean validateAtSubmit;

        private Builder() {
        }

        /** Interface to listen on (default 127.0.0.1; 0.0.0.0 listens everywhere and hands out 127.0.0.1 URLs). */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** 0 = a random free port (default). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** Accept {@code Authorization: Key <k>} or {@code Bearer <k>} with exactly this key; otherwise 401. */
        public Builder apiKey(String key) {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("apiKey must not be blank; use acceptAnyKey()");
            }
            this.apiKey = key;
            return this;
        }

        /** Accept any non-blank Key/Bearer credential (default); no Authorization header is still a 401. */
        public Builder acceptAnyKey() {
            this.apiKey = null;
            return this;
        }

        /** Minimum time a job stays IN_QUEUE (default 100ms). */
        public Builder queueTime(Duration d) {
            requireNonNegative(d, "queueTime");
            this.queueTime = d;
            return this;
        }

        /** Time a job stays IN_PROGRESS (default 300ms). */
        public Builder runTime(Duration d) {
            requireNonNegative(d, "runTime");
            this.runTime = d;
            return this;
        }

        /** Jobs running at once (default 4); the rest wait IN_QUEUE with a queue_position. */
        public Builder runners(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("runners must be >= 1");
            }
            this.runners = n;
            return this;
        }

        /** How long a completed job's result is kept (default 1h); then it answers as expired. */
        public Builder resultTtl(Duration d) {
            requireNonNegative(d, "resultTtl");
            this.resultTtl = d;
            return this;
        }

        /** Multiplies output pixel sizes (default 1.0; tests use e.g. 0.25 for speed). */
        public Builder imageScale(double scale) {
            if (!(scale > 0 && scale <= 4)) {
                throw new IllegalArgumentException("imageScale must be within (0, 4]");
            }
            this.imageScale = scale;
            return this;
        }

        /** Interval of {@code : ping} comments on a quiet SSE stream (default 15s, as fal). */
        public Builder sseKeepAlive(Duration d) {
            requireNonNegative(d, "sseKeepAlive");
            if (d.isZero()) {
                throw new IllegalArgumentException("sseKeepAlive must be > 0");
            }
            this.sseKeepAlive = d;
            return this;
        }

        /**
         * true: a Kontext input that fails validation is answered 422 at submit. false (default):
         * it is accepted and the job completes with the 422 -- fal's queue behaviour as inferred from
         * its webhook ERROR example (fal-protocol §11.2).
         */
        public Builder validateAtSubmit(boolean validate) {
            this.validateAtSubmit = validate;
            return this;
        }

        /** A simulator with these settings, not started; call {@link FalSimulator#startServer()}. */
        public FalSimulator build() {
            return new FalSimulator(new SimulatorConfig(host, port, apiKey, queueTime, runTime, runners, resultTtl,
                    imageScale, sseKeepAlive, validateAtSubmit));
        }

        /** Builds and starts. */
        public FalSimulator start() {
            return build().startServer();
        }
    }
}
