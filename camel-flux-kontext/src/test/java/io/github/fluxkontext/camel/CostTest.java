package io.github.fluxkontext.camel;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fluxkontext.camel.model.KontextResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.console.DevConsole;
import org.apache.camel.console.DevConsoleRegistry;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What each job cost and how long it ran, as fal said: x-fal-billable-units of the result answer and the inference
 * time of the last status, on the exchange and the KontextResult after a producer's wait; for a webhook callback, which
 * carries no cost, the inference time of its payload only; the totals in Micrometer, the dev console and JMX.
 */
class CostTest extends WebhookTestSupport {

    private static final String MAX_T2I = "flux-kontext:text-to-image?model=max";
    private static final String PRO_T2I = "flux-kontext:text-to-image?numImages=2";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

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

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("flux-kontext:webhook?path=" + PATH).routeId("webhook").to("mock:callbacks");
                from("direct:max").to(MAX_T2I); // a route's endpoint: JMX shows it
            }
        };
    }

    @Test
    void afterAStreamWaitTheJobsBillableUnitsAndInferenceTimeAreOnTheExchangeExactlyAsFalSaidThem() throws Exception {
        Message out = template.request(MAX_T2I, e -> e.getMessage().setBody("a lighthouse")).getMessage();

        KontextResult result = out.getBody(KontextResult.class);
        assertEquals(new BigDecimal(FRACTIONAL_UNITS), out.getHeader(FluxKontextConstants.BILLABLE_UNITS), "3.008, not 3.0080000001");
        assertEquals(new BigDecimal(FRACTIONAL_UNITS), result.billableUnits());
        assertEquals(statusInferenceTime("fal-ai/flux-pro", result.requestId()), out.getHeader(FluxKontextConstants.INFERENCE_TIME));
        assertEquals(out.getHeader(FluxKontextConstants.INFERENCE_TIME), result.inferenceTime());
    }

    @Test
    void afterAPollWaitTheyAreThereToo() throws Exception {
        Message out = template.request(PRO_T2I + "&waitMode=poll", e -> e.getMessage().setBody("two lighthouses")).getMessage();

        String id = out.getHeader(FluxKontextConstants.REQUEST_ID, String.class);
        assertEquals(new BigDecimal("2"), out.getHeader(FluxKontextConstants.BILLABLE_UNITS), "one unit per image");
        assertEquals(statusInferenceTime("fal-ai/flux-pro", id), out.getHeader(FluxKontextConstants.INFERENCE_TIME));
    }

    @Test
    void aWebhookCallbackGivesTheInferenceTimeOfItsPayloadAndNoBillableUnits() throws Exception {
        MockEndpoint callbacks = getMockEndpoint("mock:callbacks");
        callbacks.expectedMessageCount(1);
        submit(url(PATH), "a lighthouse");

        callbacks.assertIsSatisfied(20_000);
        Message received = callbacks.getReceivedExchanges().get(0).getMessage();
        KontextResult result = received.getBody(KontextResult.class);
        assertNull(received.getHeader(FluxKontextConstants.BILLABLE_UNITS), "fal's callbacks carry no cost");
        assertNull(result.billableUnits());
        Object timings = result.timings().get("inference");
        assertEquals(((Number) timings).doubleValue(), received.getHeader(FluxKontextConstants.INFERENCE_TIME));
        assertEquals(result.inferenceTime(), received.getHeader(FluxKontextConstants.INFERENCE_TIME));
    }

    @Test
    void aProducerWaitingForItsWebhookLikewiseHasNoBillableUnits() {
        Exchange done = template.request("flux-kontext:text-to-image?waitMode=webhook&maxPollInterval=20s&webhookUrl=RAW(" + url(PATH)
                                         + ")", e -> e.getMessage().setBody("a lighthouse"));

        KontextResult result = done.getMessage().getBody(KontextResult.class);
        assertNull(done.getMessage().getHeader(FluxKontextConstants.BILLABLE_UNITS));
        assertEquals(((Number) result.timings().get("inference")).doubleValue(), done.getMessage().getHeader(FluxKontextConstants.INFERENCE_TIME));
    }

    @Test
    void aHeaderLeftByAnEarlierCallIsNotTakenForThisJobs() {
        Exchange done = template.request("flux-kontext:text-to-image?waitMode=webhook&maxPollInterval=20s&webhookUrl=RAW(" + url(PATH)
                                         + ")", e -> {
                                             e.getMessage().setBody("a lighthouse");
                                             e.getMessage().setHeader(FluxKontextConstants.BILLABLE_UNITS, new BigDecimal("9"));
                                         });

        assertNull(done.getMessage().getHeader(FluxKontextConstants.BILLABLE_UNITS));
    }

    @Test
    void micrometerCountsTheUnitsAndTimesTheInferenceByFalEndpointId() {
        template.requestBody(MAX_T2I, "a lighthouse");
        template.requestBody(MAX_T2I, "another lighthouse");
        template.requestBody(PRO_T2I, "two lighthouses");

        assertEquals(6.016, meters.get("flux.kontext.billable.units").tag("endpointId", FRACTIONAL_UNITS_ENDPOINT).counter().count(), 1e-9);
        assertEquals(2.0, meters.get("flux.kontext.billable.units").tag("endpointId", "fal-ai/flux-pro/kontext/text-to-image").counter()
                .count());
        assertEquals(2, meters.get("flux.kontext.inference").tag("endpointId", FRACTIONAL_UNITS_ENDPOINT).timer().count());
        assertTrue(meters.get("flux.kontext.inference").tag("endpointId", FRACTIONAL_UNITS_ENDPOINT).timer()
                .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS) >= 2 * RUN_TIME.toMillis() - 2, "each job ran RUN_TIME at least");
    }

    @Test
    void theDevConsoleAndJmxShowTheTotals() throws Exception {
        template.requestBody("direct:max", "a lighthouse");
        template.requestBody("direct:max", "another lighthouse");
        DevConsole console = context.getCamelContextExtension().getContextPlugin(DevConsoleRegistry.class).resolveById("flux-kontext");

        String text = (String) console.call(DevConsole.MediaType.TEXT);
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) console.call(DevConsole.MediaType.JSON);

        assertTrue(text.contains("cost: 6.016 billable unit(s) over 2 job(s)"), text);
        Map<?, ?> endpoint = endpointJson(json, "text-to-image");
        assertEquals(new BigDecimal("6.016"), endpoint.get("billableUnits"));
        assertEquals(2L, endpoint.get("billedJobs"));
        assertEquals(2L, endpoint.get("timedJobs"));
        assertTrue((Double) endpoint.get("inferenceSeconds") >= 2 * RUN_TIME.toMillis() / 1000.0 - 0.002, text);

        MBeanServer mbeans = context.getManagementStrategy().getManagementAgent().getMBeanServer();
        Set<ObjectName> names = mbeans.queryNames(new ObjectName("org.apache.camel:type=endpoints,*"), null);
        ObjectName flux = names.stream().filter(n -> n.toString().contains("text-to-image")).findFirst()
                .orElseThrow(() -> new AssertionError("no text-to-image endpoint in " + names));
        assertEquals(new BigDecimal("6.016"), mbeans.getAttribute(flux, "BillableUnits"));
        assertEquals(endpoint.get("inferenceSeconds"), mbeans.getAttribute(flux, "InferenceSeconds"));
    }

    private static Map<?, ?> endpointJson(Map<String, Object> json, String uriPart) {
        for (Object component : (List<?>) json.get("components")) {
            for (Object endpoint : (List<?>) ((Map<?, ?>) component).get("endpoints")) {
                if (String.valueOf(((Map<?, ?>) endpoint).get("uri")).contains(uriPart)) {
                    return (Map<?, ?>) endpoint;
                }
            }
        }
        throw new AssertionError("no endpoint " + uriPart + " in " + json);
    }

    /** What fal says now in the completed job's status: metrics.inference_time. */
    private static Double statusInferenceTime(String appId, String requestId) throws Exception {
        HttpResponse<String> status = HTTP.send(HttpRequest.newBuilder(URI.create(FAL.baseUrl() + "/" + appId + "/requests/" + requestId
                                                                                 + "/status")).header("Authorization", "Key " + KEY).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, status.statusCode(), status.body());
        Double seconds = new ObjectMapper().readTree(status.body()).path("metrics").path("inference_time").asDouble();
        assertNotNull(seconds);
        assertFalse(seconds.isNaN());
        assertTrue(seconds > 0, status.body());
        return seconds;
    }
}
