package io.github.fluxkontext.example;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.TimeUtils;

/**
 * The example's own settings ({@code example.*} in {@code application.properties}). They are read through
 * Camel's properties component, so an environment variable overrides each one: {@code example.output-dir}
 * is {@code EXAMPLE_OUTPUT_DIR}, {@code example.simulator.run-time} is {@code EXAMPLE_SIMULATOR_RUN_TIME}.
 *
 * @param routes             which route set runs: {@code java} (Java DSL) or {@code yaml}
 * @param watch              whether the folder-watching routes start (set by {@code --watch})
 * @param outputDir          where the images are written
 * @param inputDir           the folder watched in watch mode
 * @param ledger             in watch mode, where the component remembers each input's job: {@code file} (default: a
 *                           restarted watch, or an input dropped again unchanged, does not pay for a second job) or
 *                           {@code memory} (forgotten when the example stops)
 * @param ledgerDir          the file ledger's folder ({@code example.ledger-dir}; default {@code <input-dir>/.ledger})
 * @param simulator          {@code auto} (the simulator when no key is set), {@code always} or {@code never}
 * @param simulatorQueueTime how long a simulated job waits in the queue at least
 * @param simulatorRunTime   how long a simulated job runs
 * @param simulatorRunners   how many simulated jobs run at once (the others wait in the queue)
 * @param simulatorScale     the size of simulated images relative to fal's (about one megapixel)
 * @param webhook            whether jobs wait for fal's callbacks (set by {@code --webhook})
 * @param webhookUrl         the URL fal calls back: the webhook consumer's, as fal reaches it
 */
record ExampleSettings(String routes, boolean watch, Path outputDir, Path inputDir, String ledger, Path ledgerDir, String simulator,
                       Duration simulatorQueueTime, Duration simulatorRunTime, int simulatorRunners,
                       double simulatorScale, boolean webhook, String webhookUrl) {

    static ExampleSettings read(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        Path inputDir = Path.of(get(properties, "example.input-dir", "input"));
        return new ExampleSettings(
                oneOf(properties, "example.routes", "java", Set.of("java", "yaml")),
                Boolean.parseBoolean(get(properties, "example.watch", "false")),
                Path.of(get(properties, "example.output-dir", "output")),
                inputDir,
                oneOf(properties, "example.ledger", "file", Set.of("file", "memory")),
                Path.of(get(properties, "example.ledger-dir", inputDir.resolve(".ledger").toString())),
                oneOf(properties, "example.simulator", "auto", Set.of("auto", "always", "never")),
                TimeUtils.toDuration(get(properties, "example.simulator.queue-time", "1s")),
                TimeUtils.toDuration(get(properties, "example.simulator.run-time", "1500ms")),
                Integer.parseInt(get(properties, "example.simulator.runners", "2")),
                Double.parseDouble(get(properties, "example.simulator.image-scale", "0.5")),
                Boolean.parseBoolean(get(properties, "example.webhook", "false")),
                get(properties, "example.webhook.url", "http://localhost:8080/fal/webhook"));
    }

    /**
     * A path as the example prints it: relative to the working directory when it lies under it (as the default
     * output folder does), so that what the example prints is what the README shows on any machine; else absolute.
     */
    static Path shown(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path workingDirectory = Path.of("").toAbsolutePath();
        return absolute.startsWith(workingDirectory) && !absolute.equals(workingDirectory) ? workingDirectory.relativize(absolute) : absolute;
    }

    private static String get(PropertiesComponent properties, String key, String defaultValue) {
        return properties.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty()).orElse(defaultValue);
    }

    private static String oneOf(PropertiesComponent properties, String key, String defaultValue, Set<String> allowed) {
        String value = get(properties, key, defaultValue).toLowerCase(Locale.ROOT);
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException("Setting " + key + " is '" + value + "'; allowed: " + String.join(", ", allowed.stream().sorted().toList()));
        }
        return value;
    }
}
