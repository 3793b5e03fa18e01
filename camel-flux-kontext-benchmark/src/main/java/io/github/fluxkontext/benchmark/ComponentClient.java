package io.github.fluxkontext.benchmark;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.fluxkontext.camel.FluxKontextComponent;
import io.github.fluxkontext.camel.FluxKontextConstants;
import io.github.fluxkontext.camel.FluxKontextEndpoint;
import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.PropertyBindingSupport;

/**
 * The component as a user runs it, in a JVM of its own (so its threads, heap and RSS are its own): a
 * CamelContext with one route, {@code direct:job -> flux-kontext:text-to-image?<options> -> record},
 * where "record" notes the wall-clock time at which the exchange continued after its job. Driven by
 * the harness over stdin/stdout ({@link Protocol}).
 * <p>
 * Arguments: the simulator's base URL, the options (e.g. {@code waitMode=poll}; a component option such as
 * {@code maxOpenStreams=1000} is set on the component), the folder for result files, and a file name prefix.
 */
public final class ComponentClient {

    private static final String INDEX = "benchmarkJob";
    /** Options of the component alone (not of an endpoint). */
    private static final Set<String> COMPONENT_OPTIONS = Set.of("maxOpenStreams", "maxConcurrentJobs", "routeThreads", "maxRouteThreads");
    private static final long PHASE_TIMEOUT_MINUTES = 30;

    private final PrintStream out;
    private final DefaultCamelContext camel;
    private final FluxKontextComponent component;
    private final FluxKontextEndpoint endpoint;
    private final AsyncProducer producer;
    private final ResourceCensus census;
    private final Path outputDir;
    private final String filePrefix;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private volatile Phase current;

    private ComponentClient(PrintStream out, String baseUrl, String endpointOptions, Path outputDir, String filePrefix) throws Exception {
        this.out = out;
        this.outputDir = outputDir;
        this.filePrefix = filePrefix;
        camel = new DefaultCamelContext();
        camel.start();
        // the baseline: the JVM, log4j2 and a started CamelContext, before the component made anything
        census = ResourceCensus.start();
        component = new FluxKontextComponent();
        component.getConfiguration().setBaseUrl(baseUrl);
        component.getConfiguration().setApiKey("benchmark-key");
        // the component's own options (maxOpenStreams=1000) go to the component, the others into the URI
        Map<String, Object> componentOptions = new HashMap<>();
        List<String> uriOptions = new ArrayList<>();
        for (String option : endpointOptions.isEmpty() ? new String[0] : endpointOptions.split("&")) {
            String[] nameValue = option.split("=", 2);
            if (COMPONENT_OPTIONS.contains(nameValue[0])) {
                componentOptions.put(nameValue[0], nameValue[1]);
            } else {
                uriOptions.add(option);
            }
        }
        PropertyBindingSupport.build().withMandatory(true).bind(camel, component, componentOptions);
        camel.addComponent("flux-kontext", component);
        String uri = "flux-kontext:text-to-image" + (uriOptions.isEmpty() ? "" : "?" + String.join("&", uriOptions));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:job").routeId("job")
                        .to(uri)
                        .process(exchange -> current.continued(exchange.getProperty(INDEX, Integer.class)));
            }
        });
        endpoint = camel.getEndpoint(uri, FluxKontextEndpoint.class);
        producer = camel.getEndpoint("direct:job").createAsyncProducer();
        producer.start();
    }

    public static void main(String[] args) throws Exception {
        PrintStream protocol = System.out;
        System.setOut(System.err); // stdout carries the protocol only
        ComponentClient client = new ComponentClient(protocol, args[0], args[1], Path.of(args[2]), args[3]);
        Protocol.send(protocol, "ready", Map.of("pid", ProcessHandle.current().pid(), "threadsBaseline", client.census.baseline()));
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = commands.readLine(); line != null; line = commands.readLine()) {
            String[] command = line.trim().split(" ");
            switch (command[0]) {
                case "warmup", "throughput", "latency" -> client.runToCompletion(command[0], Integer.parseInt(command[1]));
                case "baseline" -> client.baseline(Integer.parseInt(command[1]));
                case "hold" -> client.hold(Integer.parseInt(command[1]));
                case "measure" -> client.measure();
                case "exit" -> Runtime.getRuntime().halt(0); // no graceful stop: thousands of waits may be open
                default -> throw new IllegalArgumentException("Unknown command: " + line);
            }
        }
        Runtime.getRuntime().halt(1); // the harness went away
    }

    /** Submits the jobs at once and waits until every exchange has continued; writes request id and time per job. */
    private void runToCompletion(String name, int jobs) throws Exception {
        Phase phase = submit(jobs);
        if (!phase.done.await(PHASE_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            throw new IllegalStateException(name + ": " + phase.done.getCount() + " of " + jobs + " jobs still waiting");
        }
        Path results = outputDir.resolve(filePrefix + "-" + name + ".txt");
        List<String> lines = new ArrayList<>(jobs);
        for (int i = 0; i < jobs; i++) {
            if (phase.requestIds[i] != null) {
                lines.add(phase.requestIds[i] + " " + phase.continuedMicros[i]);
            }
        }
        Files.write(results, lines);
        Map<String, Object> done = new LinkedHashMap<>();
        done.put("phase", name);
        done.put("wallMs", (phase.lastDoneNanos.get() - phase.startNanos) / 1e6);
        done.put("failed", phase.failed.get());
        done.put("failures", phase.failures);
        done.put("results", results.toString());
        done.put("threadsPeak", census.peak());
        done.put("threadsAddedAtPeak", census.addedAtPeak());
        Protocol.send(out, "done", done);
    }

    private long heapBefore;
    private long openFilesBefore;
    private Phase held;

    /**
     * The heap and open files before the held jobs: with no connection pooled, and with the held round's arrays
     * (the benchmark's, not the jobs') already made.
     */
    private void baseline(int jobs) throws Exception {
        held = new Phase(jobs);
        closePooledConnections();
        heapBefore = usedHeapAfterGc();
        openFilesBefore = ResourceCensus.openFiles();
        Protocol.send(out, "baseline", Map.of("heapBefore", heapBefore, "openFilesBefore", openFilesBefore));
    }

    /** Submits the jobs (which the simulator holds in its queue) and says so once every one is waiting. */
    private void hold(int jobs) throws Exception {
        Phase phase = held != null && held.jobs == jobs ? held : new Phase(jobs);
        held = null;
        submit(phase);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(PHASE_TIMEOUT_MINUTES);
        while (endpoint.getWaitingJobs() + phase.failed.get() < jobs) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("hold: only " + endpoint.getWaitingJobs() + " of " + jobs + " jobs waiting");
            }
            Thread.sleep(20); // a benchmark driver polling a counter, not library code
        }
        Protocol.send(out, "submitted", Map.of("waiting", endpoint.getWaitingJobs(), "failed", phase.failed.get(),
                "failures", phase.failures));
    }

    /**
     * The baseline holds no connection. Those the earlier rounds left in the pool (idle until the component closes
     * them, 30 s later) would be counted in it, and a held job that took one over would seem to cost nothing for
     * it: so earlier runs of this page measured 7.7 KB per job for 5,000 and 10,000 open streams, where the same
     * build measured 34.7 KB with 1,000 and 3,000 from an empty pool (the 24 KB of buffers each stream's connection
     * then held were in the baseline). Restarting the endpoint closes its HTTP client; the next one starts with an empty pool, as after
     * a quiet spell.
     */
    private void closePooledConnections() throws Exception {
        endpoint.stop();
        endpoint.start();
    }

    /** Heap and threads while the held jobs wait. */
    private void measure() {
        long heap = usedHeapAfterGc();
        Map<String, Object> measured = new LinkedHashMap<>();
        measured.put("waiting", endpoint.getWaitingJobs());
        measured.put("heapBefore", heapBefore);
        measured.put("heapWaiting", heap);
        measured.put("threadsBaseline", census.baseline());
        measured.put("threadsWaiting", census.now());
        measured.put("threadsPeak", census.peak());
        measured.put("threadsAddedWaiting", census.addedNow());
        measured.put("threadsAddedAtPeak", census.addedAtPeak());
        measured.put("openFilesPeak", census.peakOpenFiles());
        measured.put("openFilesBefore", openFilesBefore);
        measured.put("openFilesWaiting", ResourceCensus.openFiles());
        measured.put("openStreams", component.getOpenStreams());
        measured.put("heapUnit", "Java heap used after a full GC");
        Protocol.send(out, "measured", measured);
    }

    private Phase submit(int jobs) {
        Phase phase = new Phase(jobs);
        submit(phase);
        return phase;
    }

    private void submit(Phase phase) {
        current = phase;
        phase.startNanos = System.nanoTime();
        for (int i = 0; i < phase.jobs; i++) {
            Exchange exchange = new DefaultExchange(camel);
            exchange.getMessage().setBody("A lighthouse at dusk, watercolour, benchmark job " + i);
            exchange.setProperty(INDEX, i);
            int index = i;
            producer.process(exchange, doneSync -> phase.done(index, exchange));
        }
    }

    private long usedHeapAfterGc() {
        memory.gc();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** One round of jobs: when each continued, which request it was, and what failed. */
    private static final class Phase {
        final int jobs;
        final long[] continuedMicros;
        final String[] requestIds;
        final CountDownLatch done;
        final AtomicInteger failed = new AtomicInteger();
        final Map<String, Integer> failures = new ConcurrentHashMap<>();
        final AtomicLong lastDoneNanos = new AtomicLong();
        long startNanos;

        Phase(int jobs) {
            this.jobs = jobs;
            this.continuedMicros = new long[jobs];
            this.requestIds = new String[jobs];
            this.done = new CountDownLatch(jobs);
        }

        /** The first step after flux-kontext: the exchange continues. */
        void continued(int index) {
            continuedMicros[index] = Protocol.nowMicros();
        }

        void done(int index, Exchange exchange) {
            Exception error = exchange.getException();
            if (error != null) {
                failed.incrementAndGet();
                String reason = error.getClass().getSimpleName() + ": " + error.getMessage();
                failures.merge(reason.length() > 160 ? reason.substring(0, 160) : reason, 1, Integer::sum);
            } else {
                requestIds[index] = exchange.getMessage().getHeader(FluxKontextConstants.REQUEST_ID, String.class);
            }
            lastDoneNanos.accumulateAndGet(System.nanoTime(), Math::max);
            done.countDown();
        }
    }
}
