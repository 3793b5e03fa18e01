package io.github.fluxkontext.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalTest {

    @Test
    void journalRecordsWhatArrivedAndWhatWasAnswered() {
        try (FalSimulator sim = FalSimulator.builder().queueTime(Duration.ZERO).runTime(Duration.ZERO)
                .imageScale(0.125).start()) {
            SimHttp http = new SimHttp(sim);
            Instant before = Instant.now();
            String id = http.submitId("fal-ai/flux-pro/kontext/text-to-image?trace=a%2Fb",
                    "{\"prompt\":\"journal\",\"seed\":1}");
            Map<String, Object> out = SimHttp.json(http.result("fal-ai/flux-pro", id));
            http.get((String) SimHttp.images(out).get(0).get("url"));
            http.put("/fal-ai/flux-pro/requests/" + id + "/cancel", null);
            http.get("/fal-ai/flux-pro/requests/" + id + "/status?logs=1");

            SimulatorJournal journal = sim.journal();
            JournalEntry submit = journal.entries(FalOperation.SUBMIT).get(0);
            assertEquals("POST", submit.method());
            assertEquals("/fal-ai/flux-pro/kontext/text-to-image", submit.path());
            assertEquals("trace=a%2Fb", submit.query());
            assertEquals(200, submit.status());
            assertEquals(id, submit.requestId());
            assertEquals(SimHttp.KEY, submit.header("authorization"));
            assertEquals(SimHttp.KEY, submit.header("AUTHORIZATION"));
            assertNull(submit.header("x-not-there"));
            assertEquals(Map.of("prompt", "journal", "seed", 1), submit.bodyAsJson());
            assertTrue(submit.bodyAsString().contains("journal"));
            assertFalse(submit.at().isBefore(before.minusSeconds(1)));

            assertEquals(1, journal.count(FalOperation.SUBMIT));
            assertTrue(journal.count(FalOperation.STATUS) >= 2);
            assertEquals(1, journal.count(FalOperation.RESULT));
            assertEquals(1, journal.count(FalOperation.FILE));
            assertEquals(1, journal.count(FalOperation.CANCEL));
            assertEquals(400, journal.entries(FalOperation.CANCEL).get(0).status());
            assertEquals(id, journal.entries(FalOperation.FILE).get(0).requestId());
            List<JournalEntry> all = journal.entries();
            assertEquals(FalOperation.SUBMIT, all.get(0).operation());
            assertEquals(FalOperation.STATUS, all.get(all.size() - 1).operation());
            assertEquals("logs=1", all.get(all.size() - 1).query());
            assertEquals(Map.of(), journal.entries(FalOperation.FILE).get(0).bodyAsJson());

            journal.clear();
            assertEquals(0, journal.count(FalOperation.SUBMIT));
            assertTrue(journal.entries().isEmpty());
        }
    }

    @Test
    void submitHeadersAndTheBodyAsSentAreJournalledForClientTestsToAssertOn() {
        try (FalSimulator sim = FalSimulator.builder().queueTime(Duration.ZERO).runTime(Duration.ZERO)
                .imageScale(0.125).start()) {
            String lifecycle = "{\"expiration_duration_seconds\":3600}";
            new SimHttp(sim).submit("fal-ai/flux-kontext-lora/text-to-image", "{\"prompt\":\"headers\",\"loras\":[]}",
                    "X-Fal-Object-Lifecycle-Preference", lifecycle, "x-fal-no-retry", "1", "X-Fal-Runner-Hint", "eu-1");

            JournalEntry submit = sim.journal().entries(FalOperation.SUBMIT).get(0);
            assertEquals(lifecycle, submit.header("x-fal-object-lifecycle-preference"));
            assertEquals("1", submit.header("X-Fal-No-Retry"));
            assertEquals("eu-1", submit.header("x-fal-runner-hint"));
            assertEquals(SimHttp.KEY, submit.header("Authorization"));
            Map<String, Object> body = submit.bodyAsJson();
            assertEquals(List.of(), body.get("loras"));
            // what a client's test asserts for fields a model does not have: they were not sent
            assertFalse(body.containsKey("aspect_ratio"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"3600", "not json", "[3600]", "{\"expiration_duration_seconds\":0}",
            "{\"expiration_duration_seconds\":-5}", "{\"expiration_duration_seconds\":1.5}",
            "{\"expiration_duration_seconds\":\"3600\"}"})
    void aMalformedLifecyclePreferenceIsRefusedWith400AndNoJob(String value) {
        try (FalSimulator sim = FalSimulator.builder().start()) {
            HttpResponse<byte[]> r = new SimHttp(sim).post("/fal-ai/flux-kontext/dev",
                    "{\"prompt\":\"p\",\"image_url\":\"https://example.com/a.png\"}",
                    "X-Fal-Object-Lifecycle-Preference", value);
            assertEquals(400, r.statusCode());
            Map<String, Object> body = SimHttp.json(r);
            assertEquals("bad_request", body.get("error_type"));
            assertTrue(((String) body.get("detail")).contains("x-fal-object-lifecycle-preference"), body.toString());
            assertEquals("bad_request", r.headers().firstValue("X-Fal-Error-Type").orElseThrow());
            assertTrue(sim.jobs().isEmpty());
            assertEquals(400, sim.journal().entries(FalOperation.SUBMIT).get(0).status());
        }
    }

    @Test
    void aLifecyclePreferenceWithoutExpirationIsAccepted() {
        try (FalSimulator sim = FalSimulator.builder().start()) {
            // what fal's JS client sends for expiresIn "never" with an ACL
            new SimHttp(sim).submit("fal-ai/flux-pro/kontext/text-to-image", "{\"prompt\":\"p\"}",
                    "X-Fal-Object-Lifecycle-Preference", "{\"initial_acl\":{\"default\":\"forbid\"}}");
            assertEquals(1, sim.jobs().size());
        }
    }

    @Test
    void theLifecyclePreferenceExpiresTheImagesButNotTheResult() {
        try (FalSimulator sim = FalSimulator.builder().queueTime(Duration.ZERO).runTime(Duration.ZERO)
                .imageScale(0.125).start()) {
            SimHttp http = new SimHttp(sim);
            String id = (String) http.submit("fal-ai/flux-kontext-lora/text-to-image", "{\"prompt\":\"short-lived\"}",
                    "X-Fal-Object-Lifecycle-Preference", "{\"expiration_duration_seconds\":3}").get("request_id");
            String kept = http.submitId("fal-ai/flux-kontext-lora/text-to-image", "{\"prompt\":\"kept\"}");
            String url = (String) SimHttp.images(SimHttp.json(http.result("fal-ai/flux-kontext-lora", id))).get(0).get("url");
            String keptUrl = (String) SimHttp.images(SimHttp.json(http.result("fal-ai/flux-kontext-lora", kept))).get(0)
                    .get("url");
            assertEquals(200, http.get(url).statusCode(), "downloadable until the lifetime is over");

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> http.get(url).statusCode() == 404);
            assertEquals("File has expired", SimHttp.json(http.get(url)).get("detail"));
            assertEquals(200, http.get("/fal-ai/flux-kontext-lora/requests/" + id).statusCode());
            assertEquals(200, http.get(keptUrl).statusCode());
        }
    }

    @Test
    void unauthorisedAndUnknownRequestsAreJournalledToo() {
        try (FalSimulator sim = FalSimulator.builder().apiKey("k").start()) {
            new SimHttp(sim).post("/fal-ai/flux-pro/kontext", "{}");
            new SimHttp(sim, "Key k").get("/what/ever");
            assertEquals(401, sim.journal().entries(FalOperation.SUBMIT).get(0).status());
            assertEquals(404, sim.journal().entries(FalOperation.UNKNOWN).get(0).status());
        }
    }
}
