package io.github.fluxkontext.camel.wait;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * How long jobs of each fal endpoint run (IN_PROGRESS to COMPLETED), as this component saw them: a moving
 * average per endpoint id. Polling uses it to ask when a running job is due rather than all along.
 * <p>
 * Endpoint ids come from headers too (status and result calls name any endpoint), so only the
 * {@value #MAX_ENDPOINTS} seen most recently are remembered: a route that names ever new ids cannot grow it.
 */
public final class RunTimes {

    /** Far more fal endpoints than one application uses; a forgotten one is learnt again from a few jobs. */
    static final int MAX_ENDPOINTS = 256;
    /** The weight of the newest run time: a few jobs are enough to learn, one odd job does not throw it. */
    private static final double WEIGHT = 0.2;

    // access order: a lookup or a record makes an id the most recent; the least recent one goes first
    private final Map<String, Double> averageMillis = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Double> eldest) {
            return size() > MAX_ENDPOINTS;
        }
    };

    public synchronized void record(String endpointId, long millis) {
        if (endpointId != null && millis > 0) {
            averageMillis.merge(endpointId, (double) millis, (old, now) -> old + WEIGHT * (now - old));
        }
    }

    /** The usual run time of this endpoint's jobs, once one was seen. */
    public synchronized OptionalLong expected(String endpointId) {
        Double average = endpointId == null ? null : averageMillis.get(endpointId);
        return average == null ? OptionalLong.empty() : OptionalLong.of(Math.round(average));
    }

    /** Endpoint ids remembered now. */
    synchronized int size() {
        return averageMillis.size();
    }
}
