package io.github.fluxkontext.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultTest {

    private static final String T2I = "/fal-ai/flux-pro/kontext/text-to-image";
    private static final String BODY = "{\"prompt\":\"fault\"}";

    // instance field: a fresh simulator for every test, so job counts start at zero
    @RegisterExtension
    final FalSimulatorExtension fal = FalSimulatorExtension.create(b -> b
            .queueTime(Duration.ZERO).runTime(Duration.ZERO).imageScale(0.125));

    @Test
    void status429WithRetryAfter(FalSimulator sim) {
        sim.faults().add(Fault.on(FalOperation.SUBMIT).status(429).retryAfter("7"));
        HttpResponse<byte[]> r = new SimHttp(sim).post(T2I, BODY);
        assertEquals(429, r.statusCode());
        assertEquals("7", r.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(Map.of("detail", "Too many requests"), SimHttp.json(r));
        assertEquals(0, sim.jobs().size());
        assertEquals(200, new SimHttp(sim).post(T2I, BODY).statusCode()); // times(1) by default
    }

    @Test
    void status429WithoutRetryAfterAndWithAnHttpDate(FalSimulator sim) {
        sim.faults().add(Fault.on(FalOperation.SUBMIT).status(429));
        sim.faults().add(Fault.on(FalOperation.SUBMIT).status(429).retryAfter("Wed, 21 Oct 2026 07:28:00 GMT"));
        HttpResponse<byte[]> first = new SimHttp(sim).post(T2I, BODY);
        assertEquals(429, first.statusCode());
        assertTrue(first.headers().firstValue("Retry-After").isEmpty());
        HttpResponse<byte[]> second = new SimHttp(sim).post(T2I, BODY);
        assertEquals("Wed, 21 Oct 2026 07:28:00 GMT", second.headers().firstValue("Retry-After").orElseThrow());
    }

    @ParameterizedTest
    @CsvSource({"500,internal_error", "502,runner_incomplete_response", "503,runner_scheduling_failure",
            "504,request_timeout"})
    void serverErrorsHaveFalsRequestErrorBody(int code, String errorType, FalSimulator sim) {
        sim.faults().add(Fault.on(FalOperation.STATUS).status(code));
        SimHttp http = new SimHttp(sim);
        String id = http.submitId(T2I.substring(1), BODY);
        HttpResponse<byte[]> r = http.get("/fal-ai/flux-pro/requests/" + id + "/status");
        assertEquals(code, r.statusCode());
        assertEquals(errorType, SimHttp.json(r).get("error_type"));
        assertTrue(SimHttp.json(r).get("detail") instanceof String);
        assertEquals(errorType, r.headers().firstValue("X-Fal-Error-Type").orElseThrow());
        assertTrue(r.headers().firstValue("x-fal-request-id").isEmpty(), "the gateway answered, not the app");
    }

    @Test
    void userTimeout504Header(FalSimulator sim) {
        sim.faults().add(Fault.on(FalOperation.RESULT).status(504).header("X-Fal-Request-Timeout-Type", "user"));
        SimHttp http = new SimHttp(sim);
        String id = http.submitId(T2I.substring(1), BODY);
        HttpResponse<byte[]> r = http.result("fal-ai/flux-pro", id);
        assertEquals(504, r.statusCode());
        assertEquals("user", r.headers().firstValue("X-Fal-Request-Timeout-Type").orElseThrow());
        assertEquals(200, http.get("/fal-ai/flux-pro/requests/" + id).statusCode());
    }

    @Test
    void customBodyAndHeaders(FalSimulator sim) {
        sim.faults().add(Fault.on(FalOperation.SUBMIT).status(503).body("{\"detail\":\"nginx upstream\"}")
                .header("x-custom", "1"));
        HttpResponse<byte[]> r = new SimHttp(sim).post(T2I, BODY);
        assertEquals(503, r.statusCode());
        assertEquals(Map.of("detail", "nginx upstream"), SimHttp.json(r));
        assertEquals("1", r.headers().firstValue("x-custom").orElseThrow());
    }

    @Test
    void dropConnectionBeforeHandlingCreatesNoJob(FalSimulator sim) {
        sim.faults().add(Fault.on(FalOperation.SUBMIT).dropConnection());
        assertThrows(UncheckedIOException.class, () -> new SimHttp(sim).post(T2I, BODY));
        assertEquals(0, sim.jobs().size());
        JournalEntry e = sim.journal().entries(FalOperation.SUBMIT).get(0);
        assertEquals(-1, e.status());
        assertEquals(null, e.requestId());
        assertEquals(1, sim.faults().injected());
    }

    @Test
    void dropConnectionAfterHandlingCreatesTheJob(FalSimulator sim) {
        sim.faults().add(Fault.on(FalOperation.SUBMIT).dropConnectionAfterHandling());
        assertThrows(UncheckedIOException.class, () -> new SimHttp(sim).post(T2I, BODY));
        assertEquals(1, sim.jobs().size());
        JournalEntry e = sim.journal().entries(FalOperation.SUBMIT).get(0);
        assertEquals(-1, e.status());
        assertEquals(sim.jobs().get(0).requestId(), e.requestId());
    }

    @Test
    void delayAnswersLateButNormally(FalSimulator sim) {
        sim.faults().add(Fault.on(FalOperation.SUBMIT).delay(Duration.ofMillis(400)));
        long start = System.nanoTime();
        HttpResponse<byte[]> r = new SimHttp(sim).post(T2I, BODY);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, r.statusCode());
        assertTrue(elapsedMillis >= 400, "answered after " + elapsedMillis + " ms");
        assertEquals(1, sim.jobs().size());
    }

    @Test
    void delayCombinedWithAStatus(FalSimulator sim) {
        sim.faults().add(Fault.on(FalOperation.SUBMIT).delay(Duration.ofMillis(100)).status(503));
        assertEquals(503, new SimHttp(sim).post(T2I, BODY).statusCode());
        assertEquals(0, sim.jobs().size());
    }

    @Test
    void probabilityIsRepeatableWithASeed(FalSimulator sim) {
        List<Integer> first = pattern(sim, 42);
        List<Integer> second = pattern(sim, 42);
        assertEquals(first, second);
        assertTrue(first.contains(503) && first.contains(404), first.toString());
        assertNotEquals(first, pattern(sim, 7));
    }

    private static List<Integer> pattern(FalSimulator sim, long seed) {
        sim.faults().clear();
        sim.faults().seed(seed);
        sim.faults().add(Fault.on(FalOperation.STATUS).status(503).probability(0.5).always());
        List<Integer> codes = new ArrayList<>();
        SimHttp http = new SimHttp(sim);
        for (int i = 0; i < 24; i++) {
            codes.add(http.get("/fal-ai/flux-pro/requests/unknown/status").statusCode());
        }
        assertEquals(codes.stream().filter(c -> c == 503).count(), sim.faults().injected());
        return codes;
    }

    @Test
    void forRequestIdOnlyHitsThatJob(FalSimulator sim) {
        SimHttp http = new SimHttp(sim);
        String a = http.submitId(T2I.substring(1), BODY);
        String b = http.submitId(T2I.substring(1), BODY);
        sim.faults().add(Fault.on(FalOperation.STATUS).status(500).forRequestId(a).always());
        assertEquals(500, http.get("/fal-ai/flux-pro/requests/" + a + "/status").statusCode());
        assertEquals(500, http.get("/fal-ai/flux-pro/requests/" + a + "/status").statusCode());
        assertNotEquals(500, http.get("/fal-ai/flux-pro/requests/" + b + "/status").statusCode());
        assertEquals(2, sim.faults().injected());
    }

    @Test
    void timesAndAlwaysAndAnyOperation(FalSimulator sim) {
        SimHttp http = new SimHttp(sim);
        sim.faults().add(Fault.on(null).status(502).times(2));
        assertEquals(502, http.get("/fal-ai/flux-pro/requests/x/status").statusCode());
        assertEquals(502, http.post(T2I, BODY).statusCode());
        assertEquals(404, http.get("/fal-ai/flux-pro/requests/x").statusCode());
        sim.faults().add(Fault.on(FalOperation.CANCEL).status(503).always());
        for (int i = 0; i < 3; i++) {
            assertEquals(503, http.put("/fal-ai/flux-pro/requests/x/cancel", null).statusCode());
        }
        assertEquals(5, sim.faults().injected());
        sim.faults().clear();
        assertEquals(0, sim.faults().injected());
        assertEquals(404, http.put("/fal-ai/flux-pro/requests/x/cancel", null).statusCode());
    }

    @Test
    void faultBuilderRejectsNonsense() {
        assertThrows(IllegalStateException.class, () -> Fault.on(FalOperation.STATUS).failJob(500, "x", "y"));
        assertThrows(IllegalStateException.class, () -> Fault.on(FalOperation.JOB).status(500));
        assertThrows(IllegalArgumentException.class, () -> Fault.on(FalOperation.STATUS).probability(1.5));
        assertThrows(IllegalArgumentException.class, () -> Fault.on(FalOperation.STATUS).times(0));
        assertFalse(Fault.on(FalOperation.STATUS).status(500).toString().isEmpty());
    }
}
