package io.github.fluxkontext.camel;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long jobs of each fal endpoint run (IN_PROGRESS to COMPLETED), as this component saw them: a moving
 * average per endpoint id. Polling uses it to ask when a running job is due rather than all along.
 */
final class RunTimes {

    /** The weight of the newest run time: a few jobs are enough to learn, one odd job does not throw it. */
    private static final double WEIGHT = 0.2;

    private final Map<String, Double> averageMillis = new ConcurrentHashMap<>();

    void record(String endpointId, long millis) {
        if (endpointId != null && millis > 0) {
            averageMillis.merge(endpointId, (double) millis, (old, now) -> old + WEIGHT * (now - old));
        }
    }

    /** The usual run time of this endpoint's jobs, once one was seen. */
    OptionalLong expected(String endpointId) {
        Double average = endpointId == null ? null : averageMillis.get(endpointId);
        return average == null ? OptionalLong.empty() : OptionalLong.of(Math.round(average));
    }
}
