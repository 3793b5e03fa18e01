package io.github.fluxkontext.camel;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.fluxkontext.camel.client.AuthScheme;
import io.github.fluxkontext.camel.ledger.JdbcSubmissionLedger;
import io.github.fluxkontext.camel.ledger.TestPostgres;
import io.github.fluxkontext.camel.model.FluxKontextTransportException;
import io.github.fluxkontext.camel.model.KontextResult;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.FalSimulatorExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances (CamelContexts, each with a component, a DataSource and a {@link JdbcSubmissionLedger} of its own)
 * share one PostgreSQL table; the same keys reach both at the same moment, as when two consumers get the same
 * message. The database decides which one submits: submits = distinct keys.
 */
class SharedPostgresInstancesTest {

    static final int KEYS = 20;

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    @RegisterExtension
    static final FalSimulatorExtension FAL = FalSimulatorExtension.create(simulator -> simulator
            .apiKey(FluxKontextTestSupport.KEY).queueTime(Duration.ofMillis(20)).runTime(Duration.ofMillis(300)).runners(64)
            .imageScale(0.125));

    private final String table = TestPostgres.newTableName();
    private final List<CamelContext> instances = new ArrayList<>();

    @AfterEach
    void stop() throws SQLException {
        instances.forEach(CamelContext::stop);
        POSTGRES.dropTables(List.of(table));
    }

    @Test
    void theSameKeysSentToTwoInstancesAtOnceAreSubmittedOnceEach() throws Exception {
        List<ProducerTemplate> templates = List.of(instance(), instance());
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService senders = Executors.newFixedThreadPool(2 * KEYS);
        Map<String, Set<String>> requestIds = new TreeMap<>();
        List<String> underWay = new ArrayList<>();
        int messages = 0;
        try {
            Map<String, List<Future<KontextResult>>> deliveries = new TreeMap<>();
            for (int k = 0; k < KEYS; k++) {
                String key = "order-" + k;
                for (ProducerTemplate template : templates) {
                    deliveries.computeIfAbsent(key, x -> new ArrayList<>()).add(senders.submit(() -> {
                        go.await();
                        return template.requestBodyAndHeader("flux-kontext:text-to-image", "a fox for " + key,
                                FluxKontextConstants.IDEMPOTENCY_KEY, key, KontextResult.class);
                    }));
                    messages++;
                }
            }
            go.countDown();
            for (Map.Entry<String, List<Future<KontextResult>>> key : deliveries.entrySet()) {
                for (Future<KontextResult> delivery : key.getValue()) {
                    try {
                        requestIds.computeIfAbsent(key.getKey(), x -> new TreeSet<>()).add(delivery.get(60, TimeUnit.SECONDS).requestId());
                    } catch (java.util.concurrent.ExecutionException e) {
                        // the other instance's submit of this key was not answered yet
                        assertTrue(((FluxKontextTransportException) ((CamelExecutionException) e.getCause()).getCause()).isOutcomeUnknown());
                        underWay.add(key.getKey());
                    }
                }
            }
        } finally {
            senders.shutdownNow();
        }
        // the source delivers those again, to either instance: they wait for the job the other one submitted
        for (int i = 0; i < underWay.size(); i++) {
            String key = underWay.get(i);
            requestIds.get(key).add(templates.get(i % 2).requestBodyAndHeader("flux-kontext:text-to-image", "a fox for " + key,
                    FluxKontextConstants.IDEMPOTENCY_KEY, key, KontextResult.class).requestId());
            messages++;
        }

        int submits = FAL.simulator().journal().count(FalOperation.SUBMIT);
        System.out.printf("two instances on one PostgreSQL: messages %d, distinct keys %d, submits %d, jobs the simulator created %d,"
                          + " deliveries that found the other instance's submit under way (delivered again) %d%n",
                messages, requestIds.size(), submits, FAL.simulator().jobs().size(), underWay.size());
        assertEquals(KEYS, requestIds.size());
        assertEquals(KEYS, submits, "submits = distinct keys");
        assertEquals(KEYS, FAL.simulator().jobs().size());
        requestIds.forEach((key, ids) -> assertEquals(1, ids.size(), key + ": every delivery got the one job, " + ids));
    }

    /** An instance: a CamelContext whose component has its own DataSource and ledger on the shared table. */
    private ProducerTemplate instance() {
        CamelContext context = new DefaultCamelContext();
        FluxKontextComponent component = new FluxKontextComponent();
        FluxKontextConfiguration configuration = component.getConfiguration();
        configuration.setBaseUrl(FAL.baseUrl());
        configuration.setApiKey(FluxKontextTestSupport.KEY);
        configuration.setAuthScheme(AuthScheme.KEY);
        configuration.setPollInterval(20);
        configuration.setMaxPollInterval(100);
        configuration.setLedger(new JdbcSubmissionLedger(POSTGRES.newDataSource(), table));
        context.addComponent("flux-kontext", component);
        context.start();
        instances.add(context);
        return context.createProducerTemplate();
    }
}
