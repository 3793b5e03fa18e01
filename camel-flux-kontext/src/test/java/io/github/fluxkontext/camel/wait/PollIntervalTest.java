package io.github.fluxkontext.camel.wait;

import io.github.fluxkontext.camel.FluxKontextConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How often a queued job is asked: as fal's own client does, unless the line's pace says it cannot start that soon. */
class PollIntervalTest {

    private final FluxKontextConfiguration config = new FluxKontextConfiguration();

    @BeforeEach
    void defaults() {
        config.setPollInterval(500);
        config.setMaxPollInterval(5000);
    }

    @Test
    void withoutAPaceTheJobIsAskedEveryPollInterval() {
        assertEquals(500, PollWait.delayInQueue(null, 0, 40, config), "first sighting: the pace is unknown");
        assertEquals(500, PollWait.delayInQueue(40, 500, 40, config), "the line did not move");
        assertEquals(500, PollWait.delayInQueue(40, 500, null, config), "no position reported");
        assertEquals(500, PollWait.delayInQueue(3, 500, 0, config), "next in line");
    }

    @Test
    void aFastLineIsStillAskedEveryPollInterval() {
        // 10 positions in 500 ms: 20 more take 1 s; halfway is 500 ms
        assertEquals(500, PollWait.delayInQueue(30, 500, 20, config));
        // 20 positions in 500 ms: the job starts in 125 ms; never sooner than pollInterval
        assertEquals(500, PollWait.delayInQueue(25, 500, 5, config));
    }

    @Test
    void aSlowLineIsAskedHalfwayToTheJobsExpectedStart() {
        // 1 position in 500 ms: 8 more take 4 s; asked again in 2 s
        assertEquals(2000, PollWait.delayInQueue(9, 500, 8, config));
    }

    @Test
    void aVerySlowLineIsAskedAtLeastEveryMaxPollInterval() {
        // 1 position in 1 s, 100 to go
        assertEquals(5000, PollWait.delayInQueue(101, 1000, 100, config));
    }

    @Test
    void aMaxPollIntervalBelowPollIntervalDoesNotSpeedPollingUp() {
        config.setMaxPollInterval(100);

        assertEquals(500, PollWait.delayInQueue(101, 1000, 100, config));
    }
}
