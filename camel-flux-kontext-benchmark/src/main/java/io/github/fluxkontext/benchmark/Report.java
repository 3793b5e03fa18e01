package io.github.fluxkontext.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The benchmark's printout: a table per number of jobs, then the targets of PRODUCT.md ("Waiting, part 2")
 * next to what was measured. Printing "NOT MET" is information, not a failure: nothing here asserts.
 */
final class Report {

    private static final double STREAM_MEDIAN_TARGET_MS = 20;
    private static final int THREADS_TARGET = 16;
    private static final double HEAP_TARGET_BYTES = 8 * 1024;
    private static final double THROUGHPUT_TARGET = 1.5;
    private static final int TARGET_JOBS = 10_000;
    /** Issue 24: the component's default stream mode against fal's client at this many jobs. */
    private static final int DEFAULTS_JOBS = 1_000;
    /** The threads the component added before issue 24 (2 own, 3 HTTP, 2 route, 1 scheduler): no more since. */
    private static final int THREADS_BEFORE_ISSUE_24 = 8;
    private static final List<Integer> THROUGHPUT_JOBS = List.of(1_000, 5_000);

    private final WaitBenchmark.Settings settings;
    private final StringBuilder out = new StringBuilder();

    Report(WaitBenchmark.Settings settings) {
        this.settings = settings;
    }

    String text() {
        return out.toString();
    }

    void header(Instant at, int cores, String java, String node) {
        line("flux-kontext waiting benchmark, %s: %d cores, Java %s, node %s, @fal-ai/client %s", at.truncatedTo(ChronoUnit.SECONDS), cores,
                java, node, falClientVersion());
        line("simulator (harness JVM): jobs %d to %d ms in queue (uniform) + %d ms running, %d runners; each client in a process of its own",
                settings.queueTimeMs() / 2, settings.queueTimeMs() / 2 + settings.queueTimeMs(), settings.runTimeMs(), settings.runners());
        line("instant jobs/s: jobs that take no time at the simulator, so the client's own work sets the pace; real wall s: the");
        line("jobs above, first submit to last continuation; after completion: job COMPLETED at the simulator -> exchange continues /");
        line("promise resolves (same wall clock)");
        line("status req = status polls + status streams opened, per job; threads: Java threads (component), OS threads (node);");
        line("heap: Java heap after full GC (component), V8 heapUsed after gc() (node), per job while all jobs wait, against a");
        line("baseline taken with no connection pooled (the component's endpoint restarted first); open files: the most the");
        line("process had open at once (sockets: connections), sampled every 500 ms");
    }

    void table(int jobs, List<Figures> rows) {
        String client = "%-" + rows.stream().mapToInt(f -> f.client().length()).max().orElse(0) + "s";
        line("");
        line("%,d jobs at once", jobs);
        line(client + " %7s | %6s | %-24s | %7s | %-13s | %9s | %6s | %6s", "", "instant", "real", " after completion, ms", "status",
                "threads added", "heap per", "peak", "open");
        line(client + " %7s | %6s | %7s %7s %8s | %7s | %5s %7s | %9s | %6s | %6s", "client", "jobs/s", "wall s", "median", "p95", "max",
                "req/job", "peak", "waiting", "wait. job", "RSS MB", "files");
        for (Figures f : rows) {
            line(client + " %7.1f | %6.2f | %7.1f %7.1f %8.1f | %7.2f | %5s %7s | %9s | %6.0f | %6s", f.client(), f.jobsPerSecond(),
                    f.wallMs() / 1000, f.medianMs(), f.p95Ms(), f.maxMs(), f.statusPerJob(), count(f.threadsAddedPeak()),
                    count(f.threadsAddedHeld()), kb(f.heapPerJob()), f.peakRssMb(), count((int) f.peakOpenFiles()));
        }
        for (Figures f : rows) {
            line("  %s: while %,d waited%s%s; threads added: %s", f.client(), f.held(), streams(f), files(f), names(f.threadNames()));
            if (!f.peakThreadNames().equals(f.threadNames())) {
                line("  %s: threads added at the peak: %s", f.client(), names(f.peakThreadNames()));
            }
            if (!f.note().isEmpty()) {
                line("  %s: %s", f.client(), f.note());
            }
        }
    }

    /** The status streams open when the heap was measured: at the simulator, and as the component counted them. */
    private static String streams(Figures f) {
        if (f.openStreamsHeld() < 0) {
            return "";
        }
        return String.format(", status streams open %,d", f.openStreamsHeld())
               + (f.clientStreamsHeld() < 0 ? "" : String.format(" (the component's count: %,d)", f.clientStreamsHeld()));
    }

    /** Open files (sockets: connections) before the held jobs and while they waited, where the client says. */
    private static String files(Figures f) {
        return f.openFilesBefore() < 0 || f.openFilesHeld() < 0 ? ""
                : String.format(", open files %,d before them, %,d while they waited", f.openFilesBefore(), f.openFilesHeld());
    }

    /** "2 FluxKontextHttp, 10 FluxKontextRoute" (Camel's "Camel (camel-#) thread ## - " prefix left out). */
    private static String names(Map<String, Integer> names) {
        return names.isEmpty() ? "none" : names.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey().replaceFirst("^Camel \\(.*?\\) thread #+ - ", ""))
                .collect(Collectors.joining(", "));
    }

    void targets(List<Figures> all) {
        line("");
        line("Targets (PRODUCT.md \"Waiting, part 2\", issues 12 and 24), next to what this run measured (\"default settings\": a client");
        line("named without options; fal's client's default is polling):");
        List<String> checks = new ArrayList<>();
        List<Figures> stream = select(all, f -> mode(f).equals("stream"));
        List<Figures> poll = select(all, f -> mode(f).equals("poll"));
        checks.add(check("stream median after completion <= 20 ms", stream, f -> f.medianMs() <= STREAM_MEDIAN_TARGET_MS,
                f -> ms(f.medianMs())));
        checks.add(check("stream median <= fal-js-streaming median", stream,
                f -> peer(all, f, "fal-js-streaming").map(p -> f.medianMs() <= p.medianMs()).orElse(null),
                f -> ms(f.medianMs()) + " vs " + peer(all, f, "fal-js-streaming").map(p -> ms(p.medianMs())).orElse("-")));
        checks.add(check("poll median <= fal-js-polling median", poll,
                f -> peer(all, f, "fal-js-polling").map(p -> f.medianMs() <= p.medianMs()).orElse(null),
                f -> ms(f.medianMs()) + " vs " + peer(all, f, "fal-js-polling").map(p -> ms(p.medianMs())).orElse("-")));
        checks.add(check("poll status requests per job <= fal-js-polling", poll,
                f -> peer(all, f, "fal-js-polling").map(p -> f.statusPerJob() <= p.statusPerJob()).orElse(null),
                f -> String.format(Locale.ROOT, "%.2f vs %s", f.statusPerJob(),
                        peer(all, f, "fal-js-polling").map(p -> String.format(Locale.ROOT, "%.2f", p.statusPerJob())).orElse("-"))));
        int largest = all.stream().mapToInt(Figures::jobs).max().orElse(0);
        String at = largest >= TARGET_JOBS ? "" : String.format(" (target at %,d jobs; largest run here %,d)", TARGET_JOBS, largest);
        List<Figures> largestComponent = select(all, f -> f.isComponent() && f.jobs() == largest);
        checks.add(check("threads added (peak of the run) <= 16" + at, largestComponent,
                f -> f.threadsAddedPeak() >= 0 ? f.threadsAddedPeak() <= THREADS_TARGET : null, f -> Integer.toString(f.threadsAddedPeak())));
        List<Figures> largestDefaults = select(largestComponent, Report::defaultSettings);
        checks.add(check("threads added (peak of the run) <= 8, as before issue 24, at default settings" + at, largestDefaults,
                f -> f.threadsAddedPeak() >= 0 ? f.threadsAddedPeak() <= THREADS_BEFORE_ISSUE_24 : null,
                f -> Integer.toString(f.threadsAddedPeak())));
        checks.add(check("heap per waiting job <= 8 KB at default settings" + at, largestDefaults,
                f -> Double.isNaN(f.heapPerJob()) ? null : f.heapPerJob() <= HEAP_TARGET_BYTES, f -> kb(f.heapPerJob()).trim()));
        List<Figures> largestWithOptions = select(largestComponent, f -> !defaultSettings(f));
        if (!largestWithOptions.isEmpty()) {
            checks.add("  (no target) heap per waiting job with options" + at + ": " + largestWithOptions.stream()
                    .map(f -> String.format(Locale.ROOT, "%s %,d: %s", f.client(), f.jobs(), kb(f.heapPerJob()).trim()))
                    .collect(Collectors.joining("; ")));
        }
        List<Figures> thousand = select(stream, f -> defaultSettings(f) && f.jobs() == DEFAULTS_JOBS);
        String at1000 = String.format(Locale.ROOT, " at %,d jobs, default settings", DEFAULTS_JOBS);
        checks.add(check("stream median after completion <= 20 ms" + at1000, thousand, f -> f.medianMs() <= STREAM_MEDIAN_TARGET_MS,
                f -> ms(f.medianMs())));
        checks.add(check("stream status requests per job <= fal-js-polling" + at1000, thousand,
                f -> peer(all, f, "fal-js-polling").map(p -> f.statusPerJob() <= p.statusPerJob()).orElse(null),
                f -> String.format(Locale.ROOT, "%.2f vs %s", f.statusPerJob(),
                        peer(all, f, "fal-js-polling").map(p -> String.format(Locale.ROOT, "%.2f", p.statusPerJob())).orElse("-"))));
        checks.add(check("stream real wall s <= fal-js-polling" + at1000 + " (fal-js-streaming shown too)", thousand,
                f -> peer(all, f, "fal-js-polling").map(p -> f.wallMs() <= p.wallMs()).orElse(null),
                f -> String.format(Locale.ROOT, "%.2f s vs %s (fal-js-streaming %s)", f.wallMs() / 1000,
                        peer(all, f, "fal-js-polling").map(p -> String.format(Locale.ROOT, "%.2f s", p.wallMs() / 1000)).orElse("-"),
                        peer(all, f, "fal-js-streaming").map(p -> String.format(Locale.ROOT, "%.2f s", p.wallMs() / 1000)).orElse("-"))));
        List<Figures> throughput = select(all, f -> f.isComponent() && THROUGHPUT_JOBS.contains(f.jobs()));
        checks.add(check("throughput (instant jobs/s) >= 1.5x fal's client (same style) at 1,000 and 5,000 jobs", throughput,
                f -> peerOfStyle(all, f).map(p -> f.jobsPerSecond() >= THROUGHPUT_TARGET * p.jobsPerSecond()).orElse(null),
                f -> peerOfStyle(all, f).map(p -> String.format(Locale.ROOT, "%.2fx", f.jobsPerSecond() / p.jobsPerSecond())).orElse("-")));
        checks.forEach(this::line);
    }

    /** "[met]", "[NOT MET]" or "[n/a]", the target, and each case measured. */
    private static String check(String target, List<Figures> cases, java.util.function.Function<Figures, Boolean> met,
                                java.util.function.Function<Figures, String> shown) {
        List<String> parts = new ArrayList<>();
        boolean any = false;
        boolean all = true;
        for (Figures f : cases) {
            Boolean ok = Double.isNaN(f.wallMs()) ? null : met.apply(f);
            if (ok != null) {
                any = true;
                all &= ok;
            }
            parts.add(String.format(Locale.ROOT, "%s %,d: %s%s", f.client(), f.jobs(), Double.isNaN(f.wallMs()) ? "did not finish" : shown.apply(f),
                    ok == null || ok ? "" : " (no)"));
        }
        String verdict = !any ? "[n/a]    " : all ? "[met]    " : "[NOT MET]";
        return "  " + verdict + " " + target + (parts.isEmpty() ? ": not measured in this run" : ": " + String.join("; ", parts));
    }

    /** A client named without options: the component's wait mode, or fal's client, as they come. */
    private static boolean defaultSettings(Figures f) {
        return !f.client().contains("?");
    }

    private static List<Figures> select(List<Figures> all, Predicate<Figures> which) {
        return all.stream().filter(which).toList();
    }

    /** {@code poll?maxPollInterval=1000} → {@code poll}, {@code fal-js-polling?connections=12000} → {@code fal-js-polling}. */
    private static String mode(Figures f) {
        return f.client().split("\\?", 2)[0];
    }

    /** The first run of that client (with or without options) on the same number of jobs that finished. */
    private static Optional<Figures> peer(List<Figures> all, Figures f, String client) {
        return all.stream().filter(p -> mode(p).equals(client) && p.jobs() == f.jobs() && !Double.isNaN(p.wallMs())).findFirst();
    }

    /** fal's client in the style of this component mode: polling for poll, streaming for stream. */
    private static Optional<Figures> peerOfStyle(List<Figures> all, Figures f) {
        return peer(all, f, mode(f).equals("stream") ? "fal-js-streaming" : "fal-js-polling");
    }

    private String falClientVersion() {
        Path packageJson = settings.falJsDir().resolve("node_modules/@fal-ai/client/package.json");
        try {
            return Protocol.JSON.readTree(Files.readString(packageJson)).path("version").asText("?");
        } catch (IOException e) {
            return "not installed (" + packageJson + ")";
        }
    }

    private static String ms(double ms) {
        return String.format(Locale.ROOT, "%.1f ms", ms);
    }

    private static String kb(double bytes) {
        return Double.isNaN(bytes) ? "-" : String.format(Locale.ROOT, "%.1f KB", bytes / 1024);
    }

    private static String count(int n) {
        return n < 0 ? "-" : Integer.toString(n);
    }

    private void line(String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
    }
}
