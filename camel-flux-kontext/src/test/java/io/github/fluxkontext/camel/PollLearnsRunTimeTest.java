package io.github.fluxkontext.camel;

import java.time.Duration;

import io.github.fluxkontext.camel.model.KontextResult;
import io.github.fluxkontext.simulator.FalOperation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Polling learns how long an endpoint's jobs run: once it saw one complete, it asks a running job when it
 * is due instead of every pollInterval, so it needs fewer status requests for the same answer.
 */
class PollLearnsRunTimeTest extends FluxKontextTestSupport {

    private static final String URI = "flux-kontext:text-to-image?waitMode=poll&pollInterval=200&maxPollInterval=5000";

    @Test
    void aRunningJobIsAskedWhenItIsDueOnceTheEndpointsRunTimeIsKnown() {
        sim().setTimings(Duration.ZERO, Duration.ofSeconds(2));

        long firstJobPolls = statusPollsFor("a first fox");
        FluxKontextComponent component = context.getComponent("flux-kontext", FluxKontextComponent.class);
        long learned = component.runTimes().expected("fal-ai/flux-pro/kontext/text-to-image").orElseThrow();
        assertTrue(learned > 1500 && learned < 3000, "learned run time " + learned + " ms");
        long secondJobPolls = statusPollsFor("a second fox");

        // every 200 ms over a 2 s run: about 10; when due: one sighting, one poll shortly before it is due, a few after
        assertTrue(firstJobPolls >= 8, "first job, run time unknown: " + firstJobPolls + " status polls");
        assertTrue(secondJobPolls <= firstJobPolls / 2,
                "second job, run time known: " + secondJobPolls + " status polls, the first needed " + firstJobPolls);
    }

    @Test
    void theRunTimeIsLearnedPerEndpoint() {
        FluxKontextComponent component = context.getComponent("flux-kontext", FluxKontextComponent.class);
        component.runTimes().record("fal-ai/flux-pro/kontext", 1000);
        component.runTimes().record("fal-ai/flux-pro/kontext", 2000);

        assertEquals(1200, component.runTimes().expected("fal-ai/flux-pro/kontext").getAsLong(), "a moving average, 1 part in 5 new");
        assertTrue(component.runTimes().expected("fal-ai/flux-pro/kontext/max").isEmpty(), "another endpoint learns on its own");
    }

    private long statusPollsFor(String prompt) {
        sim().journal().clear();
        KontextResult result = template.requestBody(URI, prompt, KontextResult.class);
        assertEquals(1, result.images().size());
        return sim().journal().count(FalOperation.STATUS);
    }
}
