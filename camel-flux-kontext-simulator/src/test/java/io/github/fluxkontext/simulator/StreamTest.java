package io.github.fluxkontext.simulator;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamTest {

    private static final String T2I = "fal-ai/flux-pro/kontext/text-to-image";

    /** Reads the whole stream (the server closes it after COMPLETED); returns its lines. */
    private static List<String> readStream(FalSimulator sim, String id, String query) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/fal-ai/flux-pro/requests/" + id
                        + "/status/stream" + query))
                .header("Authorization", SimHttp.KEY).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(20)).build();
        HttpResponse<InputStream> r = SimHttp.CLIENT.send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertEquals("text/event-stream", r.headers().firstValue("content-type").orElseThrow());
        assertEquals(id, r.headers().firstValue("x-fal-request-id").orElseThrow());
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                lines.add(line);
            }
        }
        return lines;
    }

    static List<Map<String, Object>> events(List<String> lines) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String l : lines) {
            if (l.startsWith("data: ")) {
                out.add(SimHttp.json(l.substring(6).getBytes(StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    @Test
    void streamSendsOneEventPerChangeAndClosesAfterCompleted() throws Exception {
        try (FalSimulator sim = FalSimulator.builder().queueTime(Duration.ofMillis(200)).runTime(Duration.ofMillis(200))
                .imageScale(0.125).start()) {
            String id = new SimHttp(sim).submitId(T2I, "{\"prompt\":\"stream\"}");
            List<Map<String, Object>> events = events(readStream(sim, id, "?logs=0"));
            List<Object> statuses = events.stream().map(e -> e.get("status")).toList();
            assertEquals(List.of("IN_QUEUE", "IN_PROGRESS", "COMPLETED"), statuses);
            Map<String, Object> last = events.get(events.size() - 1);
            assertEquals(id, last.get("request_id"));
            assertTrue(((String) last.get("status_url")).endsWith("/fal-ai/flux-pro/requests/" + id + "/status"));
            assertTrue(((Map<?, ?>) last.get("metrics")).containsKey("inference_time"));
        }
    }

    @Test
    void streamOfACompletedJobSendsOneEventAndCloses() throws Exception {
        try (FalSimulator sim = FalSimulator.builder().queueTime(Duration.ZERO).runTime(Duration.ZERO)
                .imageScale(0.125).start()) {
            SimHttp http = new SimHttp(sim);
            String id = http.submitId(T2I, "{\"prompt\":\"done\"}");
            http.awaitCompleted("fal-ai/flux-pro", id);
            List<Map<String, Object>> events = events(readStream(sim, id, ""));
            assertEquals(1, events.size());
            assertEquals("COMPLETED", events.get(0).get("status"));
        }
    }

    @Test
    void quietStreamsGetPingComments() throws Exception {
        try (FalSimulator sim = FalSimulator.builder().queueTime(Duration.ZERO).runTime(Duration.ofMillis(400))
                .sseKeepAlive(Duration.ofMillis(50)).imageScale(0.125).start()) {
            String id = new SimHttp(sim).submitId(T2I, "{\"prompt\":\"ping\"}");
            List<String> lines = readStream(sim, id, "");
            assertTrue(lines.stream().filter(": ping"::equals).count() >= 2, lines.toString());
            assertEquals("COMPLETED", events(lines).get(events(lines).size() - 1).get("status"));
        }
    }

    @Test
    void streamWithLogsCarriesOnlyNewEntriesPerEvent() throws Exception {
        try (FalSimulator sim = FalSimulator.builder().queueTime(Duration.ofMillis(100)).runTime(Duration.ofMillis(100))
                .imageScale(0.125).start()) {
            String id = new SimHttp(sim).submitId(T2I, "{\"prompt\":\"logs\"}");
            List<Map<String, Object>> events = events(readStream(sim, id, "?logs=1"));
            int total = 0;
            for (Map<String, Object> e : events) {
                total += ((List<?>) e.get("logs")).size();
            }
            assertEquals(3, total, events.toString()); // picked up, generating, generated
        }
    }

    @Test
    void queuePositionEventsFollowTheQueue() throws Exception {
        try (FalSimulator sim = FalSimulator.builder().queueTime(Duration.ZERO).runTime(Duration.ofMillis(400))
                .runners(1).imageScale(0.125).start()) {
            SimHttp http = new SimHttp(sim);
            String first = http.submitId(T2I, "{\"prompt\":\"a\"}");
            await().atMost(Duration.ofSeconds(5)).until(() -> sim.job(first).orElseThrow().status().equals("IN_PROGRESS"));
            http.submitId(T2I, "{\"prompt\":\"b\"}");
            String third = http.submitId(T2I, "{\"prompt\":\"c\"}");
            List<String> seen = events(readStream(sim, third, "")).stream()
                    .map(e -> e.get("status") + (e.containsKey("queue_position") ? "@" + e.get("queue_position") : ""))
                    .toList();
            assertEquals(List.of("IN_QUEUE@1", "IN_QUEUE@0", "IN_PROGRESS", "COMPLETED"), seen);
        }
    }

    @Test
    void aStreamWhoseClientWentAwayIsClosedByTheNextPing() throws Exception {
        try (FalSimulator sim = FalSimulator.builder().queueTime(Duration.ofSeconds(30))
                .sseKeepAlive(Duration.ofMillis(100)).start()) {
            String id = new SimHttp(sim).submitId(T2I, "{\"prompt\":\"leave\"}");
            HttpRequest req = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/fal-ai/flux-pro/requests/" + id
                    + "/status/stream")).header("Authorization", SimHttp.KEY).build();
            HttpResponse<InputStream> r = SimHttp.CLIENT.send(req, HttpResponse.BodyHandlers.ofInputStream());
            BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
            assertTrue(in.readLine().startsWith("data: "));
            assertEquals(1, sim.openStreams());
            in.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> sim.openStreams() == 0);
        }
    }

    @Test
    void streamOfUnknownIdIs404() {
        try (FalSimulator sim = FalSimulator.start()) {
            assertEquals(404, new SimHttp(sim).get("/fal-ai/flux-pro/requests/x/status/stream").statusCode());
        }
    }
}
