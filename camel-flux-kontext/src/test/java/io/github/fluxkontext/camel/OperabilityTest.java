package io.github.fluxkontext.camel;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.github.fluxkontext.camel.model.FluxKontextJobFailedException;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.Fault;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Producer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.console.DevConsole;
import org.apache.camel.console.DevConsoleRegistry;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health, dev console, JMX, Micrometer and service location: what operators look at, and never a secret. */
class OperabilityTest extends FluxKontextTestSupport {

    private final MeterRegistry meters = new SimpleMeterRegistry();

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withJMX(true);
    }

    @Override
    protected void bindToRegistry(org.apache.camel.spi.Registry registry) {
        registry.bind("meters", meters);
    }

    // ---- health

    private HealthCheck.Result readiness(String uri) throws Exception {
        Producer producer = context.getEndpoint(uri).createProducer();
        producer.start();
        // producer checks are off unless asked for (camel.health.producersEnabled=true in an application)
        HealthCheckHelper.getHealthCheckRepository(context, "producers").setEnabled(true);
        try {
            return HealthCheckHelper.invokeReadiness(context).stream()
                    .filter(result -> result.getCheck().getId().startsWith("producer:flux-kontext")).findFirst().orElseThrow();
        } finally {
            producer.stop();
        }
    }

    @Test
    void reachableWithAnAcceptedKeyIsUp() throws Exception {
        HealthCheck.Result result = readiness("flux-kontext:text-to-image");

        assertEquals(HealthCheck.State.UP, result.getState(), () -> result.getMessage().orElse(""));
        assertEquals(404, result.getDetails().get(HealthCheck.HTTP_RESPONSE_CODE), "asked for a job that cannot exist");
        assertFalse(sim().journal().entries(FalOperation.STATUS).isEmpty());
        sim().journal().entries(FalOperation.STATUS).forEach(probe -> assertTrue(probe.path().contains("00000000-0000-0000-0000-000000000000"),
                "the probe asks about no real job: " + probe.path()));
        assertEquals(0, sim().journal().count(FalOperation.SUBMIT), "a health check submits nothing");
    }

    @Test
    void aRefusedKeyIsDown() throws Exception {
        HealthCheck.Result result = readiness("flux-kontext:text-to-image?apiKey=not-the-key:at-all");

        assertEquals(HealthCheck.State.DOWN, result.getState());
        assertTrue(result.getMessage().orElse("").contains("refused the key (HTTP 401)"), result.getMessage().orElse(""));
        // Spring Boot Actuator shows the details, not the message: the reason is there too
        assertEquals(401, result.getDetails().get(HealthCheck.HTTP_RESPONSE_CODE));
        assertTrue(String.valueOf(result.getDetails().get(FluxKontextHealthCheck.REASON)).contains("check apiKey"), result.getDetails().toString());
        assertFalse(result.toString().contains("not-the-key"), "no key in the result");
    }

    @Test
    void theComponentCanTurnItsProducerChecksOff() throws Exception {
        context.getComponent("flux-kontext", FluxKontextComponent.class).setHealthCheckProducerEnabled(false);
        Producer producer = context.getEndpoint("flux-kontext:status").createProducer(); // the route's producer started before
        producer.start();
        HealthCheckHelper.getHealthCheckRepository(context, "producers").setEnabled(true);
        try {
            assertTrue(HealthCheckHelper.getHealthCheckRepository(context, "producers").stream()
                    .anyMatch(check -> check.getId().startsWith("producer:flux-kontext-status") && !check.isEnabled()), "registered, turned off");
            assertTrue(HealthCheckHelper.invokeReadiness(context).stream()
                    .noneMatch(result -> result.getCheck().getId().startsWith("producer:flux-kontext-status")), "not run");
        } finally {
            producer.stop();
        }
    }

    @Test
    void anUnreachableBaseUrlIsDown() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        HealthCheck.Result result = readiness("flux-kontext:text-to-image?baseUrl=http://127.0.0.1:" + closedPort);

        assertEquals(HealthCheck.State.DOWN, result.getState());
        assertTrue(result.getMessage().orElse("").startsWith("Unreachable"), result.getMessage().orElse(""));
    }

    // ---- dev console, JMX, Micrometer: one job completed, one failed

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:generate").to("flux-kontext:text-to-image"); // JMX shows the endpoints that routes use
            }
        };
    }

    private String runOneGoodAndOneFailedJob() {
        template.requestBody("direct:generate", "a fox");
        sim().faults().add(Fault.on(FalOperation.JOB).failJob(503, "runner_disconnected", "Runner disconnected"));
        FluxKontextJobFailedException failed = failure(FluxKontextJobFailedException.class, "direct:generate", "a lost fox", Map.of());
        return failed.getRequestId();
    }

    @Test
    void theDevConsoleShowsCountersAndTheLastErrorWithItsRequestId() {
        String failedId = runOneGoodAndOneFailedJob();
        DevConsole console = context.getCamelContextExtension().getContextPlugin(DevConsoleRegistry.class).resolveById("flux-kontext");

        String text = (String) console.call(DevConsole.MediaType.TEXT);
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) console.call(DevConsole.MediaType.JSON);

        assertTrue(text.contains("submits 2, completions 1, failures 1"), text);
        assertTrue(text.contains("FluxKontextJobFailedException (request " + failedId + ")"), text);
        assertFalse(text.contains(KEY), "no key");
        Map<?, ?> component = (Map<?, ?>) ((List<?>) json.get("components")).get(0);
        Map<?, ?> endpoint = (Map<?, ?>) ((List<?>) component.get("endpoints")).get(0);
        assertEquals(2L, endpoint.get("submits"));
        assertEquals(Map.of("FluxKontextJobFailedException", 1L), endpoint.get("failuresByType"));
    }

    @Test
    void jmxShowsTheSameFiguresAndNoSecret() throws Exception {
        runOneGoodAndOneFailedJob();
        MBeanServer mbeans = context.getManagementStrategy().getManagementAgent().getMBeanServer();
        Set<ObjectName> names = mbeans.queryNames(new ObjectName("org.apache.camel:type=endpoints,*"), null);
        ObjectName flux = names.stream().filter(n -> n.toString().contains("flux-kontext")).findFirst().orElseThrow();

        assertEquals(2L, mbeans.getAttribute(flux, "Submits"));
        assertEquals(1L, mbeans.getAttribute(flux, "Completions"));
        assertEquals(1L, mbeans.getAttribute(flux, "Failures"));
        assertEquals(0, mbeans.getAttribute(flux, "WaitingJobs"));
        assertEquals(FAL.baseUrl(), mbeans.getAttribute(flux, "BaseUrl"));
        for (var attribute : mbeans.getMBeanInfo(flux).getAttributes()) {
            Object value = mbeans.getAttribute(flux, attribute.getName());
            assertFalse(String.valueOf(value).contains(KEY.substring(KEY.indexOf(':') + 1)), attribute.getName() + " shows the key");
        }
        assertNotNull(ManagementFactory.getPlatformMBeanServer());
    }

    @Test
    void micrometerCountsSubmitsCompletionsFailuresAndTimesTheWaits() {
        runOneGoodAndOneFailedJob();

        assertEquals(2.0, meters.get("flux.kontext.submits").counter().count());
        assertEquals(1.0, meters.get("flux.kontext.completions").counter().count());
        assertEquals(1.0, meters.get("flux.kontext.failures").tag("type", "FluxKontextJobFailedException").counter().count());
        assertEquals(2, meters.get("flux.kontext.after.completion.time").timer().count(), "the failed job completed at fal too");
        assertTrue(meters.get("flux.kontext.running.time").timer().count() >= 1);
        assertEquals("text-to-image", meters.get("flux.kontext.submits").counter().getId().getTag("operation"));
    }

    @Test
    void theEndpointSaysWhereItsServiceIs() {
        FluxKontextEndpoint endpoint = context.getEndpoint("flux-kontext:edit?model=max", FluxKontextEndpoint.class);

        assertEquals(FAL.baseUrl(), endpoint.getServiceUrl());
        assertEquals("http", endpoint.getServiceProtocol());
        assertEquals(Map.of("operation", "edit", "model", "max", "endpointId", "fal-ai/flux-pro/kontext/max"), endpoint.getServiceMetadata());
    }
}
