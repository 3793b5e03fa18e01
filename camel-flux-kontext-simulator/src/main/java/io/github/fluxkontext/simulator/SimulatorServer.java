package io.github.fluxkontext.simulator;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A started simulator's parts: the HTTP server, its thread pools, the engine and the handlers, wired
 * together once at start and stopped together.
 *
 * <p>Threads, all daemons named {@code fal-sim-<n>-...}: {@code http-} answers requests (a few; no
 * handler waits, so it needs no more however many requests or streams are open), {@code stream-}
 * writes status stream events, {@code scheduler-} runs every timer (queue and run times, pings, delays),
 * {@code worker-} builds outputs, renders images and sends webhooks; plus the JDK server's one
 * dispatcher thread, and the selector thread of the JDK HTTP client once a webhook was sent.
 */
final class SimulatorServer {

    private static final System.Logger LOG = System.getLogger(SimulatorServer.class.getName());
    /** Handlers never wait (delays, sync-host answers and streams go on without a thread), so a few do. */
    private static final int HTTP_THREADS = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
    /** Event writes are short; two threads keep one slow client from delaying every other stream. */
    private static final int STREAM_THREADS = 2;
    private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);
    /** Pending connections the kernel queues for us: hundreds of clients may connect at once. */
    private static final int ACCEPT_BACKLOG = 1024;
    private static final String MAX_IDLE_CONNECTIONS = "sun.net.httpserver.maxIdleConnections";
    private static final String NO_DELAY = "sun.net.httpserver.nodelay";

    final SimulatorContext ctx;
    private final HttpServer server;
    private final ThreadPoolExecutor httpPool;
    private final ScheduledThreadPoolExecutor scheduler;
    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor streamPool;
    private final EventStreams streams;
    private final WebhookSender webhooks;

    private SimulatorServer(SimulatorConfig config, LiveSettings settings, SimulatorJournal journal, FaultPlan faults,
                            WebhookKeys webhookKeys, String threadPrefix) {
        tuneJdkServer();
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(config.host()), config.port()),
                    ACCEPT_BACKLOG);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on " + config.host() + ":" + config.port(), e);
        }
        httpPool = pool(HTTP_THREADS, threadPrefix + "http-");
        scheduler = new ScheduledThreadPoolExecutor(1, threads(threadPrefix + "scheduler-"));
        scheduler.setRemoveOnCancelPolicy(true);
        workers = pool(Math.max(2, Runtime.getRuntime().availableProcessors()), threadPrefix + "worker-");
        streamPool = pool(STREAM_THREADS, threadPrefix + "stream-");

        Clock clock = Clock.systemUTC();
        int port = server.getAddress().getPort();
        String urlHost = urlHost(config.host());
        Urls urls = new Urls("http://" + urlHost + ":" + port, urlHost, port, settings);
        FileStore uploads = new FileStore();
        InputImages inputs = new InputImages(this::ownFile);
        ImageRenderer renderer = new ImageRenderer(inputs);
        KontextModel model = new KontextModel(faults, renderer, urls, new OutputSize(inputs, config.imageScale()),
                config::billableUnits);
        webhooks = new WebhookSender(config, webhookKeys, faults, journal, scheduler, workers, clock);
        JobEngine engine = new JobEngine(scheduler, workers, clock, config.runners(), settings, config.resultTtl(),
                model::run, webhooks::deliver);
        ctx = new SimulatorContext(config, settings, clock, urls, engine, uploads,
                new FileLookup(uploads, engine, renderer, clock), scheduler);
        streams = new EventStreams(engine, urls, config.sseKeepAlive().toNanos(), streamPool, scheduler);

        server.createContext("/", new Router(ctx, new Auth(config.apiKey()), faults, journal,
                handlers(ctx, streams, webhookKeys), scheduler, httpPool));
        server.setExecutor(httpPool);
        server.start();
        scheduler.scheduleWithFixedDelay(this::sweep, SWEEP_INTERVAL.toMillis(), SWEEP_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Binds and starts.
     *
     * @throws UncheckedIOException if the port cannot be bound
     */
    static SimulatorServer start(SimulatorConfig config, LiveSettings settings, SimulatorJournal journal,
                                 FaultPlan faults, WebhookKeys webhookKeys, String threadPrefix) {
        return new SimulatorServer(config, settings, journal, faults, webhookKeys, threadPrefix);
    }

    /**
     * Two JDK server defaults that distort what clients measure. It closes every connection beyond 200
     * idle ones right after answering, without a "Connection: close" header, so clients polling
     * hundreds of jobs reuse dead connections: raised to 2048. It writes the headers and the body of an
     * answer in two packets without TCP_NODELAY, so the body waits for the client's delayed ACK (about
     * 40 ms on Linux): turned on. The JDK reads both once, when the JVM's first HTTP server is
     * created; a value the user set is left alone.
     */
    private static void tuneJdkServer() {
        setUnlessSet(MAX_IDLE_CONNECTIONS, "2048");
        setUnlessSet(NO_DELAY, "true");
    }

    private static void setUnlessSet(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    private static Map<FalOperation, RouteHandler> handlers(SimulatorContext ctx, EventStreams streams,
                                                            WebhookKeys keys) {
        Map<FalOperation, RouteHandler> handlers = new EnumMap<>(FalOperation.class);
        handlers.put(FalOperation.SUBMIT, new SubmitHandler(ctx));
        handlers.put(FalOperation.STATUS, new StatusHandler(ctx));
        handlers.put(FalOperation.STATUS_STREAM, new StreamHandler(ctx, streams));
        handlers.put(FalOperation.RESULT, new ResultHandler(ctx));
        handlers.put(FalOperation.CANCEL, new CancelHandler(ctx));
        StorageHandler storage = new StorageHandler(ctx);
        handlers.put(FalOperation.STORAGE_INITIATE, storage);
        handlers.put(FalOperation.STORAGE_UPLOAD, storage);
        handlers.put(FalOperation.FILE, new FilesHandler(ctx));
        handlers.put(FalOperation.JWKS, (req, route) -> Reply.json(200, keys.jwks()));
        return handlers;
    }

    /** An input image URL that points at our own files (an upload or an output), read without HTTP. */
    private Optional<byte[]> ownFile(String url) {
        return ctx.urls.ownFilePath(url).flatMap(ctx.files::bytes);
    }

    int port() {
        return server.getAddress().getPort();
    }

    int openStreams() {
        return streams.count();
    }

    /** Forgets all jobs (their streams end with an error event), ends silent streams, drops pending webhooks. */
    void reset() {
        webhooks.forgetPending();
        ctx.engine.reset();
        streams.abortSilent();
    }


    private void sweep() {
        try {
            ctx.engine.sweep();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Sweeping expired jobs failed", e);
        }
    }

    /** Stops the server and waits (up to 5 s per pool) for all its threads to end. */
    void stop() {
        server.stop(0); // closes every connection, open streams' too
        streams.abortAll();
        List<ExecutorService> pools = List.of(scheduler, workers, streamPool, httpPool);
        pools.forEach(ExecutorService::shutdownNow);
        for (ExecutorService e : pools) {
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
    }

    private static String urlHost(String host) {
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            return "127.0.0.1"; // listening everywhere; hand out a loopback URL
        }
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** A fixed number of threads that end when idle for 30 s. */
    private static ThreadPoolExecutor pool(int threads, String prefix) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads(prefix));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
