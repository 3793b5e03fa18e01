package io.github.fluxkontext.simulator;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Thousands of status streams open at once are served by a handful of simulator threads. */
class StreamScaleTest {

    private static final int JOBS = 3_000;
    private static final int MAX_SIMULATOR_THREADS = 24;
    private static final String T2I = "fal-ai/flux-pro/kontext/text-to-image";

    @Test
    void threeThousandOpenStreamsAllEndWithCompletedOnFewThreads() throws Exception {
        try (FalSimulator sim = FalSimulator.builder().queueTime(Duration.ZERO).runners(1).imageScale(0.125)
                .sseKeepAlive(Duration.ofSeconds(1)).start()) {
            SimHttp http = new SimHttp(sim);
            // One long job holds the only runner, so every other job waits IN_QUEUE until it is cancelled.
            sim.setTimings(Duration.ZERO, Duration.ofMinutes(5));
            String blocker = http.submitId(T2I, "{\"prompt\":\"blocker\"}");
            await().atMost(Duration.ofSeconds(5)).until(() -> sim.job(blocker).orElseThrow().status().equals("IN_PROGRESS"));
            sim.setTimings(Duration.ZERO, Duration.ZERO);
            List<String> ids = submitAll(http);

            long dispatchers = threadsNamed("HTTP-Dispatcher");
            List<CompletableFuture<String>> streams = new ArrayList<>();
            for (String id : ids) {
                streams.add(SimHttp.CLIENT.sendAsync(stream(sim, id), HttpResponse.BodyHandlers.ofString())
                        .thenApply(HttpResponse::body));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> sim.openStreams() == JOBS);
            long simulatorThreads = threadsNamed(sim.threadPrefix()) + threadsNamed("HTTP-Dispatcher") - dispatchers;
            assertTrue(simulatorThreads <= MAX_SIMULATOR_THREADS, simulatorThreads + " simulator threads");

            assertEquals(202, http.put("/fal-ai/flux-pro/requests/" + blocker + "/cancel", null).statusCode());
            Set<Object> firstPositions = new HashSet<>();
            for (CompletableFuture<String> f : streams) {
                List<Map<String, Object>> events = StreamTest.events(List.of(f.get(30, TimeUnit.SECONDS).split("\n")));
                assertEquals("IN_QUEUE", events.get(0).get("status"));
                firstPositions.add(events.get(0).get("queue_position"));
                assertPositionsOnlyDecrease(events);
                Map<String, Object> last = events.get(events.size() - 1);
                assertEquals("COMPLETED", last.get("status"), events.toString());
                assertEquals(null, last.get("error"));
            }
            assertEquals(JOBS, firstPositions.size(), "each stream saw its own place in the queue");
            assertTrue(firstPositions.contains(0) && firstPositions.contains(JOBS - 1));
            await().atMost(Duration.ofSeconds(5)).until(() -> sim.openStreams() == 0);
            assertEquals(JOBS, sim.journal().count(FalOperation.STATUS_STREAM));
        }
    }

    private static List<String> submitAll(SimHttp http) throws Exception {
        ExecutorService submitters = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<String>> submits = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                String body = "{\"prompt\":\"stream " + i + "\"}";
                submits.add(CompletableFuture.supplyAsync(() -> http.submitId(T2I, body), submitters));
            }
            List<String> ids = new ArrayList<>();
            for (CompletableFuture<String> s : submits) {
                ids.add(s.get(60, TimeUnit.SECONDS));
            }
            return ids;
        } finally {
            submitters.shutdownNow();
        }
    }

    private static void assertPositionsOnlyDecrease(List<Map<String, Object>> events) {
        int previous = Integer.MAX_VALUE;
        for (Map<String, Object> e : events) {
            if (e.get("queue_position") instanceof Integer p) {
                assertTrue(p < previous, "positions " + events);
                previous = p;
            }
        }
    }

    private static HttpRequest stream(FalSimulator sim, String id) {
        return HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/fal-ai/flux-pro/requests/" + id + "/status/stream"))
                .header("Authorization", SimHttp.KEY).header("Accept", "text/event-stream").build();
    }

    static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }
}
