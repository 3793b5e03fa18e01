package io.github.fluxkontext.simulator;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings for a {@link FalSimulator}; every one has a default. Get one from {@link FalSimulator#builder()}.
 *
 * <pre>{@code
 * FalSimulator sim = FalSimulator.builder().queueTime(Duration.ofMillis(20)).runners(8).start();
 * }</pre>
 */
public final class FalSimulatorBuilder {

    /** Nine retries after the first attempt, about two hours in all: fal's "10 attempts over 2 hours". */
    static final List<Duration> DEFAULT_WEBHOOK_RETRY_DELAYS = List.of(Duration.ofSeconds(15), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
            Duration.ofMinutes(20), Duration.ofMinutes(30), Duration.ofMinutes(50));

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
    private String webhookUserId = "sim-user";
    private List<Duration> webhookRetryDelays = DEFAULT_WEBHOOK_RETRY_DELAYS;
    private Duration webhookTimeout = Duration.ofSeconds(15);
    private final Map<String, BillableUnits> billableUnits = new LinkedHashMap<>();

    FalSimulatorBuilder() {
    }

    /** Interface to listen on (default 127.0.0.1; 0.0.0.0 listens everywhere and hands out 127.0.0.1 URLs). */
    public FalSimulatorBuilder host(String host) {
        this.host = Objects.requireNonNull(host, "host");
        return this;
    }

    /** 0 = a random free port (default). */
    public FalSimulatorBuilder port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.port = port;
        return this;
    }

    /** Accept {@code Authorization: Key <k>} or {@code Bearer <k>} with exactly this key; otherwise 401. */
    public FalSimulatorBuilder apiKey(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("apiKey must not be blank; use acceptAnyKey()");
        }
        this.apiKey = key;
        return this;
    }

    /** Accept any non-blank Key/Bearer credential (default); no Authorization header is still a 401. */
    public FalSimulatorBuilder acceptAnyKey() {
        this.apiKey = null;
        return this;
    }

    /** Minimum time a job stays IN_QUEUE (default 100ms); {@link FalSimulator#setTimings} changes it later. */
    public FalSimulatorBuilder queueTime(Duration d) {
        this.queueTime = Durations.requireNonNegative(d, "queueTime");
        return this;
    }

    /** Time a job stays IN_PROGRESS (default 300ms); {@link FalSimulator#setTimings} changes it later. */
    public FalSimulatorBuilder runTime(Duration d) {
        this.runTime = Durations.requireNonNegative(d, "runTime");
        return this;
    }

    /** Jobs running at once (default 4); the rest wait IN_QUEUE with a queue_position. */
    public FalSimulatorBuilder runners(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("runners must be >= 1");
        }
        this.runners = n;
        return this;
    }

    /** How long a completed job's result is kept (default 1h); then it answers as expired. */
    public FalSimulatorBuilder resultTtl(Duration d) {
        this.resultTtl = Durations.requireNonNegative(d, "resultTtl");
        return this;
    }

    /** Multiplies output pixel sizes (default 1.0; tests use e.g. 0.25 for speed). */
    public FalSimulatorBuilder imageScale(double scale) {
        if (!(scale > 0 && scale <= 4)) {
            throw new IllegalArgumentException("imageScale must be within (0, 4]");
        }
        this.imageScale = scale;
        return this;
    }

    /** Interval of {@code : ping} comments on a quiet SSE stream (default 15s, as fal). */
    public FalSimulatorBuilder sseKeepAlive(Duration d) {
        this.sseKeepAlive = Durations.requirePositive(d, "sseKeepAlive");
        return this;
    }

    /**
     * true: a Kontext input that fails validation is answered 422 at submit. false (default):
     * it is accepted and the job completes with the 422 -- fal's queue behaviour as inferred from
     * its webhook ERROR example (fal-protocol §11.2).
     */
    public FalSimulatorBuilder validateAtSubmit(boolean validate) {
        this.validateAtSubmit = validate;
        return this;
    }

    /** The {@code X-Fal-Webhook-User-Id} of webhook deliveries, also signed (default {@code sim-user}). */
    public FalSimulatorBuilder webhookUserId(String userId) {
        if (userId == null || userId.isBlank() || userId.contains("\n")) {
            throw new IllegalArgumentException("webhookUserId must be a non-blank single line");
        }
        this.webhookUserId = userId;
        return this;
    }

    /**
     * Waits before each retry of a webhook delivery that failed (non-2xx answer, connection error,
     * timeout, or {@link Fault#failDelivery()}): the list's size is the number of retries, empty for
     * none. Default: 15s, 30s, 1m, 2m, 5m, 10m, 20m, 30m, 50m -- ten attempts over about two hours, as
     * fal says. Tests use e.g. {@code List.of(Duration.ofMillis(50), Duration.ofMillis(100))}.
     */
    public FalSimulatorBuilder webhookRetryDelays(List<Duration> delays) {
        Objects.requireNonNull(delays, "delays").forEach(d -> Durations.requireNonNegative(d, "webhook retry delay"));
        this.webhookRetryDelays = List.copyOf(delays);
        return this;
    }

    /** How long a webhook delivery may take, connecting included, before it counts as failed (default 15s). */
    public FalSimulatorBuilder webhookTimeout(Duration d) {
        this.webhookTimeout = Durations.requirePositive(d, "webhookTimeout");
        return this;
    }

    /**
     * What successful results of one endpoint answer in {@code x-fal-billable-units}, e.g.
     * {@code billableUnits("fal-ai/flux-kontext/dev", BillableUnits.perMegapixel())} or
     * {@code BillableUnits.fixed("3.008")}. Default: per image for pro, max, dev and any other endpoint,
     * per megapixel for the LoRA endpoints (see {@link BillableUnits}).
     *
     * @param endpointId the full endpoint id, e.g. {@code fal-ai/flux-kontext-lora/inpaint}
     */
    public FalSimulatorBuilder billableUnits(String endpointId, BillableUnits units) {
        String id = EndpointId.parse(Objects.requireNonNull(endpointId, "endpointId"))
                .orElseThrow(() -> new IllegalArgumentException("not an endpoint id (owner/alias[/path]): " + endpointId))
                .id();
        billableUnits.put(id, Objects.requireNonNull(units, "units"));
        return this;
    }

    /** A simulator with these settings, not started; call {@link FalSimulator#startServer()}. */
    public FalSimulator build() {
        return new FalSimulator(new SimulatorConfig(host, port, apiKey, runners, resultTtl, imageScale, sseKeepAlive,
                validateAtSubmit, webhookUserId, webhookRetryDelays, webhookTimeout, Map.copyOf(billableUnits)),
                new LiveSettings(new LiveSettings.Timings(queueTime, runTime)));
    }

    /** Builds and starts. */
    public FalSimulator start() {
        return build().startServer();
    }
}
