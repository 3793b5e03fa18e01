package io.github.fluxkontext.example;

import java.net.URI;
import java.util.Locale;
import java.util.Map;

import io.github.fluxkontext.camel.FluxKontextConfiguration;
import io.github.fluxkontext.camel.client.AuthScheme;
import io.github.fluxkontext.simulator.FalSimulator;

/**
 * Where the example's jobs go, chosen once at start-up from the component's configuration and the
 * environment:
 * <ul>
 * <li>no key anywhere (and {@code example.simulator=auto}): the fal simulator, started in this JVM;</li>
 * <li>a key ({@code FAL_KEY}, or {@code camel.component.flux-kontext.api-key}) and fal's base URL: fal;</li>
 * <li>a key and another base URL ({@code FLUX_KONTEXT_BASE_URL}, or
 * {@code camel.component.flux-kontext.base-url}): an aggregator, with a Bearer token unless
 * {@code authScheme} says otherwise.</li>
 * </ul>
 */
final class Backend implements AutoCloseable {

    enum Kind {
        SIMULATOR, FAL, AGGREGATOR
    }

    /** The environment variable the example reads an aggregator's base URL from. */
    static final String BASE_URL_VARIABLE = "FLUX_KONTEXT_BASE_URL";
    static final String FAL_BASE_URL = "https://queue.fal.run";
    /** Any non-blank key will do for the simulator: it accepts every key. */
    private static final String SIMULATOR_KEY = "example-simulator-key";
    /** The fal user id the simulator signs its callbacks for, as fal signs them for the account that submitted. */
    static final String SIMULATOR_USER_ID = "example-user";

    private final Kind kind;
    private final String baseUrl;
    private final String authScheme;
    private final String keySource;
    private final FalSimulator simulator;

    private Backend(Kind kind, String baseUrl, String authScheme, String keySource, FalSimulator simulator) {
        this.kind = kind;
        this.baseUrl = baseUrl;
        this.authScheme = authScheme;
        this.keySource = keySource;
        this.simulator = simulator;
    }

    /** Chooses the backend and points the component's configuration at it (starting the simulator if it is the one). */
    static Backend configure(FluxKontextConfiguration configuration, ExampleSettings settings, Map<String, String> environment) {
        String baseFromEnvironment = blankToNull(environment.get(BASE_URL_VARIABLE));
        if (baseFromEnvironment != null && FAL_BASE_URL.equals(configuration.getBaseUrl())) {
            // the component property (or its CAMEL_COMPONENT_FLUX_KONTEXT_BASE_URL variable) wins when both are set
            configuration.setBaseUrl(baseFromEnvironment);
        }
        String keySource = keySource(configuration, environment);
        boolean useSimulator = switch (settings.simulator()) {
            case "always" -> true;
            case "never" -> false;
            // auto: a base URL of one's own without a key is a mistake, reported below, not a reason to simulate
            default -> keySource == null && FAL_BASE_URL.equals(configuration.getBaseUrl());
        };
        if (useSimulator) {
            FalSimulator simulator = FalSimulator.builder()
                    .queueTime(settings.simulatorQueueTime())
                    .runTime(settings.simulatorRunTime())
                    .runners(settings.simulatorRunners())
                    .imageScale(settings.simulatorScale())
                    .webhookUserId(SIMULATOR_USER_ID)
                    .start();
            configuration.setBaseUrl(simulator.baseUrl());
            configuration.setStorageUrl(simulator.baseUrl());
            configuration.setApiKey(SIMULATOR_KEY);
            configuration.setAuthScheme(AuthScheme.KEY);
            configuration.setJwksUrl(simulator.jwksUrl()); // the simulator signs its callbacks with a key of its own
            return new Backend(Kind.SIMULATOR, simulator.baseUrl(), "Key", null, simulator);
        }
        if (keySource == null) {
            throw new IllegalStateException("No key for " + configuration.getBaseUrl() + ": set FAL_KEY (or the property"
                                            + " camel.component.flux-kontext.api-key), or leave both the key and the base URL"
                                            + " unset to run against the built-in simulator");
        }
        boolean fal = isFalHost(configuration.getBaseUrl());
        if (!fal && blankToNull(configuration.getApiKey()) == null) {
            // the component sends FAL_KEY to fal's hosts only; the example's contract is that FAL_KEY also
            // holds an aggregator's token when FLUX_KONTEXT_BASE_URL names one, so it hands it over explicitly
            configuration.setApiKey(keyFromEnvironment(environment));
        }
        String scheme = configuration.getAuthScheme() != null ? configuration.getAuthScheme().value() : fal ? "Key" : "Bearer";
        return new Backend(fal ? Kind.FAL : Kind.AGGREGATOR, configuration.getBaseUrl(), scheme, keySource, null);
    }

    /** Where the component will take its key from (the component's own order), or null when nowhere. */
    private static String keySource(FluxKontextConfiguration configuration, Map<String, String> environment) {
        if (blankToNull(configuration.getApiKey()) != null) {
            return "camel.component.flux-kontext.api-key";
        }
        if (blankToNull(environment.get("FAL_KEY")) != null) {
            return "FAL_KEY";
        }
        if (environment.get("FAL_KEY_ID") != null && environment.get("FAL_KEY_SECRET") != null) {
            return "FAL_KEY_ID and FAL_KEY_SECRET";
        }
        return null;
    }

    private static String keyFromEnvironment(Map<String, String> environment) {
        String key = blankToNull(environment.get("FAL_KEY"));
        return key != null ? key : environment.get("FAL_KEY_ID") + ":" + environment.get("FAL_KEY_SECRET");
    }

    /** fal's own hosts get {@code Authorization: Key}, as the component decides. */
    private static boolean isFalHost(String url) {
        String host = URI.create(url).getHost();
        String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
        return h.equals("fal.run") || h.endsWith(".fal.run") || h.equals("fal.ai") || h.endsWith(".fal.ai");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    Kind kind() {
        return kind;
    }

    String baseUrl() {
        return baseUrl;
    }

    /** The simulator when it is the backend, else null. */
    FalSimulator simulator() {
        return simulator;
    }

    /** One line for the start-up log; it names where the key comes from, never the key. */
    String describe() {
        return switch (kind) {
            case SIMULATOR -> "the fal simulator in this JVM at " + baseUrl
                              + " (no key set: nothing leaves this machine, nothing is billed; set FAL_KEY to use fal)";
            case FAL -> "fal at " + baseUrl + " (Authorization: " + authScheme + ", key from " + keySource + ")";
            case AGGREGATOR -> "the aggregator at " + baseUrl + " (Authorization: " + authScheme + ", token from " + keySource + ")";
        };
    }

    @Override
    public void close() {
        if (simulator != null) {
            simulator.close();
        }
    }
}
