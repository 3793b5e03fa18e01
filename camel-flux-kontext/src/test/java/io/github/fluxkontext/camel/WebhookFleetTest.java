package io.github.fluxkontext.camel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import io.github.fluxkontext.camel.model.KontextResult;
import io.github.fluxkontext.camel.webhook.WebhookToken;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.Fault;
import io.github.fluxkontext.simulator.JournalEntry;
import io.github.fluxkontext.simulator.WebhookDelivery;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances (CamelContexts, each with its own HTTP server) with a webhook consumer on the same path, both accepting
 * only their own fal account's callbacks (webhookUserIds) of jobs submitted with the fleet's webhookSecret: a job
 * submitted by one is finished by the other, and with waitMode=webhook behind a load balancer that sends half the
 * callbacks to the other instance, every wait still completes, once. A shared repository holds no claim on a callback
 * whose exchange is not done.
 */
class WebhookFleetTest extends WebhookTestSupport {

    private static final int JOBS = 200;
    private static final int WAITING_JOBS = 100;
    private static final String FLEET_SECRET = "the-fleets-webhook-secret-0b7e2d";

    private final int secondPort = freePort();
    private CamelContext second;

    private static RouteBuilder consumerTo(String mock) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("flux-kontext:webhook?path=" + PATH).routeId("webhook").to(mock);
            }
        };
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return consumerTo("mock:first");
    }

    /** Both instances: the fleet's secret for producers and consumers, and the simulator's account only. */
    @Override
    protected void configure(FluxKontextConfiguration configuration) {
        super.configure(configuration);
        configuration.setWebhookSecret(FLEET_SECRET);
        configuration.setWebhookUserIds(List.of("sim-user"));
    }

    @BeforeEach
    void startSecondInstance() throws Exception {
        second = new DefaultCamelContext();
        FluxKontextComponent component = new FluxKontextComponent();
        configure(component.getConfiguration());
        second.addComponent("flux-kontext", component);
        serveHttp(second, secondPort);
        second.addRoutes(consumerTo("mock:second"));
        second.start();
    }

    @AfterEach
    void stopSecondInstance() {
        second.stop();
    }

    private String secondUrl(String path) {
        return "http://127.0.0.1:" + secondPort + path;
    }

    private FluxKontextWebhookConsumer secondConsumer() {
        return (FluxKontextWebhookConsumer) second.getRoute("webhook").getConsumer();
    }

    @Test
    void jobsSubmittedByOneInstanceAreCompletedByTheOtherEachOnce() throws Exception {
        MockEndpoint finished = second.getEndpoint("mock:second", MockEndpoint.class);
        finished.expectedMessageCount(JOBS);
        finished.setResultWaitTime(60_000);
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            submitted.add(submit(secondUrl(PATH), "Job " + i));
        }

        finished.assertIsSatisfied();
        List<String> completed = finished.getReceivedExchanges().stream()
                .map(e -> e.getMessage().getBody(KontextResult.class).requestId()).toList();
        assertEquals(new HashSet<>(submitted), new HashSet<>(completed), "every job");
        assertEquals(JOBS, completed.size(), "each once");
        assertTrue(sim().journal().entries(FalOperation.SUBMIT).stream()
                .allMatch(submit -> submit.query().contains(WebhookToken.PARAMETER)), "each submitted with the fleet's token");
        await().atMost(Duration.ofSeconds(10)).until(() -> sim().webhookDeliveries().size() == JOBS);
        assertTrue(sim().webhookDeliveries().stream().allMatch(WebhookDelivery::delivered), "each delivery accepted at once");
        assertEquals(JOBS, secondConsumer().getRoutedCallbacks());
        assertEquals(0, getMockEndpoint("mock:first").getReceivedCounter(), "nothing went to the submitting instance");
        assertEquals(0, sim().journal().count(FalOperation.RESULT), "nobody had to fetch a result");
    }

    @Test
    void withWaitModeWebhookEveryWaitCompletesOnceWhereverItsCallbackLands() throws Exception {
        try (WebhookRelay loadBalancer = new WebhookRelay(url(""), secondUrl(""))) {
            FluxKontextEndpoint endpoint = context.getEndpoint("flux-kontext:text-to-image?waitMode=webhook&maxPollInterval=3s"
                                                               + "&webhookUrl=RAW(" + loadBalancer.url(PATH) + ")", FluxKontextEndpoint.class);
            AsyncProducer producer = endpoint.createAsyncProducer();
            producer.start();
            List<Exchange> exchanges = new ArrayList<>();
            AtomicInteger done = new AtomicInteger();
            for (int i = 0; i < WAITING_JOBS; i++) {
                Exchange exchange = new DefaultExchange(context);
                exchange.getMessage().setBody("Waiting job " + i);
                AtomicInteger calls = new AtomicInteger();
                exchange.setProperty("doneCalls", calls);
                exchanges.add(exchange);
                producer.process(exchange, doneSync -> {
                    calls.incrementAndGet();
                    done.incrementAndGet();
                });
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> done.get() >= WAITING_JOBS);
            producer.stop();

            for (Exchange exchange : exchanges) {
                assertNull(exchange.getException(), () -> "failed: " + exchange.getException());
                assertEquals(1, exchange.getProperty("doneCalls", AtomicInteger.class).get(), "completed exactly once");
            }
            Set<String> waited = exchanges.stream().map(e -> e.getMessage().getBody(KontextResult.class).requestId())
                    .collect(Collectors.toSet());
            assertEquals(WAITING_JOBS, waited.size());

            // the load balancer notes a callback once it has the answer, which may come after the exchange went on
            await().atMost(Duration.ofSeconds(10)).until(() -> loadBalancer.relayed().size() >= WAITING_JOBS);
            Map<String, String> landedAt = loadBalancer.relayed().stream()
                    .collect(Collectors.toMap(WebhookRelay.Relayed::requestId, WebhookRelay.Relayed::target));
            assertEquals(waited, landedAt.keySet(), "one callback per job, each through the load balancer once");
            Set<String> here = ids(landedAt, url(""));
            Set<String> there = ids(landedAt, secondUrl(""));
            assertEquals(WAITING_JOBS / 2, here.size(), "the load balancer alternates");
            assertEquals(WAITING_JOBS / 2, there.size());

            assertEquals(here.size(), consumer("webhook").getCallbacksCompletingWaits());
            assertEquals(there.size(), secondConsumer().getCallbacksAwaitedElsewhere());
            assertEquals(0, consumer("webhook").getRoutedCallbacks() + secondConsumer().getRoutedCallbacks(), "no callback routed");
            assertEquals(0, getMockEndpoint("mock:first").getReceivedCounter());
            assertEquals(0, second.getEndpoint("mock:second", MockEndpoint.class).getReceivedCounter());

            Map<String, Long> resultFetches = sim().journal().entries(FalOperation.RESULT).stream()
                    .collect(Collectors.groupingBy(JournalEntry::requestId, Collectors.counting()));
            for (String id : here) {
                assertNull(resultFetches.get(id), "completed from its callback: " + id);
            }
            for (String id : there) {
                assertEquals(1L, resultFetches.get(id), "completed by the background poll, its result fetched once: " + id);
            }
        }
    }

    @Test
    void withASharedIdempotentRepositoryADuplicateAtTheOtherInstanceIsNotRoutedAgain() throws Exception {
        IdempotentRepository shared = MemoryIdempotentRepository.memoryIdempotentRepository();
        for (CamelContext instance : List.of(context, second)) {
            instance.getRegistry().bind("fleetCallbacks", shared);
            instance.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("flux-kontext:webhook?path=/fal/shared&idempotentRepository=#fleetCallbacks")
                            .routeId("shared").to("mock:shared");
                }
            });
        }
        sim().faults().add(Fault.on(FalOperation.WEBHOOK).duplicateDelivery());
        try (WebhookRelay loadBalancer = new WebhookRelay(url(""), secondUrl(""))) {
            String id = submit(loadBalancer.url("/fal/shared"), "Once in the fleet");

            await().atMost(Duration.ofSeconds(20)).until(() -> loadBalancer.relayed().size() == 2);
            assertEquals(List.of(200, 200), loadBalancer.relayed().stream().map(WebhookRelay.Relayed::status).toList());
            assertEquals(Set.of(url(""), secondUrl("")), loadBalancer.relayed().stream().map(WebhookRelay.Relayed::target)
                    .collect(Collectors.toSet()), "one delivery at each instance");
            MockEndpoint here = getMockEndpoint("mock:shared");
            MockEndpoint there = second.getEndpoint("mock:shared", MockEndpoint.class);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                    .until(() -> here.getReceivedCounter() + there.getReceivedCounter() == 1);
            assertTrue(shared.contains(id));
        }
    }

    @Test
    void whileOneInstanceHoldsACallbackTheSharedRepositoryHasNoClaimOnItSoTheOtherRoutesFalsNextDelivery() throws Exception {
        IdempotentRepository shared = MemoryIdempotentRepository.memoryIdempotentRepository();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        for (CamelContext instance : List.of(context, second)) {
            instance.getRegistry().bind("fleetCallbacks", shared);
            boolean holds = instance == context;
            instance.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("flux-kontext:webhook?path=/fal/shared&idempotentRepository=#fleetCallbacks").routeId("shared")
                            .process(e -> {
                                if (holds) { // this instance hangs (or dies) in the middle of the route
                                    entered.countDown();
                                    assertTrue(release.await(20, TimeUnit.SECONDS));
                                }
                            })
                            .to("mock:shared");
                }
            });
        }
        AtomicReference<WebhookRelay.Forward> delivered = new AtomicReference<>();
        try (WebhookRelay toFirst = new WebhookRelay(url(""))) {
            toFirst.change(forward -> {
                delivered.set(forward);
                return forward;
            });
            String id = submit(toFirst.url("/fal/shared"), "Held by the first instance");
            assertTrue(entered.await(20, TimeUnit.SECONDS));
            assertFalse(shared.contains(id), "no claim while the exchange is not done");

            // fal delivers again (its first attempt timed out, say), and the load balancer picks the other instance
            String sameUrlAtTheOther = new WebhookToken(FLEET_SECRET).addTo(secondUrl("/fal/shared")); // as the producer gave it to fal
            assertEquals(200, toFirst.deliver(sameUrlAtTheOther, delivered.get()));
            MockEndpoint there = second.getEndpoint("mock:shared", MockEndpoint.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> there.getReceivedCounter() == 1);
            assertTrue(shared.contains(id));

            release.countDown(); // had the first instance died instead, the job would have reached the route all the same
            await().atMost(Duration.ofSeconds(10)).until(() -> getMockEndpoint("mock:shared").getReceivedCounter() == 1);
            // two deliveries racing on two instances both reached the route: at least once (documented)
        } finally {
            release.countDown();
        }
    }

    private static Set<String> ids(Map<String, String> landedAt, String target) {
        return landedAt.entrySet().stream().filter(e -> e.getValue().equals(target)).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }
}
