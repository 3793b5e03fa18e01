package io.github.fluxkontext.simulator;

import java.time.Duration;
import java.util.List;

/** The builder's settings that are fixed when the simulator is built (timings live in {@link LiveSettings}). */
record SimulatorConfig(String host, int port, String apiKey, int runners, Duration resultTtl, double imageScale,
                       Duration sseKeepAlive, boolean validateAtSubmit, String webhookUserId,
                       List<Duration> webhookRetryDelays, Duration webhookTimeout) {
}
