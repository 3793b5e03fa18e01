package io.github.fluxkontext.simulator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

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
    void unauthorisedAndUnknownRequestsAreJournalledToo() {
        try (FalSimulator sim = FalSimulator.builder().apiKey("k").start()) {
            new SimHttp(sim).post("/fal-ai/flux-pro/kontext", "{}");
            new SimHttp(sim, "Key k").get("/what/ever");
            assertEquals(401, sim.journal().entries(FalOperation.SUBMIT).get(0).status());
            assertEquals(404, sim.journal().entries(FalOperation.UNKNOWN).get(0).status());
        }
    }
}
