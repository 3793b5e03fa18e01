package io.github.fluxkontext.example;

import java.time.Duration;

import io.github.fluxkontext.camel.FluxKontextComponent;
import io.github.fluxkontext.camel.FluxKontextConfiguration;
import io.github.fluxkontext.camel.model.FluxKontextApiException;
import io.github.fluxkontext.camel.model.FluxKontextTransportException;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.FalSimulatorExtension;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a newcomer without a key (or without a server) is told by the component, on a machine with no FAL_KEY at all
 * (this module's tests run with none; the component's own tests set one). Nothing here reaches fal: the WARN comes at
 * start, before any call, and the calls go to the simulator or to a closed local port.
 */
class NoKeyMessagesTest {

    @RegisterExtension
    static final FalSimulatorExtension FAL = FalSimulatorExtension.create(sim -> sim.apiKey("the-only:key-it-takes").runTime(Duration.ofMillis(20)));

    private final DefaultCamelContext context = new DefaultCamelContext();

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void startingWithFalsDefaultBaseUrlAndNoKeySaysSoOnce() throws Exception {
        try (LogCapture log = new LogCapture()) {
            start("flux-kontext:text-to-image", "flux-kontext:edit");

            assertEquals(1, log.messages(Level.WARN, "No API key").size(), "once per component, not per endpoint");
            String warning = log.messages(Level.WARN, "No API key").get(0);
            assertTrue(warning.contains("https://queue.fal.run") && warning.contains("camel.component.flux-kontext.api-key")
                       && warning.contains("FAL_KEY"), warning);
        }
    }

    @Test
    void withAKeyOrAnotherBaseUrlNothingIsSaid() throws Exception {
        try (LogCapture log = new LogCapture()) {
            start("flux-kontext:text-to-image?apiKey=key-id:key-secret", "flux-kontext:edit?baseUrl=" + FAL.baseUrl());

            assertEquals(0, log.messages(Level.WARN, "No API key").size());
        }
    }

    @Test
    void aRefusalWithoutAKeySaysThatNoKeyWasSent() throws Exception {
        start("flux-kontext:text-to-image?baseUrl=" + FAL.baseUrl());

        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> context.createProducerTemplate().requestBody("direct:0", "a fox"));

        FluxKontextApiException refused = assertInstanceOf(FluxKontextApiException.class, e.getCause());
        assertEquals(401, refused.getStatusCode());
        assertTrue(refused.getMessage().contains("No key was sent"), refused.getMessage());
        assertEquals(null, FAL.simulator().journal().entries(FalOperation.SUBMIT).get(0).header("Authorization"));
    }

    @Test
    void theHealthCheckSaysThatNoKeyWasSent() throws Exception {
        start("flux-kontext:text-to-image?baseUrl=" + FAL.baseUrl());
        HealthCheckHelper.getHealthCheckRepository(context, "producers").setEnabled(true);

        HealthCheck.Result result = HealthCheckHelper.invokeReadiness(context).stream()
                .filter(r -> r.getCheck().getId().startsWith("producer:flux-kontext")).findFirst().orElseThrow();

        assertEquals(HealthCheck.State.DOWN, result.getState());
        assertTrue(String.valueOf(result.getDetails().get("reason")).contains("no key was sent"), result.getDetails().toString());
    }

    @Test
    void aRefusedConnectionIsReportedAtItsFirstRetryNotOnlyAfterTheLast() throws Exception {
        int closed = ExampleTestSupport.freePort();
        FluxKontextConfiguration config = context.getComponent("flux-kontext", FluxKontextComponent.class).getConfiguration();
        config.setRetryDelay(20);
        config.setMaxRetryDelay(50);
        try (LogCapture log = new LogCapture()) {
            start("flux-kontext:text-to-image?apiKey=any&baseUrl=http://127.0.0.1:" + closed);

            CamelExecutionException e = assertThrows(CamelExecutionException.class,
                    () -> context.createProducerTemplate().requestBody("direct:0", "a fox"));

            assertInstanceOf(FluxKontextTransportException.class, e.getCause());
            assertEquals(1, log.messages(Level.WARN, "retrying in").size(), log.atLeast(Level.DEBUG).toString());
            String warning = log.messages(Level.WARN, "retrying in").get(0);
            assertTrue(warning.startsWith("SUBMIT POST http://127.0.0.1:" + closed) && warning.contains("Connection refused"), warning);
        }
    }

    /** A context with a direct:N route to each URI, the component on its defaults (no key, fal's base URL). */
    private void start(String... uris) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < uris.length; i++) {
                    from("direct:" + i).to(uris[i]);
                }
            }
        });
        context.start();
    }
}
