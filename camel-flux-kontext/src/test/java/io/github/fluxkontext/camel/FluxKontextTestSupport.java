package io.github.fluxkontext.camel;

import java.time.Duration;
import java.util.List;

import io.github.fluxkontext.camel.client.AuthScheme;
import io.github.fluxkontext.simulator.BillableUnits;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.FalSimulator;
import io.github.fluxkontext.simulator.FalSimulatorExtension;
import io.github.fluxkontext.simulator.JournalEntry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Runs routes against the fal simulator: the component's defaults point at it with a known key,
 * and short poll and retry intervals keep the tests quick.
 */
public abstract class FluxKontextTestSupport extends CamelTestSupport {

    /** fal keys look like key_id:key_secret. */
    protected static final String KEY = "sim-key-id-7f3a:sim-key-secret-91c2";

    protected static final Duration QUEUE_TIME = Duration.ofMillis(30);
    protected static final Duration RUN_TIME = Duration.ofMillis(60);
    /**
     * How long the simulator waits for a webhook consumer's answer before it records the delivery as failed (-1) and
     * delivers again. fal (and the simulator by default) waits 15 s; a consumer answers once its route is done, and
     * its first callback also fetches fal's keys over HTTP and loads the Ed25519 verifier. On a 2-core machine that
     * other builds keep busy, that has taken longer than 15 s: the delivery then counted as failed although the
     * consumer did its job, and a test about something else failed on it.
     */
    protected static final Duration WEBHOOK_DELIVERY_TIMEOUT = Duration.ofSeconds(60);

    /** The endpoint whose results the simulator bills {@link #FRACTIONAL_UNITS} (the others: one unit per image). */
    protected static final String FRACTIONAL_UNITS_ENDPOINT = "fal-ai/flux-pro/kontext/max/text-to-image";
    protected static final String FRACTIONAL_UNITS = "3.008";

    @RegisterExtension
    protected static final FalSimulatorExtension FAL = FalSimulatorExtension.create(simulator -> simulator
            .apiKey(KEY)
            .queueTime(QUEUE_TIME)
            .runTime(RUN_TIME)
            .runners(16)
            .imageScale(0.125)
            .sseKeepAlive(Duration.ofMillis(200)) // status streams notice a client that left within this
            .webhookTimeout(WEBHOOK_DELIVERY_TIMEOUT)
            // fal sends fractional units for some models: one endpoint of the tests does, to show they are read exactly
            .billableUnits(FRACTIONAL_UNITS_ENDPOINT, BillableUnits.fixed(FRACTIONAL_UNITS))
            // a callback answered with an error is delivered again soon (fal waits minutes)
            .webhookRetryDelays(List.of(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200))));

    /** Each test starts from an empty simulator with the default timings, whatever the test before did. */
    @BeforeEach
    void resetSimulator() {
        sim().reset();
        sim().setTimings(QUEUE_TIME, RUN_TIME);
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        FluxKontextComponent component = new FluxKontextComponent();
        configure(component.getConfiguration());
        context.addComponent("flux-kontext", component);
        return context;
    }

    /** The component-wide defaults of the tests; subclasses may change them. */
    protected void configure(FluxKontextConfiguration configuration) {
        configuration.setBaseUrl(FAL.baseUrl());
        configuration.setStorageUrl(FAL.baseUrl());
        configuration.setApiKey(KEY);
        configuration.setAuthScheme(AuthScheme.KEY);
        configuration.setPollInterval(20);
        configuration.setMaxPollInterval(100);
        configuration.setRetryDelay(20);
        configuration.setMaxRetryDelay(200);
        configuration.setTimeout(30_000);
    }

    /** Whatever a test did, the key must not have reached the log (the component logs at DEBUG here). */
    @AfterAll
    static void keyIsNotInTheLog() throws java.io.IOException {
        java.nio.file.Path log = java.nio.file.Path.of("target", "test.log");
        if (java.nio.file.Files.exists(log)) {
            String text = java.nio.file.Files.readString(log);
            String envKey = System.getenv("FAL_KEY");
            for (String secret : new String[] { KEY, KEY.substring(KEY.indexOf(':') + 1), envKey }) {
                if (secret != null && !secret.isBlank() && text.contains(secret)) {
                    throw new AssertionError("an API key appears in target/test.log");
                }
            }
        }
    }

    protected static FalSimulator sim() {
        return FAL.simulator();
    }

    /** The one submit the simulator received. */
    protected static JournalEntry onlySubmit() {
        var submits = sim().journal().entries(FalOperation.SUBMIT);
        if (submits.size() != 1) {
            throw new AssertionError("expected exactly one submit, got " + submits.size());
        }
        return submits.get(0);
    }

    /** The message of the innermost cause: what a wrapped start or endpoint failure says. */
    protected static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    /** Sends a body and returns the exception the route failed with, unwrapped from Camel's. */
    protected <T extends Throwable> T failure(Class<T> type, String uri, Object body, java.util.Map<String, Object> headers) {
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.requestBodyAndHeaders(uri, body, headers));
        Throwable cause = e.getCause();
        if (!type.isInstance(cause)) {
            throw new AssertionError("expected " + type.getSimpleName() + " but was " + cause, cause);
        }
        return type.cast(cause);
    }
}
