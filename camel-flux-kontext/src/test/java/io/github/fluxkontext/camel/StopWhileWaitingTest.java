package io.github.fluxkontext.camel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.fluxkontext.camel.model.FluxKontextStoppedException;
import io.github.fluxkontext.camel.model.FluxKontextTransportException;
import io.github.fluxkontext.camel.model.KontextResult;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.Fault;
import io.github.fluxkontext.simulator.JobSnapshot;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stopping the CamelContext while exchanges wait for their jobs: nothing hangs, nothing leaks, no job is lost. */
class StopWhileWaitingTest extends FluxKontextTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:generate").to("flux-kontext:text-to-image");
            }
        };
    }

    @Test
    void stoppingFailsWaitingExchangesWithTheirRequestId() throws Exception {
        sim().setTimings(Duration.ofSeconds(60), Duration.ofMillis(60));
        context.getShutdownStrategy().setTimeout(1);
        List<Future<Object>> pending = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pending.add(template.asyncRequestBody("direct:generate", "a fox that never comes " + i));
        }
        await().until(() -> context.getEndpoint("flux-kontext:text-to-image", FluxKontextEndpoint.class).getWaitingJobs() == 5);

        context.stop();

        List<String> submitted = sim().jobs().stream().map(JobSnapshot::requestId).toList();
        for (Future<Object> future : pending) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
            FluxKontextStoppedException stopped = assertInstanceOf(FluxKontextStoppedException.class, e.getCause().getCause());
            assertTrue(submitted.contains(stopped.getRequestId()), "carries the id of a submitted job: " + stopped.getRequestId());
            assertTrue(stopped.getMessage().startsWith("Stopped while waiting for job " + stopped.getRequestId()), stopped.getMessage());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> componentThreads().isEmpty());
    }

    @Test
    void stoppingDuringASubmitsRetryDelayEndsTheExchangeAndSaysNoJobWasCreated() throws Exception {
        sim().faults().add(Fault.on(FalOperation.SUBMIT).status(429).retryAfter("30"));
        context.getShutdownStrategy().setTimeout(1);
        Future<Object> pending = template.asyncRequestBody("flux-kontext:text-to-image?maxRetryDelay=60s", "a fox in line");
        FluxKontextEndpoint endpoint = context.getEndpoint("flux-kontext:text-to-image?maxRetryDelay=60s", FluxKontextEndpoint.class);
        await().until(() -> sim().journal().count(FalOperation.SUBMIT) == 1 && endpoint.getClient().pendingCalls() == 1);

        context.stop();

        ExecutionException e = assertThrows(ExecutionException.class, () -> pending.get(10, TimeUnit.SECONDS));
        FluxKontextTransportException stopped = assertInstanceOf(FluxKontextTransportException.class, e.getCause().getCause());
        assertFalse(stopped.isOutcomeUnknown(), "the 429 created no job and the retry was never sent: " + stopped.getMessage());
        assertEquals(1, sim().journal().count(FalOperation.SUBMIT));
        assertEquals(0, sim().jobs().size());
    }

    @Test
    void stoppingTheComponentAloneEndsItsWaitsToo() throws Exception {
        sim().setTimings(Duration.ofSeconds(60), Duration.ofMillis(60));
        Future<Object> pending = template.asyncRequestBody("direct:generate", "a fox left waiting");
        FluxKontextEndpoint endpoint = context.getEndpoint("flux-kontext:text-to-image", FluxKontextEndpoint.class);
        await().until(() -> endpoint.getWaitingJobs() == 1);

        context.getComponent("flux-kontext", FluxKontextComponent.class).stop();

        ExecutionException e = assertThrows(ExecutionException.class, () -> pending.get(10, TimeUnit.SECONDS));
        FluxKontextStoppedException stopped = assertInstanceOf(FluxKontextStoppedException.class, e.getCause().getCause());
        assertEquals(sim().jobs().get(0).requestId(), stopped.getRequestId());
        await().atMost(Duration.ofSeconds(10)).until(() -> componentThreads().isEmpty());
    }

    @Test
    void aContextThatWaitsForInFlightExchangesLetsThemComplete() throws Exception {
        sim().setTimings(Duration.ofMillis(300), Duration.ofMillis(300));
        context.getShutdownStrategy().setTimeout(30);
        Future<Object> pending = template.asyncRequestBody("direct:generate", "a fox worth waiting for");
        await().until(() -> context.getEndpoint("flux-kontext:text-to-image", FluxKontextEndpoint.class).getWaitingJobs() == 1);

        context.stop();

        KontextResult result = (KontextResult) pending.get(10, TimeUnit.SECONDS);
        assertEquals(1, result.images().size());
        await().atMost(Duration.ofSeconds(10)).until(() -> componentThreads().isEmpty());
    }

    /** Threads the component started: its scheduler, worker pool and HTTP I/O threads. */
    private static List<String> componentThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.contains("FluxKontext")).toList();
    }
}
