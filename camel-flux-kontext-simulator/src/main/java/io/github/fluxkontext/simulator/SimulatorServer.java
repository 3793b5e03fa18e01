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
 */
final class SimulatorServer {

    private static final System.Logger LOG = System.getLogger(SimulatorServer.class.getName());
    /** SSE streams hold a thread each; beyond this many, requests wait in the pool's queue. */
    private static final int MAX_HTTP_THREADS = 256;
    private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);
    /** Pending connections the kernel queues for us: hundreds of clients may connect at once. */
    private static final int ACCEPT_BACKLOG = 1024;
    static final String MAX_IDLE_CONNECTIONS = "sun.net.httpserver.maxIdleConnections";
    static final String MAX_IDLE_CONNECTIONS_VALUE = "2048";

    final SimulatorContext ctx;
    private final HttpServer server;
    private final ThreadPoolExecutor httpPool;
    private final ScheduledThreadPoolExecutor scheduler;
    private final ThreadPoolExecutor workers;

    private SimulatorServer(SimulatorConfig config, LiveSettings settings, SimulatorJournal journal, FaultPlan faults,
                            String threadPrefix) {
        raiseIdleConnectionLimit();
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(config.host()), config.port()),
                    ACCEPT_BACKLOG);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on " + config.host() + ":" + config.port(), e);
        }
        httpPool = new ThreadPoolExecutor(MAX_HTTP_THREADS, MAX_HTTP_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads(threadPrefix + "http-"));
        httpPool.allowCoreThreadTimeOut(true);
        scheduler = new ScheduledThreadPoolExecutor(1, threads(threadPrefix + "scheduler-"));
        scheduler.setRemoveOnCancelPolicy(true);
        int workerCount = Math.max(2, Runtime.getRuntime().availableProcessors());
        workers = new ThreadPoolExecutor(workerCount, workerCount, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads(threadPrefix + "worker-"));
        workers.allowCoreThreadTimeOut(true);

        Clock clock = Clock.systemUTC();
        int port = server.getAddress().getPort();
        String urlHost = urlHost(config.host());
        Urls urls = new Urls("http://" + urlHost + ":" + port, urlHost, port, settings);
        FileStore uploads = new FileStore();
        InputImages inputs = new InputImages(this::ownFile);
        ImageRenderer renderer = new ImageRenderer(inputs);
        KontextModel model = new KontextModel(faults, inputs, renderer, urls, config.imageScale());
        WebhookSender webhooks = new WebhookSender(workers);
        JobEngine engine = new JobEngine(scheduler, workers, clock, config.runners(), settings, config.resultTtl(),
                model::run, webhooks::deliver);
        ctx = new SimulatorContext(config, settings, clock, urls, engine, uploads,
                new FileLookup(uploads, engine, renderer, clock));

        server.createContext("/", new Router(ctx, new Auth(config.apiKey()), faults, journal, handlers(ctx),
                scheduler, httpPool));
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
                                 FaultPlan faults, String threadPrefix) {
        return new SimulatorServer(config, settings, journal, faults, threadPrefix);
    }

    /**
     * The JDK server closes every connection beyond 200 idle ones (its default) right after answering,
     * without a "Connection: close" header, so clients polling hundreds of jobs reuse dead connections.
     * The JDK reads the property once, when the JVM's first HTTP server is created; a value the user
     * set is left alone.
     */
    private static void raiseIdleConnectionLimit() {
        if (System.getProperty(MAX_IDLE_CONNECTIONS) == null) {
            System.setProperty(MAX_IDLE_CONNECTIONS, MAX_IDLE_CONNECTIONS_VALUE);
        }
    }

    private static Map<FalOperation, RouteHandler> handlers(SimulatorContext ctx) {
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
        return handlers;
    }

    /** An input image URL that points at our own files (an upload or an output), read without HTTP. */
    private Optional<byte[]> ownFile(String url) {
        return ctx.urls.ownFilePath(url).flatMap(ctx.files::bytes);
    }

    int port() {
        return server.getAddress().getPort();
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
}
