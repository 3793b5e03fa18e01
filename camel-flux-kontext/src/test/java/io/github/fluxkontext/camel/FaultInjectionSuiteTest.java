package io.github.fluxkontext.camel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.fluxkontext.camel.client.SubmitRetry;
import io.github.fluxkontext.camel.model.FluxKontextException;
import io.github.fluxkontext.camel.model.FluxKontextTransportException;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A thousand jobs through a storm of injected faults on submit, status, status stream and result: 429
 * with and without Retry-After, 5xx, dropped connections (before the server handles a request, and after it
 * created a job), streams refused, broken or silent; once waiting on status streams, once by polling. Every job is accounted for: it completed, or its exchange failed with the request
 * id, or it was never created, or its exchange says a job may exist without an id (the one case no
 * client can resolve: fal has no idempotency key). None is silently lost, none is paid twice, and
 * stopping the context leaves no thread behind. Prints the figures.
 */
class FaultInjectionSuiteTest extends FluxKontextTestSupport {

    /** The figures of one run. */
    record Figures(int jobs, long elapsedMs, int faultsInjected, int submitRequests, int jobsCreated, int completed,
                   int failedWithId, int failedBeforeAJob, int outcomeUnknown, long lost, int duplicates, long retries,
                   int threadsBefore, int threadsAfter, List<String> threadsLeft) {

        void print(String title) {
            System.out.printf("%n%s: %d jobs in %d ms, %d faults injected%n", title, jobs, elapsedMs, faultsInjected);
            System.out.printf("  submit requests      %5d (jobs created at fal: %d)%n", submitRequests, jobsCreated);
            System.out.printf("  completed            %5d%n", completed);
            System.out.printf("  failed with an id    %5d%n", failedWithId);
            System.out.printf("  failed before a job  %5d (turned away or broken before fal created a job)%n", failedBeforeAJob);
            System.out.printf("  outcome unknown      %5d (answer lost after fal created the job; the exchange says so)%n", outcomeUnknown);
            System.out.printf("  lost                 %5d%n", lost);
            System.out.printf("  duplicate submits    %5d%n", duplicates);
            System.out.printf("  retries made         %5d%n", retries);
            System.out.printf("  threads (not the simulator's): before start %d, after stop %d%n%n", threadsBefore, threadsAfter);
        }
    }

    @ParameterizedTest
    @EnumSource(value = WaitMode.class, names = { "STREAM", "POLL" })
    void everyJobIsAccountedForUnderFaults(WaitMode waitMode) throws Exception {
        Figures figures = run(1000, SubmitRetry.SAFE, waitMode);
        figures.print("fault-injection suite (submitRetry=safe, waitMode=" + waitMode + ")");

        assertEquals(figures.jobs(), figures.completed() + figures.failedWithId() + figures.failedBeforeAJob() + figures.outcomeUnknown());
        assertEquals(0, figures.lost(), "lost jobs");
        assertEquals(0, figures.duplicates(), "duplicate submits under the default policy");
        assertTrue(figures.outcomeUnknown() > 0, "the suite injects answers lost after the job was created");
        assertTrue(figures.completed() > figures.jobs() * 0.85, "most jobs get through the faults: " + figures.completed());
        assertTrue(figures.retries() > 100, "the faults caused retries: " + figures.retries());
        assertEquals(List.of(), figures.threadsLeft(), "threads left behind");
    }

    /**
     * The duplicate and lost counts are real: with submitRetry=all, a submit whose answer was lost is sent
     * again, which pays twice and leaves the first job known to nobody; the same measurement sees it.
     */
    @Test
    void submitRetryAllShowsTheDuplicatesTheDefaultAvoids() throws Exception {
        Figures figures = run(200, SubmitRetry.ALL, WaitMode.STREAM);
        figures.print("fault-injection suite (submitRetry=all)");

        assertTrue(figures.duplicates() > 0, "with submitRetry=all a lost answer is sent again: " + figures.duplicates());
        assertTrue(figures.lost() > 0, "and the first of such jobs is billed but known to nobody: " + figures.lost());
    }

    private Figures run(int jobs, SubmitRetry submitRetry, WaitMode waitMode) throws Exception {
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
        component.getConfiguration().setSubmitRetry(submitRetry);
        component.getConfiguration().setWaitMode(waitMode);
        component.getConfiguration().setStreamIdleTimeout(1000);
        camel.addComponent("flux-kontext", component);
        camel.start();
        injectFaults();

        FluxKontextEndpoint endpoint = camel.getEndpoint("flux-kontext:text-to-image", FluxKontextEndpoint.class);
        AsyncProducer producer = endpoint.createAsyncProducer();
        producer.start();
        long started = System.nanoTime();
        List<Exchange> exchanges = new ArrayList<>();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger[] doneCalls = new AtomicInteger[jobs];
        for (int i = 0; i < jobs; i++) {
            Exchange exchange = new DefaultExchange(camel);
            exchange.getMessage().setBody(prompt(i));
            exchanges.add(exchange);
            AtomicInteger calls = doneCalls[i] = new AtomicInteger();
            producer.process(exchange, doneSync -> {
                calls.incrementAndGet();
                done.incrementAndGet();
            });
        }
        await().atMost(Duration.ofMinutes(5)).until(() -> done.get() == jobs);
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        long retries = endpoint.getClient().retryCount();
        int faultsInjected = sim().faults().injected();
        producer.stop();
        camel.stop();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> newThreadsSince(threadsBefore).isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException leftBehind) {
            // reported below, with the names of the threads left behind
        }
        for (int i = 0; i < jobs; i++) {
            assertEquals(1, doneCalls[i].get(), "the callback of exchange " + i + " was called once");
        }

        // what the simulator created, by prompt
        Map<String, List<String>> jobsByPrompt = new HashMap<>();
        for (JobSnapshot job : sim().jobs()) {
            jobsByPrompt.computeIfAbsent((String) job.input().get("prompt"), p -> new ArrayList<>()).add(job.requestId());
        }
        // what the route knows: request ids, and prompts whose exchange reported that a job may exist
        Set<String> knownIds = new HashSet<>();
        Set<String> reportedUnknown = new HashSet<>();
        int completed = 0;
        int failedWithId = 0;
        int failedBeforeAJob = 0;
        for (int i = 0; i < jobs; i++) {
            Exchange exchange = exchanges.get(i);
            Exception error = exchange.getException();
            if (error == null) {
                KontextResult result = exchange.getMessage().getBody(KontextResult.class);
                assertEquals(prompt(i), result.prompt());
                knownIds.add(result.requestId());
                completed++;
                continue;
            }
            assertFalse(error.getMessage().contains(KEY), "the key is in an exception message");
            String id = error instanceof FluxKontextException fke ? fke.getRequestId() : null;
            if (id != null) {
                knownIds.add(id);
                failedWithId++;
            } else if (error instanceof FluxKontextTransportException transport && transport.isOutcomeUnknown()) {
                reportedUnknown.add(prompt(i));
            } else {
                assertTrue(jobsByPrompt.getOrDefault(prompt(i), List.of()).isEmpty(),
                        () -> "an exchange that says no job was created has a job at fal: " + error);
                failedBeforeAJob++;
            }
        }
        // lost: a job at fal whose id the route does not know, and whose exchange did not say a job may exist
        long lost = jobsByPrompt.entrySet().stream()
                .filter(entry -> !reportedUnknown.contains(entry.getKey()))
                .flatMap(entry -> entry.getValue().stream())
                .filter(id -> !knownIds.contains(id))
                .count();
        int duplicates = jobsByPrompt.values().stream().mapToInt(ids -> ids.size() - 1).sum();
        return new Figures(jobs, elapsedMs, faultsInjected, sim().journal().count(FalOperation.SUBMIT),
                jobsByPrompt.values().stream().mapToInt(List::size).sum(), completed, failedWithId, failedBeforeAJob,
                reportedUnknown.size(), lost, duplicates, retries, threadsBefore.size(), componentThreads().size(),
                newThreadsSince(threadsBefore));
    }

    private static void injectFaults() {
        sim().faults().seed(20261121L);
        // submit: turned away before a job exists (429, 5xx, a connection dropped while the request is read) ...
        sim().faults().add(Fault.on(FalOperation.SUBMIT).status(429).probability(0.06).always());
        sim().faults().add(Fault.on(FalOperation.SUBMIT).status(429).retryAfter("1").probability(0.02).always());
        sim().faults().add(Fault.on(FalOperation.SUBMIT).status(503).probability(0.05).always());
        sim().faults().add(Fault.on(FalOperation.SUBMIT).status(500).probability(0.01).always());
        sim().faults().add(Fault.on(FalOperation.SUBMIT).status(502).probability(0.01).always());
        sim().faults().add(Fault.on(FalOperation.SUBMIT).status(504).probability(0.01).always());
        sim().faults().add(Fault.on(FalOperation.SUBMIT).dropConnection().probability(0.02).always());
        // ... and the answer lost after the job was created
        sim().faults().add(Fault.on(FalOperation.SUBMIT).dropConnectionAfterHandling().probability(0.02).always());
        // status: every transient kind
        sim().faults().add(Fault.on(FalOperation.STATUS).status(503).probability(0.08).always());
        sim().faults().add(Fault.on(FalOperation.STATUS).status(502).probability(0.03).always());
        sim().faults().add(Fault.on(FalOperation.STATUS).status(500).probability(0.02).always());
        sim().faults().add(Fault.on(FalOperation.STATUS).status(429).probability(0.03).always());
        sim().faults().add(Fault.on(FalOperation.STATUS).status(429).retryAfter("1").probability(0.01).always());
        sim().faults().add(Fault.on(FalOperation.STATUS).dropConnection().probability(0.03).always());
        // status stream (waitMode=stream): refused, not an event stream, broken midway, silent; each falls back to polling
        sim().faults().add(Fault.on(FalOperation.STATUS_STREAM).status(503).probability(0.05).always());
        sim().faults().add(Fault.on(FalOperation.STATUS_STREAM).notEventStream().probability(0.02).always());
        sim().faults().add(Fault.on(FalOperation.STATUS_STREAM).breakStreamAfterEvents(1).probability(0.05).always());
        sim().faults().add(Fault.on(FalOperation.STATUS_STREAM).silentStream().probability(0.02).always());
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
