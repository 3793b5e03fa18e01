package io.github.fluxkontext.camel;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.fluxkontext.camel.ledger.FileSubmissionLedger;
import io.github.fluxkontext.camel.ledger.SubmissionLedger;
import io.github.fluxkontext.camel.model.FluxKontextStoppedException;
import io.github.fluxkontext.camel.model.FluxKontextTimeoutException;
import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextResult;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.JobSnapshot;
import io.github.fluxkontext.simulator.JournalEntry;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.github.fluxkontext.camel.FluxKontextConstants.IDEMPOTENCY_KEY;
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
        int doneWhenQueuedWasRead = done.get(); // read after queued: at most the exchanges done by then
        long threadsWhileQueued = componentThreads();
        await().atMost(Duration.ofMinutes(2)).until(() -> done.get() == jobs);
        producer.stop();

        // every exchange neither done nor holding one of the ten places waits in the queue (50: exchanges
        // between their place's release and their callback); how many are done by then is the machine's pace
        assertTrue(queued >= jobs - doneWhenQueuedWasRead - 10 - 50,
                "the exchanges not done wait for a place: " + queued + " queued, " + doneWhenQueuedWasRead + " done");
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

    /**
     * A restart: the first life submitted {@value #REDELIVERED} keyed jobs and died while they ran; the second, with
     * maxConcurrentJobs={@value #LIMIT}, gets those messages again (it continues their jobs, which run at fal
     * anyway) and new ones. The new ones wait until fewer than the limit are in flight.
     */
    @Test
    void afterARestartRedeliveredJobsCountAndTheSimulatorNeverSeesMoreJobsThanTheLimit(@TempDir Path directory) throws Exception {
        FileSubmissionLedger ledger = new FileSubmissionLedger(directory);
        sim().setTimings(Duration.ofMillis(5), Duration.ofMillis(2500));
        CamelContext firstLife = instance(0, ledger);
        for (int i = 0; i < REDELIVERED; i++) {
            firstLife.createProducerTemplate().requestBodyAndHeader(T2I + "?waitForResult=false", "first life " + i, IDEMPOTENCY_KEY, "key-" + i);
        }
        firstLife.stop(); // the jobs run on at the simulator

        CamelContext secondLife = instance(LIMIT, ledger);
        ProducerTemplate template = secondLife.createProducerTemplate();
        List<CompletableFuture<KontextResult>> exchanges = new ArrayList<>();
        for (int i = 0; i < REDELIVERED; i++) {
            exchanges.add(template.asyncRequestBodyAndHeader(T2I, "first life " + i, IDEMPOTENCY_KEY, "key-" + i, KontextResult.class));
        }
        FluxKontextEndpoint endpoint = secondLife.getEndpoint(T2I, FluxKontextEndpoint.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.getWaitingJobs() == REDELIVERED); // their jobs run at fal
        for (int i = 0; i < NEW_MESSAGES; i++) {
            exchanges.add(template.asyncRequestBodyAndHeader(T2I, "second life " + i, IDEMPOTENCY_KEY, "new-" + i, KontextResult.class));
        }
        for (CompletableFuture<KontextResult> exchange : exchanges) {
            assertEquals(1, exchange.get(60, TimeUnit.SECONDS).images().size());
        }
        secondLife.stop();

        assertEquals(REDELIVERED + NEW_MESSAGES, sim().journal().count(FalOperation.SUBMIT), "the redelivered ones submitted nothing");
        int most = mostJobsAtOnce(sim().jobs());
        System.out.printf("restart with %d redelivered jobs and %d new messages, maxConcurrentJobs=%d: at most %d jobs at the"
                          + " simulator at once%n", REDELIVERED, NEW_MESSAGES, LIMIT, most);
        assertEquals(LIMIT, most, "the limit is used and never exceeded");
    }

    @Test
    void resultWaitsCountAndNewSubmitsWaitUntilTheCountIsUnderTheLimit() throws Exception {
        sim().setTimings(Duration.ofMillis(5), Duration.ofMillis(2500));
        CamelContext context = instance(LIMIT, null);
        ProducerTemplate template = context.createProducerTemplate();
        List<KontextJob> running = new ArrayList<>();
        for (int i = 0; i < REDELIVERED; i++) {
            running.add(template.requestBody(T2I + "?waitForResult=false", "submitted earlier " + i, KontextJob.class));
        }
        List<CompletableFuture<KontextResult>> exchanges = new ArrayList<>();
        for (KontextJob job : running) {
            exchanges.add(template.asyncRequestBody("flux-kontext:result", job, KontextResult.class));
        }
        FluxKontextEndpoint results = context.getEndpoint("flux-kontext:result", FluxKontextEndpoint.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> results.getWaitingJobs() == REDELIVERED);
        for (int i = 0; i < NEW_MESSAGES; i++) {
            exchanges.add(template.asyncRequestBody(T2I, "new " + i, KontextResult.class));
        }
        for (CompletableFuture<KontextResult> exchange : exchanges) {
            assertEquals(1, exchange.get(60, TimeUnit.SECONDS).images().size());
        }
        context.stop();

        assertEquals(LIMIT, mostJobsAtOnce(sim().jobs()), "the limit is used and never exceeded");
    }

    static final int LIMIT = 4;
    static final int REDELIVERED = 3;
    static final int NEW_MESSAGES = 6;
    static final String T2I = "flux-kontext:text-to-image";

    /** An application instance: a CamelContext whose component has this limit (0: none) and ledger (null: its own). */
    private CamelContext instance(int maxConcurrentJobs, SubmissionLedger ledger) {
        CamelContext instance = new DefaultCamelContext();
        FluxKontextComponent component = new FluxKontextComponent();
        configure(component.getConfiguration());
        component.getConfiguration().setLedger(ledger);
        component.setMaxConcurrentJobs(maxConcurrentJobs);
        instance.addComponent("flux-kontext", component);
        instance.start();
        instances.add(instance);
        return instance;
    }

    private final List<CamelContext> instances = new ArrayList<>();

    @AfterEach
    void stopInstances() {
        instances.forEach(CamelContext::stop);
    }

    /**
     * A queued exchange gets its place on a route thread, where its File input is read: never on the component's
     * internal threads, which must not block. Java Flight Recorder sees every read of the file, and on which thread.
     */
    @Test
    void aQueuedExchangesFileIsReadWhereBlockingIsAllowedNeverOnTheInternalThreads(@TempDir Path directory) throws Exception {
        File image = Files.write(directory.resolve("in.png"), TestImages.png(32, 32)).toFile();
        FluxKontextEndpoint edit = context.getEndpoint("flux-kontext:edit?prompt=blue", FluxKontextEndpoint.class);
        List<Future<Object>> holders = new ArrayList<>();
        List<String> readers;
        try (Recording recording = new Recording()) {
            recording.enable("jdk.FileRead").withThreshold(Duration.ZERO).withoutStackTrace();
            recording.start(); // first: starting the recorder may take a while
            sim().setTimings(Duration.ofMillis(5), Duration.ofSeconds(3));
            for (int i = 0; i < 10; i++) {
                holders.add(template.asyncRequestBody(T2I, "holds a place " + i));
            }
            await().until(() -> sim().journal().count(FalOperation.SUBMIT) == 10);
            Future<Object> queued = template.asyncRequestBody("flux-kontext:edit?prompt=blue", image);
            await().until(() -> edit.getQueuedForAPlace() == 1);
            assertInstanceOf(KontextResult.class, queued.get(30, TimeUnit.SECONDS));
            recording.stop();
            Path dump = directory.resolve("reads.jfr");
            recording.dump(dump);
            readers = RecordingFile.readAllEvents(dump).stream()
                    .filter(event -> image.getPath().equals(event.getString("path")))
                    .map(event -> event.getThread().getJavaName()).toList();
        }
        for (Future<Object> holder : holders) {
            holder.get(30, TimeUnit.SECONDS);
        }

        assertTrue(readers.stream().anyMatch(thread -> thread.endsWith("- FluxKontextRoute")), "read on a route thread: " + readers);
        assertTrue(readers.stream().noneMatch(thread -> thread.endsWith("- FluxKontext")), "never on an internal thread: " + readers);
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
