package io.github.fluxkontext.camel;

import java.util.List;

import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextStatus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Polling asks as often as the status says is worth it: a running job often, a job far back in the queue seldom. */
class PollIntervalTest {

    private final FluxKontextConfiguration config = new FluxKontextConfiguration();

    private static KontextJob job(KontextStatus status, Integer queuePosition) {
        return new KontextJob("r-1", "fal-ai/flux-pro/kontext", status, queuePosition, null, null, null, List.of(), null, null, null);
    }

    @Test
    void aRunningJobIsAskedEveryPollInterval() {
        config.setPollInterval(500);
        config.setMaxPollInterval(5000);

        assertEquals(500, PollWait.delayAfter(job(KontextStatus.IN_PROGRESS, null), config));
    }

    @Test
    void aQueuedJobIsAskedLessOftenTheFurtherBackItIs() {
        config.setPollInterval(500);
        config.setMaxPollInterval(5000);

        assertEquals(500, PollWait.delayAfter(job(KontextStatus.IN_QUEUE, 0), config), "next in line");
        assertEquals(1500, PollWait.delayAfter(job(KontextStatus.IN_QUEUE, 2), config));
        assertEquals(5000, PollWait.delayAfter(job(KontextStatus.IN_QUEUE, 40), config), "capped at maxPollInterval");
        assertEquals(500, PollWait.delayAfter(job(KontextStatus.IN_QUEUE, null), config), "no position reported");
    }

    @Test
    void aMaxPollIntervalBelowPollIntervalDoesNotSpeedPollingUp() {
        config.setPollInterval(500);
        config.setMaxPollInterval(100);

        assertEquals(500, PollWait.delayAfter(job(KontextStatus.IN_QUEUE, 3), config));
    }
}
