package io.github.fluxkontext.camel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.fluxkontext.camel.ledger.LedgerEntry;
import io.github.fluxkontext.camel.ledger.LedgerState;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.FalSimulator;
import io.github.fluxkontext.simulator.Fault;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The crash test: {@link RedeliveryApplication} in a process of its own reads {@value #KEYS} job files, is
 * killed ({@code kill -9}) while its jobs wait at the simulator (which runs in the test JVM and so survives), and
 * is started again on the same folder and ledger; the file source delivers every unfinished file again.
 * <p>
 * One submit is answered late on purpose: the kill comes while it is sent and not answered, the case that
 * must fail as outcome unknown after the restart rather than submit again. The others were answered: after the
 * restart they wait for their jobs and deliver their images.
 */
final class CrashRedelivery {

    static final int KEYS = 8;
    /** Long enough for the kill to come while every job waits. */
    static final Duration RUN_TIME = Duration.ofSeconds(4);
    /** How late the one submit is answered: it must still be unanswered at the kill. */
    static final Duration LATE_ANSWER = Duration.ofSeconds(6);
    static final Duration PATIENCE = Duration.ofSeconds(60);

    /** What the run counted; printed, then asserted by {@link #assertExactlyOnce()}. */
    record Figures(String ledger, int messages, int keys, int submits, int keysWithImages, int imageFiles, int foreignImages,
                   int jobsCreated,
                   int runningAtKill, int unansweredAtKill, int failedOutcomeUnknown, int deliveredAgain, int doneBeforeKill,
                   Duration took) {

        void print() {
            System.out.printf("crash test, %s ledger: messages %d, distinct keys %d, submits %d, images delivered %d"
                              + " (for %d keys), jobs the simulator created %d; at the kill %d jobs waiting and %d submit(s)"
                              + " sent but unanswered, failed as outcome unknown after the restart %d; %.1f s%n",
                    ledger, messages, keys, submits, imageFiles, keysWithImages, jobsCreated, runningAtKill, unansweredAtKill,
                    failedOutcomeUnknown, took.toMillis() / 1000.0);
        }

        void assertExactlyOnce() {
            assertEquals(KEYS, keys, "distinct keys");
            assertEquals(keys, submits, "submits = distinct keys");
            assertEquals(keys, jobsCreated, "jobs the simulator created = distinct keys");
            assertTrue(runningAtKill > 0, "the kill came while jobs waited");
            assertEquals(1, unansweredAtKill, "the late submit was unanswered at the kill");
            assertEquals(KEYS - doneBeforeKill, deliveredAgain, "the source delivered every unfinished file again");
            assertEquals(keys + deliveredAgain, messages, "messages: every file once, the unfinished ones twice");
            assertEquals(unansweredAtKill, failedOutcomeUnknown, "the unanswered submit failed as outcome unknown, not submitted again");
            assertEquals(keys - unansweredAtKill, keysWithImages, "images for every answered key");
            assertEquals(keysWithImages, imageFiles, "one set of images per key");
            assertEquals(0, foreignImages, "each key's images are those of the job its ledger entry names");
        }
    }

    private CrashRedelivery() {
    }

    /**
     * Runs the crash test.
     *
     * @param ledger       the ledger's name, for the figures
     * @param ledgerConfig the application's properties that make the bean {@code ledger}
     * @param ledgerReader reads a key's entry of the same ledger, from this JVM
     */
    static Figures run(String ledger, Path work, Map<String, String> ledgerConfig, Function<String, Optional<LedgerEntry>> ledgerReader)
            throws Exception {
        long started = System.nanoTime();
        Path in = Files.createDirectories(work.resolve("in"));
        Path out = Files.createDirectories(work.resolve("out"));
        List<String> keys = new ArrayList<>();
        for (int i = 1; i <= KEYS; i++) {
            String key = String.format("job-%02d.txt", i);
            Files.writeString(in.resolve(key), "A lighthouse, picture " + i, StandardCharsets.UTF_8);
            keys.add(key);
        }
        try (FalSimulator sim = FalSimulator.builder().apiKey(FluxKontextTestSupport.KEY).queueTime(Duration.ofMillis(20))
                .runTime(RUN_TIME).runners(64).imageScale(0.125).start()) {
            sim.faults().add(Fault.on(FalOperation.SUBMIT).delay(LATE_ANSWER));
            List<String> arguments = arguments(sim, in, out, ledgerConfig);

            // first life: every file claimed, all answered but the late one; then kill -9
            Application first = Application.start(work, "first", arguments);
            int runningAtKill;
            int unansweredAtKill;
            try {
                await().atMost(PATIENCE).until(() -> keys.stream().allMatch(key -> ledgerReader.apply(key).isPresent())
                        && count(keys, ledgerReader, LedgerState.SUBMITTED) >= KEYS - 1);
                unansweredAtKill = count(keys, ledgerReader, LedgerState.SUBMITTING);
                first.kill();
                runningAtKill = (int) sim.jobs().stream().filter(job -> !"COMPLETED".equals(job.status())).count();
            } finally {
                first.kill();
            }

            // second life: the folder delivers the unfinished files again
            Application second = Application.start(work, "second", arguments);
            try {
                await().atMost(PATIENCE).until(() -> second.finishedKeys().size() == KEYS - first.events("done").size()
                                                      && remainingFiles(in).isEmpty());
            } finally {
                second.stop();
            }
            await().atMost(PATIENCE).until(() -> sim.jobs().size() >= KEYS); // the late submit's job, made after its delay

            Map<String, List<Path>> images = images(out);
            int foreignImages = (int) images.entrySet().stream().flatMap(key -> key.getValue().stream().filter(file -> !file.getFileName()
                    .toString().equals(ledgerReader.apply(key.getKey()).map(LedgerEntry::requestId).orElse(null) + ".jpg"))).count();
            List<String> delivered = new ArrayList<>(first.events("delivered"));
            delivered.addAll(second.events("delivered"));
            return new Figures(ledger, delivered.size(), new TreeSet<>(delivered).size(),
                    sim.journal().count(FalOperation.SUBMIT), images.size(),
                    images.values().stream().mapToInt(List::size).sum(), foreignImages, sim.jobs().size(), runningAtKill,
                    unansweredAtKill,
                    (int) second.events("failed").stream().filter(e -> e.endsWith("outcomeUnknown=true")).count(),
                    second.events("delivered").size(), first.events("done").size(), Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private static List<String> arguments(FalSimulator sim, Path in, Path out, Map<String, String> ledgerConfig) {
        Map<String, String> settings = new TreeMap<>(ledgerConfig);
        settings.put("in", in.toString());
        settings.put("out", out.toString());
        settings.put("camel.main.name", "redelivery");
        settings.put("camel.component.flux-kontext.ledger", "#ledger");
        settings.put("camel.component.flux-kontext.base-url", sim.baseUrl());
        settings.put("camel.component.flux-kontext.api-key", FluxKontextTestSupport.KEY);
        settings.put("camel.component.flux-kontext.poll-interval", "100ms");
        settings.put("camel.component.flux-kontext.max-poll-interval", "300ms");
        // the late answer comes within the request timeout: the kill, not a timeout, leaves its submit unanswered
        settings.put("camel.component.flux-kontext.request-timeout", "15s");
        settings.put("camel.component.flux-kontext.retry-delay", "100ms");
        return settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    private static int count(List<String> keys, Function<String, Optional<LedgerEntry>> ledger, LedgerState state) {
        return (int) keys.stream().filter(key -> ledger.apply(key).map(LedgerEntry::state).orElse(null) == state).count();
    }

    /** The job files not yet moved to .done or .failed. */
    private static List<Path> remainingFiles(Path in) throws IOException {
        try (Stream<Path> files = Files.list(in)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    /** The image files, by key (folder). */
    private static Map<String, List<Path>> images(Path out) throws IOException {
        try (Stream<Path> files = Files.walk(out)) {
            return files.filter(Files::isRegularFile).filter(f -> !f.toString().contains("/.camel"))
                    .collect(Collectors.groupingBy(f -> f.getParent().getFileName().toString(), TreeMap::new, Collectors.toList()));
        }
    }

    /** One life of the application: its process and the events it printed (its whole output also goes to a file). */
    private static final class Application {

        private final String name;
        private final Process process;
        private final List<String> events = new CopyOnWriteArrayList<>();

        private Application(String name, Process process) {
            this.name = name;
            this.process = process;
        }

        static Application start(Path work, String name, List<String> arguments) throws IOException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-Xmx256m", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                    RedeliveryApplication.class.getName()));
            command.addAll(arguments);
            Path directory = Files.createDirectories(work.resolve(name)); // its log (target/test.log) goes here
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
            Application application = new Application(name, process);
            Thread reader = new Thread(() -> application.read(directory.resolve("output.txt")), "redelivery-" + name);
            reader.setDaemon(true);
            reader.start();
            await().atMost(PATIENCE).until(() -> !application.events("started").isEmpty() || !process.isAlive());
            assertTrue(process.isAlive(), name + " life of the application ended at start; see " + directory.resolve("output.txt"));
            return application;
        }

        private void read(Path output) {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter copy = new PrintWriter(Files.newBufferedWriter(output, StandardCharsets.UTF_8), true)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    copy.println(line);
                    if (line.startsWith("EVENT ")) {
                        events.add(line.substring("EVENT ".length()));
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("Cannot read the output of the " + name + " life", e);
            }
        }

        /** The events of this kind, without the kind: {@code KEY ...}. */
        List<String> events(String kind) {
            return events.stream().filter(e -> e.equals(kind) || e.startsWith(kind + " ")).map(e -> e.substring(kind.length()).trim()).toList();
        }

        /** The keys that were done or failed. */
        Set<String> finishedKeys() {
            Set<String> keys = new TreeSet<>();
            Stream.concat(events("done").stream(), events("failed").stream()).forEach(e -> keys.add(e.split(" ")[0]));
            return keys;
        }

        /** {@code kill -9}: no shutdown hook, nothing flushed. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), name + " life did not end after kill -9");
        }

        /** A graceful stop (SIGTERM: Camel Main shuts down). */
        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
