package io.github.fluxkontext.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The builder's settings that are fixed when the simulator is built (timings live in {@link LiveSettings}). */
record SimulatorConfig(String host, int port, String apiKey, int runners, Duration resultTtl, double imageScale,
                       Duration sseKeepAlive, boolean validateAtSubmit, String webhookUserId,
                       List<Duration> webhookRetryDelays, Duration webhookTimeout,
                       Map<String, BillableUnits> billableUnits) {

    /** What a successful result of this endpoint answers in {@code x-fal-billable-units}. */
    BillableUnits billableUnits(EndpointId endpoint) {
        return billableUnits.getOrDefault(endpoint.id(), BillableUnits.defaultFor(endpoint));
    }
}
