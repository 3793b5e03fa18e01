package io.github.fluxkontext.camel;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.fluxkontext.camel.model.FluxKontextStoppedException;
import io.github.fluxkontext.camel.model.FluxKontextTimeoutException;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.JobSnapshot;
import io.github.fluxkontext.simulator.JournalEntry;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** maxConcurrentJobs: a bound on jobs in flight, with a fair queue that holds no thread. */
class MaxConcurrentJobsTest extends FluxKontextTestSupport {

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getComponent("flux-kontext", FluxKontextComponent.class).setMaxConcurrentJobs(10);
        return context;
    }

    @Test
    void aThousandExchangesThroughTenPlacesKeepAtMostTenJobsAtTheSimulatorInOrder() throws Exception {
        int jobs = 1000;
        sim().setTimings(Duration.ofMillis(5), Duration.ofMillis(20));
        FluxKontextEndpoint endpoint = context.getEndpoint("flux-kontext:text-to-image?outputType=urls", FluxKontextEndpoint.class);
        AsyncProducer producer = endpoint.createAsyncProducer();
        producer.start();
        template.requestBody("flux-kontext:text-to-image?outputType=urls", "warm-up"); // the component's pools exist from now on
        sim().journal().clear();
        long threadsBefore = componentThreads();
        AtomicInteger done = new AtomicInteger();
        List<Exchange> exchanges = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            Exchange exchange = new DefaultExchange(context);
            exchange.getMessage().setBody(String.format("job %04d", i));
            exchanges.add(exchange);
            producer.process(exchange, doneSync -> done.incrementAndGet());
        }
        int queued = endpoint.getQueuedForAPlace();
        long threadsWhileQueued = componentThreads();
        await().atMost(Duration.ofMinutes(2)).until(() -> done.get() == jobs);
        producer.stop();

        assertTrue(queued >= jobs - 10 - 50, "most exchanges waited for a place: " + queued);
        assertTrue(threadsWhileQueued - threadsBefore < 10, "queued exchanges hold no thread: " + threadsBefore + " -> " + threadsWhileQueued);
        exchanges.forEach(e -> assertNull(e.getException(), () -> "failed: " + e.getException()));
        assertEquals(jobs, sim().journal().count(FalOperation.SUBMIT));
        List<JobSnapshot> created = sim().jobs().stream().filter(j -> !"warm-up".equals(j.input().get("prompt"))).toList();
        int most = mostJobsAtOnce(created);
        System.out.printf("maxConcurrentJobs=10: %d exchanges, at most %d jobs at the simulator at once, %d queued at the peak%n",
                jobs, most, queued);
        assertTrue(most <= 10, "never more than 10 jobs at the simulator at once: " + most);
        List<String> order = sim().journal().entries(FalOperation.SUBMIT).stream().map(JournalEntry::bodyAsJson)
                .map(json -> (String) json.get("prompt")).toList();
        // places are handed out first come, first served; the ten submits in flight at once may reach the
        // server in any order among themselves, but no exchange overtakes one that waited longer than that
        int displacement = 0;
        for (int position = 0; position < order.size(); position++) {
            displacement = Math.max(displacement, Math.abs(position - Integer.parseInt(order.get(position).substring(4))));
        }
        assertTrue(displacement < 10, "submits follow the order of arrival within the ten places: off by " + displacement);
    }

    /** Threads of this JVM but the simulator's (it serves the requests in this JVM too). */
    private static long componentThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> !t.getName().startsWith("fal-sim-")).count();
    }

    /** The most jobs created and not completed at one instant, from the simulator's own times. */
    private static int mostJobsAtOnce(List<JobSnapshot> jobs) {
        record Change(Instant at, int delta) {
        }
        List<Change> changes = new ArrayList<>();
        for (JobSnapshot job : jobs) {
            changes.add(new Change(job.createdAt(), +1));
            changes.add(new Change(job.completedAt(), -1));
        }
        // at the same instant a completion comes before a creation: the place is free by then
        changes.sort(Comparator.comparing(Change::at).thenComparingInt(Change::delta));
        int now = 0;
        int most = 0;
        for (Change change : changes) {
            now += change.delta();
            most = Math.max(most, now);
        }
        return most;
    }

    @Test
    void waitingForAPlaceCountsAgainstTheTimeoutAndSendsNothing() throws Exception {
        sim().setTimings(Duration.ofSeconds(30), RUN_TIME);
        List<Future<Object>> holders = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            holders.add(template.asyncRequestBody("flux-kontext:text-to-image", "holds a place " + i));
        }
        await().until(() -> sim().journal().count(FalOperation.SUBMIT) == 10);

        FluxKontextTimeoutException e = failure(FluxKontextTimeoutException.class, "flux-kontext:text-to-image?timeout=300", "no place",
                Map.of());

        assertTrue(e.getMessage().contains("No job was submitted"), e.getMessage());
        assertNull(e.getRequestId());
        assertEquals(10, sim().journal().count(FalOperation.SUBMIT), "nothing sent for the exchange that waited");
        context.stop();
    }

    @Test
    void stoppingFailsTheQueuedExchangesWithNothingSent() throws Exception {
        sim().setTimings(Duration.ofSeconds(30), RUN_TIME);
        for (int i = 0; i < 10; i++) {
            template.asyncRequestBody("flux-kontext:text-to-image", "holds a place " + i);
        }
        await().until(() -> sim().journal().count(FalOperation.SUBMIT) == 10);
        List<Future<Object>> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            queued.add(template.asyncRequestBody("flux-kontext:text-to-image", "queued " + i));
        }
        FluxKontextEndpoint endpoint = context.getEndpoint("flux-kontext:text-to-image", FluxKontextEndpoint.class);
        await().until(() -> endpoint.getQueuedForAPlace() == 3);

        endpoint.stop();

        for (Future<Object> call : queued) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
            FluxKontextStoppedException stopped = assertInstanceOf(FluxKontextStoppedException.class, e.getCause().getCause());
            assertNull(stopped.getRequestId(), "no job exists for it");
        }
        assertEquals(10, sim().journal().count(FalOperation.SUBMIT), "the queued exchanges sent nothing");
    }
}
