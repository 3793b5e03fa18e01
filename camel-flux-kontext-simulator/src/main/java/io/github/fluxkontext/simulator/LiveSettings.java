package io.github.fluxkontext.simulator;

import java.time.Duration;

/**
 * The settings a test may change while the simulator runs, kept in this one place: the engine reads
 * the timings for each new job, the URLs read the foreign base for each answer.
 */
final class LiveSettings {

    /** Minimum time a new job stays IN_QUEUE, and the time it then stays IN_PROGRESS. */
    record Timings(Duration queueTime, Duration runTime) {
        Timings {
            Durations.requireNonNegative(queueTime, "queueTime");
            Durations.requireNonNegative(runTime, "runTime");
        }
    }

    private volatile Timings timings;
    private volatile String foreignUrlBase;

    LiveSettings(Timings timings) {
        this.timings = timings;
    }

    Timings timings() {
        return timings;
    }

    void setTimings(Timings timings) {
        this.timings = timings;
    }

    /** The base that queue URLs in answers carry instead of our own, or null. */
    String foreignUrlBase() {
        return foreignUrlBase;
    }

    void setForeignUrlBase(String base) {
        this.foreignUrlBase = base == null ? null : Urls.stripSlash(base);
    }
}
