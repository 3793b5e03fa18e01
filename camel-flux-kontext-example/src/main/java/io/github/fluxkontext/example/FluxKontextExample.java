package io.github.fluxkontext.example;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.slf4j.LoggerFactory;

/**
 * Runs the example.
 *
 * <pre>
 * FluxKontextExample                 the shipped samples: text-to-image, edit, multi; then exits
 * FluxKontextExample --watch         watches the input folder until stopped (Ctrl+C)
 * FluxKontextExample --webhook       the samples, waiting for fal's callbacks on Camel Main's HTTP server
 * FluxKontextExample --routes=yaml   the same with the YAML routes instead of the Java DSL ones
 * FluxKontextExample --help
 * </pre>
 *
 * Every {@code example.*} and {@code camel.*} setting can also be given as {@code --key=value}, as a JVM
 * system property or as an environment variable (see {@code application.properties}).
 */
public final class FluxKontextExample {

    static final String USAGE = """
            Usage: FluxKontextExample [--watch] [--webhook] [--routes=java|yaml] [--<setting>=<value>]...
              (no option)        turn the shipped samples into images (text-to-image, edit, multi), then exit
              --watch            watch the input folder until stopped (Ctrl+C):
                                   <input>/text-to-image/<name>.txt              -> text-to-image
                                   <input>/edit/<name>.png|jpg|jpeg|webp + <name>.txt -> edit
                                 each input is paid for once: a watch restarted after a crash, or an input
                                 dropped again unchanged, gets the job that exists (ledger in <input>/.ledger)
              --webhook          jobs wait for fal's callback (waitMode=webhook), received by a flux-kontext:webhook
                                 consumer on Camel Main's HTTP server (camel.server.port, default 8080); with fal,
                                 set --example.webhook.url to a public https URL that reaches it
              --routes=yaml      run the YAML routes instead of the Java DSL ones
              --<setting>=<v>    any setting of application.properties, e.g. --example.output-dir=/tmp/out
            With no FAL_KEY the jobs go to a fal simulator started in this JVM; with FAL_KEY to fal; with
            FAL_KEY and FLUX_KONTEXT_BASE_URL to that aggregator (Bearer token).""";

    private FluxKontextExample() {
    }

    /**
     * Set by {@code -Prun}: this JVM ends when the process that started it (Maven) ends. Killing Maven does not end
     * the JVMs it started, and a watch left behind would go on reading input/ and submitting (billed) jobs.
     */
    static final String EXIT_WITH_PARENT = "example.exit-with-parent";

    public static void main(String[] args) throws Exception {
        if (Boolean.getBoolean(EXIT_WITH_PARENT)) {
            exitWithParent();
        }
        System.exit(run(args, System.getenv(), System.out));
    }

    /** Ends this JVM (shutdown hooks included: watch mode stops Camel and the simulator) once its parent process is gone. */
    private static void exitWithParent() {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
            LoggerFactory.getLogger("io.github.fluxkontext.example").warn("The process that started the example (pid {}) has ended:"
                                                                          + " stopping the example too", parent.pid());
            System.exit(143);
        }));
    }

    /** Runs the example; the exit code is 0 when every job succeeded (or watch mode ended normally). */
    static int run(String[] args, Map<String, String> environment, PrintStream out) throws Exception {
        Properties overrides;
        try {
            overrides = parse(args);
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            out.println(USAGE);
            return 2;
        }
        if (overrides == null) {
            out.println(USAGE);
            return 0;
        }
        long started = System.nanoTime();
        ExampleApplication app = new ExampleApplication(overrides, environment);
        try {
            app.start();
        } catch (Exception e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            app.close();
            out.println("Cannot start the example: " + cause.getMessage());
            return 1;
        }
        if (app.settings().watch()) {
            out.println("Watching " + ExampleSettings.shown(app.settings().inputDir()) + " (text-to-image/*.txt, edit/<image> + <name>.txt);"
                        + " images go to " + ExampleSettings.shown(app.settings().outputDir()) + ". Ctrl+C stops.");
            app.awaitShutdown();
            return 0;
        }
        try (app) {
            List<SampleJobs.Outcome> outcomes = app.runSamples(Duration.ofMinutes(15));
            return summary(outcomes, app.settings().outputDir(), Duration.ofNanos(System.nanoTime() - started), out);
        }
    }

    /** The program arguments as override properties; null for --help. */
    static Properties parse(String[] args) {
        Properties overrides = new Properties();
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                return null;
            } else if (arg.equals("--watch")) {
                overrides.setProperty("example.watch", "true");
            } else if (arg.equals("--webhook")) {
                overrides.setProperty("example.webhook", "true");
            } else if (arg.startsWith("--routes=")) {
                overrides.setProperty("example.routes", arg.substring("--routes=".length()));
            } else if (arg.startsWith("--") && arg.indexOf('=') > 2) {
                overrides.setProperty(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else if (!arg.isBlank()) {
                throw new IllegalArgumentException("Unknown argument: " + arg);
            }
        }
        return overrides;
    }

    private static int summary(List<SampleJobs.Outcome> outcomes, Path outputDir, Duration took, PrintStream out) {
        long ok = outcomes.stream().filter(SampleJobs.Outcome::succeeded).count();
        List<Path> files = outcomes.stream().flatMap(o -> o.files().stream()).toList();
        out.println();
        out.printf("Done in %.1f s: %d of %d jobs succeeded, %d image file(s) in %s%n", took.toMillis() / 1000.0, ok,
                outcomes.size(), files.size(), ExampleSettings.shown(outputDir));
        for (SampleJobs.Outcome outcome : outcomes) {
            String label = String.format("  %-14s %-16s", outcome.job().operation(), outcome.job().name());
            if (outcome.succeeded()) {
                outcome.files().forEach(file -> out.println(label + " " + ExampleSettings.shown(file)));
            } else {
                out.println(label + " FAILED: " + outcome.failure());
            }
        }
        return ok == outcomes.size() ? 0 : 1;
    }
}
