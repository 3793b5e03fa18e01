package io.github.fluxkontext.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Status streams that misbehave, so clients can test their fallbacks. */
class StreamFaultTest {

    private static final String T2I = "fal-ai/flux-pro/kontext/text-to-image";

    @RegisterExtension
    final FalSimulatorExtension fal = FalSimulatorExtension.create(b -> b
            .queueTime(Duration.ofMillis(300)).runTime(Duration.ZERO).sseKeepAlive(Duration.ofMillis(50))
            .imageScale(0.125));

    /** What a client read from a stream before it ended, and the error it ended with, if any. */
    record Read(List<String> lines, IOException error) {
        List<String> data() {
            return lines.stream().filter(l -> l.startsWith("data: ")).toList();
        }
    }

    private static HttpResponse<InputStream> open(FalSimulator sim, String id) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/fal-ai/flux-pro/requests/" + id
                        + "/status/stream")).header("Authorization", SimHttp.KEY).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(20)).build();
        try {
            return SimHttp.CLIENT.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Read readToEnd(InputStream body) {
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                lines.add(line);
            }
            return new Read(lines, null);
        } catch (IOException e) {
            return new Read(lines, e);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {404, 405, 500})
    void aRefusedStreamAnswersTheStatusWithAJsonBody(int code, FalSimulator sim) {
        sim.faults().add(Fault.on(FalOperation.STATUS_STREAM).status(code));
        SimHttp http = new SimHttp(sim);
        String id = http.submitId(T2I, "{\"prompt\":\"refused\"}");
        HttpResponse<byte[]> r = http.get("/fal-ai/flux-pro/requests/" + id + "/status/stream");
        assertEquals(code, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
        assertNotNull(SimHttp.json(r).get("detail"));
        assertEquals(code, sim.journal().entries(FalOperation.STATUS_STREAM).get(0).status());
    }

    @Test
    void notEventStreamAnswers200WithTheStatusAsJson(FalSimulator sim) {
        sim.faults().add(Fault.on(FalOperation.STATUS_STREAM).notEventStream());
        SimHttp http = new SimHttp(sim);
        String id = http.submitId(T2I, "{\"prompt\":\"json\"}");
        HttpResponse<byte[]> r = http.get("/fal-ai/flux-pro/requests/" + id + "/status/stream", "Accept",
                "text/event-stream");
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
        assertEquals("IN_QUEUE", SimHttp.json(r).get("status"));
        assertEquals(id, SimHttp.json(r).get("request_id"));
        JournalEntry e = sim.journal().entries(FalOperation.STATUS_STREAM).get(0);
        assertEquals(200, e.status());
        assertEquals(id, e.requestId());
        assertEquals(1, sim.faults().injected());
    }

    @Test
    void aBrokenStreamSendsItsEventsThenTheConnectionBreaks(FalSimulator sim) {
        sim.faults().add(Fault.on(FalOperation.STATUS_STREAM).breakStreamAfterEvents(1));
        SimHttp http = new SimHttp(sim);
        String id = http.submitId(T2I, "{\"prompt\":\"break\"}");
        HttpResponse<InputStream> r = open(sim, id);
        assertEquals(200, r.statusCode());
        assertEquals("text/event-stream", r.headers().firstValue("content-type").orElseThrow());
        Read broken = readToEnd(r.body());
        assertNotNull(broken.error(), "the body ended abruptly, not as HTTP ends it: " + broken.lines());
        assertEquals(1, broken.data().size());
        assertTrue(broken.data().get(0).contains("\"IN_QUEUE\""), broken.data().get(0));
        await().atMost(Duration.ofSeconds(5)).until(() -> sim.openStreams() == 0);

        // the job goes on; the next stream (the fault fired once) follows it to the end
        Read whole = readToEnd(open(sim, id).body());
        assertEquals(null, whole.error());
        assertTrue(whole.data().get(whole.data().size() - 1).contains("\"COMPLETED\""), whole.lines().toString());
        assertEquals(List.of(200, 200), sim.journal().entries(FalOperation.STATUS_STREAM).stream()
                .map(JournalEntry::status).toList());
    }

    @Test
    void aBreakingStreamNeverCarriesCompleted(FalSimulator sim) {
        sim.setTimings(Duration.ZERO, Duration.ZERO);
        SimHttp http = new SimHttp(sim);
        String id = http.submitId(T2I, "{\"prompt\":\"done before\"}");
        http.awaitCompleted("fal-ai/flux-pro", id);
        sim.faults().add(Fault.on(FalOperation.STATUS_STREAM).breakStreamAfterEvents(3));
        Read read = readToEnd(open(sim, id).body());
        assertNotNull(read.error());
        assertEquals(List.of(), read.data());
    }

    @Test
    void silentStreamsSendNothingHoldNoThreadAndEndOnReset(FalSimulator sim) {
        int count = 50;
        sim.faults().add(Fault.on(FalOperation.STATUS_STREAM).silentStream().always());
        SimHttp http = new SimHttp(sim);
        String id = http.submitId(T2I, "{\"prompt\":\"silent\"}");
        List<HttpResponse<InputStream>> streams = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            streams.add(open(sim, id));
        }
        streams.forEach(r -> assertEquals("text/event-stream", r.headers().firstValue("content-type").orElseThrow()));
        await().atMost(Duration.ofSeconds(5)).until(() -> sim.openStreams() == count); // counted just after the headers went out
        assertTrue(StreamScaleTest.threadsNamed(sim.threadPrefix()) <= 24);

        CompletableFuture<Integer> firstByte = CompletableFuture.supplyAsync(() -> {
            try {
                return streams.get(0).body().read();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        // many keep-alive intervals, and the job completes meanwhile: still not a byte
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !firstByte.isDone());
        http.awaitCompleted("fal-ai/flux-pro", id);
        assertTrue(!firstByte.isDone());
        assertEquals(count, sim.openStreams());

        sim.reset();
        assertEquals(0, sim.openStreams());
        ExecutionException ended = assertThrows(ExecutionException.class, () -> firstByte.get(5, TimeUnit.SECONDS));
        assertInstanceOf(UncheckedIOException.class, ended.getCause());
    }

    @Test
    void streamFaultsAreOnlyForStatusStreams() {
        assertThrows(IllegalStateException.class, () -> Fault.on(FalOperation.STATUS).silentStream());
        assertThrows(IllegalStateException.class, () -> Fault.on(null).notEventStream());
        assertThrows(IllegalArgumentException.class, () -> Fault.on(FalOperation.STATUS_STREAM).breakStreamAfterEvents(-1));
    }
}
