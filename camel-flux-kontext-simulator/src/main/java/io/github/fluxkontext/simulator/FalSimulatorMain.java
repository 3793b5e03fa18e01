package io.github.fluxkontext.simulator;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator from the command line until it is killed.
 *
 * <pre>
 * java -jar camel-flux-kontext-simulator-standalone.jar --port 8765 --key my-key --run-time 2s
 * </pre>
 */
public final class FalSimulatorMain {

    static final String USAGE = String.join(System.lineSeparator(),
            "Usage: java -jar camel-flux-kontext-simulator-<version>-standalone.jar [options]",
            "  --port N              port to listen on (default 0 = random)",
            "  --host H              interface to listen on (default 127.0.0.1; 0.0.0.0 = all)",
            "  --key K               accept only this key (Authorization: Key K or Bearer K)",
            "  --any-key             accept any non-blank key (default)",
            "  --queue-time D        minimum time a job stays IN_QUEUE (default 100ms)",
            "  --run-time D          time a job stays IN_PROGRESS (default 300ms)",
            "  --runners N           jobs running at once (default 4)",
            "  --image-scale X       output pixel size factor (default 1.0)",
            "  --result-ttl D        how long results are kept (default 1h)",
            "  --sse-keep-alive D    ping interval on status streams (default 15s)",
            "  --validate-at-submit  answer invalid Kontext input with 422 at submit",
            "  --webhook-user-id ID  X-Fal-Webhook-User-Id of webhook deliveries (default sim-user)",
            "  --webhook-retry-delays D,D,...",
            "                        waits before each retry of a failed webhook delivery, or 'none'",
            "                        (default 15s,30s,1m,2m,5m,10m,20m,30m,50m: 10 attempts in ~2h)",
            "  --webhook-timeout D   time a webhook delivery may take (default 15s)",
            "  --help                this text",
            "Durations: 500ms, 2s, 1m, 1h or plain milliseconds.",
            "Webhooks are signed with Ed25519; the key is at <base URL>/.well-known/jwks.json.");

    private FalSimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        PrintStream out = System.out;
        FalSimulatorBuilder builder;
        try {
            builder = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (builder == null) {
            out.println(USAGE);
            return;
        }
        FalSimulator sim = builder.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stopped.countDown();
        }, "fal-sim-shutdown"));
        out.print(banner(sim.baseUrl(), sim.jwksUrl(), sim.apiKey() != null));
        out.flush();
        stopped.await();
    }

    /**
     * What the simulator prints once it listens: where, and the lines of a Camel application's
     * {@code application.properties} that point the flux-kontext component at it (the webhook consumer needs the
     * JWKS URL too, or it asks fal's for keys that never signed the simulator's callbacks). The key itself is not
     * printed back.
     */
    static String banner(String baseUrl, String jwksUrl, boolean keyRequired) {
        String n = System.lineSeparator();
        return "fal simulator listening on " + baseUrl + (keyRequired ? " (key required)" : " (any key accepted)") + n
               + "Point the flux-kontext component at it (application.properties):" + n
               + "  camel.component.flux-kontext.base-url = " + baseUrl + n
               + "  camel.component.flux-kontext.api-key = " + (keyRequired ? "<the key given with --key>" : "any-key") + n
               + "  camel.component.flux-kontext.jwks-url = " + jwksUrl + n
               + "Other fal clients: use " + baseUrl + " instead of https://queue.fal.run; callbacks are signed with the key at "
               + jwksUrl + n;
    }

    /** The builder for these arguments, or null if help was asked for. */
    static FalSimulatorBuilder parse(String[] args) {
        FalSimulatorBuilder b = FalSimulator.builder();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--any-key" -> b.acceptAnyKey();
                case "--validate-at-submit" -> b.validateAtSubmit(true);
                case "--port" -> b.port(parseInt(a, value(args, ++i, a)));
                case "--host" -> b.host(value(args, ++i, a));
                case "--key" -> b.apiKey(value(args, ++i, a));
                case "--queue-time" -> b.queueTime(Durations.parse(value(args, ++i, a)));
                case "--run-time" -> b.runTime(Durations.parse(value(args, ++i, a)));
                case "--runners" -> b.runners(parseInt(a, value(args, ++i, a)));
                case "--image-scale" -> b.imageScale(parseDouble(a, value(args, ++i, a)));
                case "--result-ttl" -> b.resultTtl(Durations.parse(value(args, ++i, a)));
                case "--sse-keep-alive" -> b.sseKeepAlive(Durations.parse(value(args, ++i, a)));
                case "--webhook-user-id" -> b.webhookUserId(value(args, ++i, a));
                case "--webhook-retry-delays" -> b.webhookRetryDelays(durations(value(args, ++i, a)));
                case "--webhook-timeout" -> b.webhookTimeout(Durations.parse(value(args, ++i, a)));
                default -> throw new IllegalArgumentException("Unknown option: " + a);
            }
        }
        return b;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** {@code 50ms,1s,2m}, or {@code none} for an empty list. */
    private static List<Duration> durations(String v) {
        if (v.isBlank() || v.trim().equalsIgnoreCase("none")) {
            return List.of();
        }
        return Arrays.stream(v.split(",")).map(Durations::parse).toList();
    }

    private static int parseInt(String option, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, not '" + v + "'", e);
        }
    }

    private static double parseDouble(String option, String v) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, not '" + v + "'", e);
        }
    }
}
