package io.github.fluxkontext.camel;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The webhook consumer's counters are JMX attributes of its consumer MBean, as operators read a consumer's figures. */
class WebhookConsumerJmxTest extends WebhookTestSupport {

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withJMX(true);
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("flux-kontext:webhook?path=" + PATH).routeId("webhook").to("mock:jobs");
            }
        };
    }

    @Test
    void theConsumersCountersAreJmxAttributes() throws Exception {
        String id = submit(url(PATH), "A fox for the operators");
        assertEquals(List.of(200), statuses(deliveries(id, 1)));
        assertEquals(401, send("POST", url(PATH), Map.of("Content-Type", "application/json"), "{}".getBytes(StandardCharsets.UTF_8)),
                "unsigned");

        MBeanServer mbeans = context.getManagementStrategy().getManagementAgent().getMBeanServer();
        Set<ObjectName> names = mbeans.queryNames(new ObjectName("org.apache.camel:type=consumers,*"), null);
        ObjectName consumer = names.stream().filter(n -> n.toString().contains("FluxKontextWebhookConsumer")).findFirst().orElseThrow();

        assertEquals(1L, mbeans.getAttribute(consumer, "RoutedCallbacks"));
        assertEquals(1L, mbeans.getAttribute(consumer, "RefusedCallbacks"));
        assertEquals(0L, mbeans.getAttribute(consumer, "DuplicateCallbacks"));
        assertEquals(0L, mbeans.getAttribute(consumer, "RouteFailures"));
    }
}
