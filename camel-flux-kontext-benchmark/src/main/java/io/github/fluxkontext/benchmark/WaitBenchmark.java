package io.github.fluxkontext.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.FalSimulator;
import io.github.fluxkontext.simulator.JobSnapshot;

/**
 * The waiting benchmark: the component in each wait mode and fal's JS client in each of its modes, on the
 * same simulator (this JVM), the same jobs, one number of jobs after the other. Not a test: it prints
 * figures and the targets next to them, and asserts nothing.
 * <p>
 * Each client runs in a process of its own ({@link ComponentClient}: a child JVM; {@code fal-js-client.mjs}:
 * node), so that its threads, heap and RSS are its own, and goes through four rounds:
 * <ol>
 * <li>warm-up: a few jobs with the latency round's timings (class loading, JIT, connections, and what a
 * client learns from the jobs it saw), not counted;</li>
 * <li>throughput: {@code jobs} jobs at once that take no time at the simulator, so that the wall time is the
 * client's own work (submit, wait, result) on this machine: jobs per second;</li>
 * <li>latency: {@code jobs} jobs at once with realistic timings (queue times varying per job, see
 * {@link VaryingQueueTime}); wall time, and per job the time from its
 * completion at the simulator ({@code JobSnapshot.completedAt}) to the exchange continuing (the promise
 * resolving), both on this machine's wall clock; status requests per job from the simulator's journal;</li>
 * <li>hold: {@code jobs} jobs that the simulator keeps in its queue, so that all of them are waiting when the
 * heap (after a full GC) and threads are measured: once each job has had its first status request, and
 * {@code settle} later (the steady state of a long wait rather than the burst of first polls). The component's
 * baseline is taken before, with no connection pooled (see {@code ComponentClient}), and with the heap the
 * status streams open at the simulator and in the component's count, and the open files, are printed;</li>
 * <li>the process's peak RSS ({@code VmHWM}) and the most files (sockets) it had open, over all rounds.</li>
 * </ol>
 * Settings are system properties: {@code benchmark.jobs} (default {@code 50,1000}), {@code benchmark.clients}
 * (default {@code poll,stream,stream?maxOpenStreams=10000,fal-js-polling,fal-js-streaming}; a component mode may
 * carry options, e.g. {@code poll?maxPollInterval=1000} or the component's {@code stream?maxOpenStreams=10000},
 * fal's client the most connections it opens, e.g.
 * {@code fal-js-polling?connections=12000}), {@code benchmark.queueTime} (ms, default 1000: each job 500 to 1,500),
 * {@code benchmark.runTime} (ms, default 1500), {@code benchmark.runners} (default: the largest job count,
 * so no job waits for a runner), {@code benchmark.warmupJobs} (50), {@code benchmark.settle} (ms between the
 * first status request of each held job and the measurement, default 5000), {@code benchmark.inspect} (true: class
 * histograms of each component JVM before and while the jobs wait, their difference per job, and a thread dump), {@code benchmark.childJvmOptions},
 * {@code benchmark.outputDir}, {@code benchmark.falJsDir}.
 */
public final class WaitBenchmark {

    /** The simulator keeps held jobs queued this long; the round ends long before. */
    private static final Duration HOLD = Duration.ofHours(1);
    /**
     * fal's client opens a connection per request in flight (no limit per host), about two per job (see
     * fal-js-client.mjs), so at 10,000 jobs it needs more than 20,000 open files, in its process and in the
     * simulator's: both get this limit, where the system lets us raise it (elsewhere, cap its connections:
     * {@code fal-js-polling?connections=12000}).
     */
    private static final int OPEN_FILES = 65_536;

    private final Settings settings;
    private final FalSimulator sim;

    private WaitBenchmark(Settings settings, FalSimulator sim) {
        this.settings = settings;
        this.sim = sim;
    }

    /** The settings, from system properties. */
    record Settings(List<Integer> jobs, List<String> clients, long queueTimeMs, long runTimeMs, int runners, int warmupJobs,
                    long settleMs, boolean inspect, List<String> childJvmOptions, Path outputDir, Path falJsDir) {

        /** Both wait modes with their defaults, streams without the default cap, and fal's client's two modes. */
        static final String DEFAULT_CLIENTS = "poll,stream,stream?maxOpenStreams=10000,fal-js-polling,fal-js-streaming";

        static Settings fromSystemProperties() {
            List<Integer> jobs = Arrays.stream(System.getProperty("benchmark.jobs", "50,1000").split(","))
                    .map(String::trim).filter(s -> !s.isEmpty()).map(Integer::valueOf).toList();
            List<String> clients = Arrays.stream(System.getProperty("benchmark.clients", DEFAULT_CLIENTS).split(","))
                    .map(String::trim).filter(s -> !s.isEmpty()).toList();
            int maxJobs = jobs.stream().mapToInt(Integer::intValue).max().orElse(1);
            String jvmOptions = System.getProperty("benchmark.childJvmOptions", "").trim();
            return new Settings(jobs, clients, Long.getLong("benchmark.queueTime", 1000), Long.getLong("benchmark.runTime", 1500),
                    Integer.getInteger("benchmark.runners", maxJobs), Integer.getInteger("benchmark.warmupJobs", 50),
                    Long.getLong("benchmark.settle", 5000), Boolean.getBoolean("benchmark.inspect"), jvmOptions.isEmpty() ? List.of() : List.of(jvmOptions.split("\\s+")),
                    Path.of(System.getProperty("benchmark.outputDir", "target/benchmark")).toAbsolutePath(),
                    Path.of(System.getProperty("benchmark.falJsDir", "target/fal-js")).toAbsolutePath());
        }
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromSystemProperties();
        for (String client : settings.clients()) {
            ClientKind.of(client); // a bad name fails before anything runs
        }
        Files.createDirectories(settings.outputDir());
        try (var old = Files.list(settings.outputDir())) { // files of an earlier run would pass for this run's
            for (Path file : old.toList()) {
                Files.delete(file);
            }
        }
        // fal's JS client keeps one connection per waiting job; the JDK server would close those beyond 2048
        // idle ones without notice (the simulator's own setting), which no real server does to a polling client
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "16384");
        }
        raiseOpenFiles(ProcessHandle.current().pid());
        try (FalSimulator sim = FalSimulator.builder().acceptAnyKey().runners(settings.runners())
                .queueTime(Duration.ofMillis(settings.queueTimeMs())).runTime(Duration.ofMillis(settings.runTimeMs()))
                .imageScale(0.05).start()) {
            new WaitBenchmark(settings, sim).run();
        }
    }

    private void run() throws Exception {
        Report report = new Report(settings);
        report.header(Instant.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), nodeVersion());
        List<Figures> all = new ArrayList<>();
        for (int jobs : settings.jobs()) {
            List<Figures> rows = new ArrayList<>();
            for (String named : settings.clients()) {
                String client = withinOpenFileLimit(named, jobs);
                System.err.printf("[benchmark] %s, %d jobs...%n", client, jobs);
                Figures figures = runClient(client, jobs);
                rows.add(figures);
                System.err.printf("[benchmark] %s, %d jobs: %s%n", client, jobs, figures);
            }
            report.table(jobs, rows);
            all.addAll(rows);
        }
        report.targets(all);
        Path text = settings.outputDir().resolve("report.txt");
        Files.writeString(text, report.text());
        System.out.print(report.text());
        System.out.printf("%n(also in %s; each client's log and result files are next to it)%n", text);
    }

    private Figures runClient(String client, int jobs) {
        String prefix = client.replaceAll("[^A-Za-z0-9-]+", "_") + "-" + jobs;
        try (ClientProcess child = ClientProcess.start(command(client, prefix), settings.falJsDir(), settings.outputDir().resolve(prefix + ".log"))) {
            raiseOpenFiles(child.pid());
            child.await("ready", Duration.ofMinutes(2));

            sim.reset();
            Duration roundTimeout = Duration.ofMinutes(3).plusMillis(20L * jobs); // a client that cannot cope ends the round
            // the latency round's timings: a client that learns from the jobs it saw (the component's poll mode
            // learns an endpoint's run time) starts the measured rounds as it would run in production
            VaryingQueueTime warmupTimings = new VaryingQueueTime();
            try {
                child.send("warmup " + settings.warmupJobs());
                child.await("done", roundTimeout);
            } finally {
                warmupTimings.stop();
            }

            sim.reset();
            sim.setTimings(Duration.ZERO, Duration.ZERO);
            child.send("throughput " + jobs);
            JsonNode throughput = child.await("done", roundTimeout);

            sim.reset();
            JsonNode done;
            VaryingQueueTime varying = new VaryingQueueTime();
            try {
                child.send("latency " + jobs);
                done = child.await("done", roundTimeout);
            } finally {
                varying.stop();
            }
            double[] afterCompletion = afterCompletion(Path.of(done.get("results").asText()));
            int status = sim.journal().count(FalOperation.STATUS);
            int streams = sim.journal().count(FalOperation.STATUS_STREAM);
            int requests = 0;
            for (FalOperation op : FalOperation.values()) {
                requests += sim.journal().count(op);
            }

            sim.reset();
            sim.setTimings(HOLD, Duration.ofMillis(settings.runTimeMs()));
            boolean component = ClientKind.of(client) == ClientKind.COMPONENT;
            boolean inspect = settings.inspect() && component;
            if (component) {
                child.send("baseline " + jobs); // heap and open files before, with no connection pooled
                child.await("baseline", roundTimeout);
            }
            if (inspect) {
                jcmd(child.pid(), "GC.class_histogram", settings.outputDir().resolve(prefix + "-histogram-before.txt"));
            }
            child.send("hold " + jobs);
            child.await("submitted", roundTimeout);
            awaitFirstStatusOfEach(jobs);
            Thread.sleep(settings.settleMs()); // into the steady state of waiting: polls at longer intervals, streams quiet
            child.send("measure");
            JsonNode measured = child.await("measured", Duration.ofMinutes(5));
            int openStreams = sim.openStreams();
            double rssMb = child.peakRssKb() / 1024.0; // before jcmd, which adds memory of its own
            if (inspect) {
                Path before = settings.outputDir().resolve(prefix + "-histogram-before.txt");
                Path waiting = settings.outputDir().resolve(prefix + "-histogram-waiting.txt");
                jcmd(child.pid(), "GC.class_histogram", waiting);
                jcmd(child.pid(), "Thread.print", settings.outputDir().resolve(prefix + "-threads-waiting.txt"));
                Files.writeString(settings.outputDir().resolve(prefix + "-histogram-per-job.txt"),
                        ClassHistogram.perJob(before, waiting, measured.get("waiting").asInt()));
            }

            double[] sorted = Figures.sorted(afterCompletion);
            int held = measured.get("waiting").asInt();
            int baseline = measured.get("threadsBaseline").asInt();
            int peak = Math.max(done.get("threadsPeak").asInt(), measured.get("threadsPeak").asInt());
            Map<String, Integer> names = counts(measured.get("threadsAddedWaiting"));
            Map<String, Integer> peakNames = counts(measured.get("threadsAddedAtPeak"));
            double heapPerJob = held == 0 ? Double.NaN
                    : (measured.get("heapWaiting").asDouble() - measured.get("heapBefore").asDouble()) / held;
            String note = note(client, throughput, done, streams, held, jobs);
            return new Figures(client, jobs, throughput.get("wallMs").asDouble(), done.get("wallMs").asDouble(),
                    done.get("failed").asInt() + throughput.get("failed").asInt(), Figures.percentile(sorted, 50),
                    Figures.percentile(sorted, 95), Figures.percentile(sorted, 100), (status + streams) / (double) jobs,
                    streams / (double) jobs, requests / (double) jobs, peak - baseline, measured.get("threadsWaiting").asInt() - baseline,
                    names, peakNames, held, heapPerJob, openStreams, measured.path("openStreams").asInt(-1),
                    measured.path("openFilesBefore").asLong(-1), measured.path("openFilesWaiting").asLong(-1), rssMb,
                    measured.path("openFilesPeak").asLong(-1), note);
        } catch (Exception e) {
            System.err.printf("[benchmark] %s, %d jobs failed: %s%n", client, jobs, e);
            return Figures.failed(client, jobs, "did not finish: " + e.getMessage());
        } finally {
            sim.reset(); // ends the held jobs, and the streams of a client that went away
        }
    }

    /** {@code {"name": 2, ...}} as a map. */
    private static Map<String, Integer> counts(JsonNode object) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        object.properties().forEach(e -> counts.put(e.getKey(), e.getValue().asInt()));
        return counts;
    }

    /**
     * Real jobs do not all take the same time. With one fixed length, a client whose poll times happen to line
     * up with it (fal's client polls every 500 ms: a 2,500 ms job is seen at once) would measure luck, not
     * its waiting. The simulator reads its timings at each submit, so while the latency round runs this
     * draws a new queue time every millisecond, uniformly within queueTime +-50%; the run time stays fixed.
     */
    private final class VaryingQueueTime {

        private final AtomicBoolean on = new AtomicBoolean(true);
        private final Thread thread;

        VaryingQueueTime() {
            Random random = new Random(42);
            long low = settings.queueTimeMs() / 2;
            Duration run = Duration.ofMillis(settings.runTimeMs());
            sim.setTimings(Duration.ofMillis(low + random.nextInt((int) settings.queueTimeMs() + 1)), run);
            thread = new Thread(() -> {
                while (on.get()) {
                    sim.setTimings(Duration.ofMillis(low + random.nextInt((int) settings.queueTimeMs() + 1)), run);
                    LockSupport.parkNanos(1_000_000);
                }
            }, "benchmark-queue-time");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            on.set(false);
            thread.join();
        }
    }

    private static String note(String client, JsonNode throughput, JsonNode done, int streams, int held, int jobs) {
        List<String> notes = new ArrayList<>();
        for (JsonNode round : List.of(throughput, done)) {
            if (round.get("failed").asInt() > 0) {
                notes.add(round.get("phase").asText() + " round: " + round.get("failed").asInt() + " failed: " + round.get("failures"));
            }
        }
        if (client.startsWith("stream") && streams == 0) {
            notes.add("no status stream was opened: this build's stream mode polls");
        }
        if (held < jobs) {
            notes.add("only " + held + " of " + jobs + " jobs were waiting when heap and threads were measured");
        }
        return String.join("; ", notes);
    }

    private List<String> command(String client, String prefix) {
        List<String> command = new ArrayList<>();
        switch (ClientKind.of(client)) {
            case COMPONENT -> {
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                command.addAll(settings.childJvmOptions());
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), ComponentClient.class.getName(), sim.baseUrl(),
                        ClientKind.endpointOptions(client), settings.outputDir().toString(), prefix));
            }
            case FAL_JS -> {
                String[] parts = client.split("\\?", 2);
                command.addAll(List.of("node", "--expose-gc", "fal-js-client.mjs", sim.baseUrl(), parts[0].substring("fal-js-".length()),
                        settings.outputDir().toString(), prefix));
                if (parts.length > 1) {
                    command.add(parts[1].substring("connections=".length()));
                }
            }
        }
        return command;
    }

    /** Per job of a results file ({@code <request id> <continued at, epoch µs>}): continued minus completed at the simulator, ms. */
    private double[] afterCompletion(Path results) throws IOException {
        List<String> lines = Files.readAllLines(results).stream().filter(l -> !l.isBlank()).toList();
        double[] ms = new double[lines.size()];
        for (int i = 0; i < ms.length; i++) {
            String[] fields = lines.get(i).split(" ");
            JobSnapshot job = sim.job(fields[0]).orElseThrow(() -> new IllegalStateException("Unknown job " + fields[0]));
            Instant completed = job.completedAt();
            long completedMicros = completed.getEpochSecond() * 1_000_000L + completed.getNano() / 1_000;
            ms[i] = (Long.parseLong(fields[1]) - completedMicros) / 1000.0;
        }
        return ms;
    }

    /** Until each held job has had a status poll or stream (counted by the journal): they are all waiting then. */
    private void awaitFirstStatusOfEach(int jobs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        long asked;
        while ((asked = sim.journal().count(FalOperation.STATUS) + sim.journal().count(FalOperation.STATUS_STREAM)) < jobs) {
            if (System.nanoTime() > deadline) {
                // measuring now would report heap and threads for fewer waiting jobs than the row says
                throw new IllegalStateException("only " + asked + " of " + jobs + " held jobs had a status request within 5 minutes");
            }
            Thread.sleep(50); // a benchmark driver polling a counter the simulator keeps, not library code
        }
    }

    /**
     * fal's client as named, or with its connections capped where its two per job (and the simulator's as
     * many) would not fit this machine's limit of open files; the cap is part of the client's name, so it is
     * printed with its figures.
     */
    private static String withinOpenFileLimit(String client, int jobs) throws IOException {
        if (ClientKind.of(client) != ClientKind.FAL_JS || client.contains("?")) {
            return client;
        }
        Matcher limit = Pattern.compile("^Max open files\\s+(\\d+)", Pattern.MULTILINE).matcher(Files.readString(Path.of("/proc/self/limits")));
        if (!limit.find() || 2L * jobs + 1_000 <= Long.parseLong(limit.group(1))) {
            return client;
        }
        return client + "?connections=" + Long.parseLong(limit.group(1)) * 3 / 5;
    }

    /** Whether raising the open-file limit can work here; false after the first refusal, which was reported. */
    private static boolean openFilesRaisable = true;

    /** With the right (CAP_SYS_RESOURCE) {@code prlimit} raises a running process's limit; elsewhere this says once that it could not. */
    private static void raiseOpenFiles(long pid) {
        if (!openFilesRaisable) {
            return;
        }
        try {
            Process prlimit = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--nofile=" + OPEN_FILES + ":" + OPEN_FILES)
                    .redirectErrorStream(true).start();
            String output = new String(prlimit.getInputStream().readAllBytes()).trim();
            if (prlimit.waitFor() != 0) {
                openFilesRaisable = false;
                System.err.printf("[benchmark] could not raise the open-file limit to %d (%s): fal's client may run out of files at "
                                  + "10,000 jobs; fal-js-polling?connections=12000 caps its connections%n", OPEN_FILES, output);
            }
        } catch (IOException e) {
            openFilesRaisable = false;
            System.err.printf("[benchmark] prlimit not found (%s): the open-file limits stay as they are%n", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void jcmd(long pid, String command, Path file) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid),
                command).redirectErrorStream(true).redirectOutput(file.toFile()).start();
        if (!jcmd.waitFor(2, TimeUnit.MINUTES)) {
            jcmd.destroyForcibly();
        }
    }

    private static String nodeVersion() {
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String version = new String(node.getInputStream().readAllBytes()).trim();
            node.waitFor(10, TimeUnit.SECONDS);
            return version;
        } catch (IOException e) {
            return "not found (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** Which process a client name runs in. */
    enum ClientKind {
        COMPONENT, FAL_JS;

        static ClientKind of(String client) {
            String[] parts = client.split("\\?", 2);
            String mode = parts[0];
            if (mode.equals("fal-js-polling") || mode.equals("fal-js-streaming")) {
                if (parts.length > 1 && !parts[1].matches("connections=[1-9]\\d*")) {
                    throw new IllegalArgumentException("benchmark.clients: " + client + ": fal's client takes one option, connections=<the most "
                                                       + "connections to the simulator>, e.g. " + mode + "?connections=12000");
                }
                return FAL_JS;
            }
            if (mode.equals("poll") || mode.equals("stream")) {
                return COMPONENT;
            }
            if (mode.equals("webhook")) {
                throw new IllegalArgumentException("benchmark.clients: webhook is not measured yet: it needs the flux-kontext:webhook "
                                                   + "consumer and a platform-http server in the component's JVM (see the README)");
            }
            throw new IllegalArgumentException("benchmark.clients: unknown client '" + client + "'; allowed: poll, stream (each "
                                               + "optionally with endpoint options, e.g. poll?maxPollInterval=1000), fal-js-polling, fal-js-streaming "
                                               + "(each optionally with ?connections=N)");
        }

        /** {@code poll?maxPollInterval=1000} → {@code waitMode=poll&maxPollInterval=1000}. */
        static String endpointOptions(String client) {
            String[] parts = client.split("\\?", 2);
            return "waitMode=" + parts[0] + (parts.length > 1 ? "&" + parts[1] : "");
        }
    }
}
