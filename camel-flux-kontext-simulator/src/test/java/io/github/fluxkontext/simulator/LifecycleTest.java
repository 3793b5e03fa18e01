package io.github.fluxkontext.simulator;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LifecycleTest {

    private static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }

    @Test
    void closeLeavesNoSimulatorThreadsBehindEvenWithOpenStreams() throws Exception {
        long dispatchersBefore = threadsNamed("HTTP-Dispatcher");
        FalSimulator sim = FalSimulator.builder().queueTime(Duration.ofSeconds(30)).sseKeepAlive(Duration.ofMillis(50))
                .start();
        SimHttp http = new SimHttp(sim);
        String id = http.submitId("fal-ai/flux-pro/kontext/text-to-image", "{\"prompt\":\"open stream\"}");
        var stream = SimHttp.CLIENT.sendAsync(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(sim.baseUrl() + "/fal-ai/flux-pro/requests/" + id + "/status/stream"))
                .header("Authorization", SimHttp.KEY).build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        stream.get(); // headers arrived: the stream is open
        sim.faults().add(Fault.on(FalOperation.STATUS).delay(Duration.ofSeconds(30)));
        var delayed = SimHttp.CLIENT.sendAsync(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(sim.baseUrl() + "/fal-ai/flux-pro/requests/" + id + "/status"))
                .header("Authorization", SimHttp.KEY).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        await().atMost(Duration.ofSeconds(5)).until(() -> sim.faults().injected() == 1);
        String prefix = sim.threadPrefix();
        assertTrue(threadsNamed(prefix) > 0);

        sim.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> threadsNamed(prefix) == 0
                && threadsNamed("HTTP-Dispatcher") <= dispatchersBefore);
        sim.close(); // idempotent
        assertThrows(Exception.class, () -> delayed.get(5, java.util.concurrent.TimeUnit.SECONDS));
    }

    @Test
    void buildDoesNotStartAndStartServerDoes() {
        FalSimulator sim = FalSimulator.builder().build();
        assertThrows(IllegalStateException.class, sim::baseUrl);
        assertTrue(sim.jobs().isEmpty());
        try (sim) {
            sim.startServer();
            assertTrue(sim.port() > 0);
            assertEquals("http://127.0.0.1:" + sim.port(), sim.baseUrl());
        }
        assertThrows(IllegalStateException.class, sim::startServer);
    }

    @Test
    void resetForgetsJobsJournalAndFaults() {
        try (FalSimulator sim = FalSimulator.builder().queueTime(Duration.ofSeconds(30)).start()) {
            SimHttp http = new SimHttp(sim);
            String id = http.submitId("fal-ai/flux-pro/kontext/text-to-image", "{\"prompt\":\"x\"}");
            sim.faults().add(Fault.on(FalOperation.RESULT).status(500).always());
            sim.reset();
            assertTrue(sim.jobs().isEmpty());
            assertTrue(sim.job(id).isEmpty());
            assertEquals(0, sim.journal().count(FalOperation.SUBMIT));
            assertEquals(404, http.get("/fal-ai/flux-pro/requests/" + id).statusCode());
            // the queue works normally after a reset
            sim.setTimings(Duration.ZERO, Duration.ZERO);
            String next = http.submitId("fal-ai/flux-pro/kontext/text-to-image", "{\"prompt\":\"y\"}");
            assertEquals(200, http.result("fal-ai/flux-pro", next).statusCode());
        }
    }

    @Test
    void setTimingsAppliesToNewJobs() {
        try (FalSimulator sim = FalSimulator.builder().queueTime(Duration.ZERO).runTime(Duration.ZERO).start()) {
            sim.setTimings(Duration.ofSeconds(30), Duration.ZERO);
            SimHttp http = new SimHttp(sim);
            String slow = http.submitId("fal-ai/flux-pro/kontext/text-to-image", "{\"prompt\":\"x\"}");
            sim.setTimings(Duration.ZERO, Duration.ZERO);
            String fast = http.submitId("fal-ai/flux-pro/kontext/text-to-image", "{\"prompt\":\"y\"}");
            http.awaitCompleted("fal-ai/flux-pro", fast);
            assertEquals("IN_QUEUE", sim.job(slow).orElseThrow().status());
        }
    }

    @Test
    void builderRejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> FalSimulator.builder().runners(0));
        assertThrows(IllegalArgumentException.class, () -> FalSimulator.builder().apiKey(" "));
        assertThrows(IllegalArgumentException.class, () -> FalSimulator.builder().imageScale(0));
        assertThrows(IllegalArgumentException.class, () -> FalSimulator.builder().queueTime(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> FalSimulator.builder().port(70000));
    }
}
