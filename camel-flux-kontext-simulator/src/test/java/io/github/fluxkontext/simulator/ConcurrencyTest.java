package io.github.fluxkontext.simulator;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ConcurrencyTest {

    private static final int JOBS = 300;

    @Test
    void threeHundredJobsSubmittedAndPolledConcurrentlyAllComplete() {
        try (FalSimulator sim = FalSimulator.builder().queueTime(Duration.ofMillis(20)).runTime(Duration.ofMillis(50))
                .runners(32).imageScale(0.125).start()) {
            List<CompletableFuture<HttpResponse<byte[]>>> submits = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                submits.add(SimHttp.CLIENT.sendAsync(request(sim, "/fal-ai/flux-pro/kontext/text-to-image")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"job " + i + "\"}")).build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
            }
            List<String> ids = new ArrayList<>();
            for (CompletableFuture<HttpResponse<byte[]>> f : submits) {
                HttpResponse<byte[]> r = f.join();
                assertEquals(200, r.statusCode());
                ids.add((String) SimHttp.json(r).get("request_id"));
            }
            assertEquals(JOBS, Set.copyOf(ids).size());

            Set<String> completed = ConcurrentHashMap.newKeySet();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                List<CompletableFuture<Void>> polls = new ArrayList<>();
                for (String id : ids) {
                    if (completed.contains(id)) {
                        continue;
                    }
                    polls.add(SimHttp.CLIENT.sendAsync(request(sim, "/fal-ai/flux-pro/requests/" + id + "/status").build(),
                                    HttpResponse.BodyHandlers.ofByteArray())
                            .thenAccept(r -> {
                                Map<String, Object> s = SimHttp.json(r);
                                if (r.statusCode() == 200 && "COMPLETED".equals(s.get("status"))) {
                                    completed.add(id);
                                }
                            }));
                }
                CompletableFuture.allOf(polls.toArray(CompletableFuture[]::new)).join();
                return completed.size() == JOBS;
            });
            assertEquals(JOBS, sim.jobs().stream().filter(j -> j.status().equals("COMPLETED") && j.error() == null).count());
            assertEquals(JOBS, sim.journal().count(FalOperation.SUBMIT));
        }
    }

    private static HttpRequest.Builder request(FalSimulator sim, String path) {
        return HttpRequest.newBuilder(URI.create(sim.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", SimHttp.KEY).header("Content-Type", "application/json");
    }
}
