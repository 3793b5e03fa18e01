package io.github.fluxkontext.camel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.fluxkontext.camel.model.FluxKontextException;
import io.github.fluxkontext.camel.model.KontextResult;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.Fault;
import io.github.fluxkontext.simulator.JobSnapshot;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A thousand jobs through a storm of injected faults on submit, status and result: 429 with and
 * without Retry-After, 5xx, dropped connections. Every job is accounted for: it completed, or its
 * exchange failed with the request id, or it was never created. None is lost, none is paid twice,
 * and stopping the context leaves no thread behind. Prints the figures.
 */
class FaultInjectionSuiteTest extends FluxKontextTestSupport {

    private static final int JOBS = 1000;

    @Test
    void everyJobIsAccountedForUnderFaults() throws Exception {
        Set<Thread> threadsBefore = componentThreads();
        CamelContext camel = new DefaultCamelContext();
        FluxKontextComponent component = new FluxKontextComponent();
        configure(component.getConfiguration());
        component.getConfiguration().setMaxRetries(6);
        component.getConfiguration().setRetryDelay(10);
        component.getConfiguration().setMaxRetryDelay(1500);
        component.getConfiguration().setPollInterval(30);
        component.getConfiguration().setMaxPollInterval(200);
        component.getConfiguration().setTimeout(120_000);
        camel.addComponent("flux-kontext", component);
        camel.start();
        injectFaults();

        FluxKontextEndpoint endpoint = camel.getEndpoint("flux-kontext:text-to-image", FluxKontextEndpoint.class);
        AsyncProducer producer = endpoint.createAsyncProducer();
        producer.start();
        long started = System.nanoTime();
        List<Exchange> exchanges = new ArrayList<>();
        AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < JOBS; i++) {
            Exchange exchange = new DefaultExchange(camel);
            exchange.getMessage().setBody(prompt(i));
            exchanges.add(exchange);
            producer.process(exchange, doneSync -> done.incrementAndGet());
        }
        await().atMost(Duration.ofMinutes(5)).until(() -> done.get() == JOBS);
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        long retries = endpoint.getClient().retryCount();
        int faultsInjected = sim().faults().injected();
        producer.stop();
        camel.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> newThreadsSince(threadsBefore).isEmpty());
        int threadsAfter = componentThreads().size();

        // what the simulator created, by prompt
        Map<String, List<String>> jobsByPrompt = new HashMap<>();
        for (JobSnapshot job : sim().jobs()) {
            jobsByPrompt.computeIfAbsent((String) job.input().get("prompt"), p -> new ArrayList<>()).add(job.requestId());
        }
        // what the route knows
        Set<String> knownIds = new HashSet<>();
        int completed = 0;
        int failedWithId = 0;
        int failedBeforeAJob = 0;
        for (int i = 0; i < JOBS; i++) {
            Exchange exchange = exchanges.get(i);
            Exception error = exchange.getException();
            if (error == null) {
                KontextResult result = exchange.getMessage().getBody(KontextResult.class);
                assertEquals(prompt(i), result.prompt());
                knownIds.add(result.requestId());
                completed++;
            } else {
                assertFalse(error.getMessage().contains(KEY), "the key is in an exception message");
                String id = error instanceof FluxKontextException fke ? fke.getRequestId() : null;
                if (id != null) {
                    knownIds.add(id);
                    failedWithId++;
                } else {
                    assertTrue(jobsByPrompt.getOrDefault(prompt(i), List.of()).isEmpty(),
                            () -> "an exchange without request id has a job at fal: " + error);
                    failedBeforeAJob++;
                }
            }
        }
        int jobsCreated = jobsByPrompt.values().stream().mapToInt(List::size).sum();
        long lost = jobsByPrompt.values().stream().flatMap(List::stream).filter(id -> !knownIds.contains(id)).count();
        int duplicates = jobsByPrompt.values().stream().mapToInt(ids -> ids.size() - 1).sum();
        int submitRequests = sim().journal().count(FalOperation.SUBMIT);

        System.out.printf("%nfault-injection suite: %d jobs in %d ms, %d faults injected%n", JOBS, elapsedMs, faultsInjected);
        System.out.printf("  submit requests      %5d (jobs created at fal: %d)%n", submitRequests, jobsCreated);
        System.out.printf("  completed            %5d%n", completed);
        System.out.printf("  failed with an id    %5d%n", failedWithId);
        System.out.printf("  failed before a job  %5d (turned away or broken before fal created a job)%n", failedBeforeAJob);
        System.out.printf("  lost                 %5d%n", lost);
        System.out.printf("  duplicate submits    %5d%n", duplicates);
        System.out.printf("  retries made         %5d%n", retries);
        System.out.printf("  threads (not the simulator's): before start %d, after stop %d%n%n", threadsBefore.size(), threadsAfter);

        assertEquals(JOBS, completed + failedWithId + failedBeforeAJob);
        assertEquals(0, lost, "lost jobs");
        assertEquals(0, duplicates, "duplicate submits under the default policy");
        assertTrue(completed > JOBS * 0.9, "most jobs get through the faults: " + completed);
        assertTrue(retries > 100, "the faults caused retries: " + retries);
        assertEquals(List.of(), newThreadsSince(threadsBefore), "threads left behind");
    }

    private static void injectFaults() {
        sim().faults().seed(20261121L);
        // submit: turned away before a job exists (429, 5xx, a connection dropped while the request is read)
        sim().faults().add(Fault.on(FalOperation.SUBMIT).status(429).probability(0.06).always());
        sim().faults().add(Fault.on(FalOperation.SUBMIT).status(429).retryAfter("1").probability(0.02).always());
        sim().faults().add(Fault.on(FalOperation.SUBMIT).status(503).probability(0.05).always());
        sim().faults().add(Fault.on(FalOperation.SUBMIT).status(500).probability(0.01).always());
        sim().faults().add(Fault.on(FalOperation.SUBMIT).status(502).probability(0.01).always());
        sim().faults().add(Fault.on(FalOperation.SUBMIT).status(504).probability(0.01).always());
        sim().faults().add(Fault.on(FalOperation.SUBMIT).dropConnection().probability(0.02).always());
        // status: every transient kind
        sim().faults().add(Fault.on(FalOperation.STATUS).status(503).probability(0.08).always());
        sim().faults().add(Fault.on(FalOperation.STATUS).status(502).probability(0.03).always());
        sim().faults().add(Fault.on(FalOperation.STATUS).status(500).probability(0.02).always());
        sim().faults().add(Fault.on(FalOperation.STATUS).status(429).probability(0.03).always());
        sim().faults().add(Fault.on(FalOperation.STATUS).status(429).retryAfter("1").probability(0.01).always());
        sim().faults().add(Fault.on(FalOperation.STATUS).dropConnection().probability(0.03).always());
        // result
        sim().faults().add(Fault.on(FalOperation.RESULT).status(503).probability(0.05).always());
        sim().faults().add(Fault.on(FalOperation.RESULT).status(504).probability(0.02).always());
        sim().faults().add(Fault.on(FalOperation.RESULT).status(429).retryAfter("1").probability(0.02).always());
        sim().faults().add(Fault.on(FalOperation.RESULT).dropConnection().probability(0.03).always());
    }

    private static String prompt(int i) {
        return "suite job " + i;
    }

    /** Live threads that are not the simulator's (it runs in this JVM). */
    private static Set<Thread> componentThreads() {
        Set<Thread> threads = new HashSet<>(Thread.getAllStackTraces().keySet());
        threads.removeIf(t -> !t.isAlive() || t.getName().startsWith("fal-sim"));
        return threads;
    }

    /** Threads alive now that were not before, leaving out the test tools' own (output flusher, awaitility's poller). */
    private static List<String> newThreadsSince(Set<Thread> before) {
        return componentThreads().stream().filter(t -> !before.contains(t)).map(Thread::getName)
                .filter(name -> !name.startsWith("surefire-") && !name.startsWith("awaitility")).toList();
    }
}
