package io.github.fluxkontext.camel.wait;

import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Run times per fal endpoint: endpoint ids come from headers, so the component remembers only the recent ones. */
class RunTimesTest {

    @Test
    void everNewEndpointIdsKeepOnlyTheMostRecentlySeen() {
        RunTimes runTimes = new RunTimes();
        runTimes.record("fal-ai/flux-pro/kontext", 4000);

        for (int i = 0; i < 10_000; i++) {
            runTimes.record("a-header/named/endpoint-" + i, 1000 + i);
            if (i % 100 == 0) {
                runTimes.expected("fal-ai/flux-pro/kontext"); // the endpoint the routes use: asked at every poll
            }
        }

        assertEquals(RunTimes.MAX_ENDPOINTS, runTimes.size());
        assertEquals(OptionalLong.of(4000), runTimes.expected("fal-ai/flux-pro/kontext"), "one in use stays");
        assertEquals(OptionalLong.of(1000 + 9_999), runTimes.expected("a-header/named/endpoint-9999"));
        assertEquals(OptionalLong.empty(), runTimes.expected("a-header/named/endpoint-0"), "the least recent one went first");
        assertTrue(runTimes.expected("a-header/named/endpoint-" + (10_000 - RunTimes.MAX_ENDPOINTS + 1)).isPresent());
    }

    @Test
    void anEndpointsRunTimeIsAMovingAverage() {
        RunTimes runTimes = new RunTimes();
        runTimes.record("fal-ai/flux-pro/kontext", 1000);
        runTimes.record("fal-ai/flux-pro/kontext", 2000);

        assertEquals(OptionalLong.of(1200), runTimes.expected("fal-ai/flux-pro/kontext"), "a fifth of the way to the newest");
    }
}
