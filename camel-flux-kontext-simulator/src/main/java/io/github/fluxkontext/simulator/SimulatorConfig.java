package io.github.fluxkontext.simulator;

import java.time.Duration;

/** The builder's settings, fixed when the simulator is built. */
record SimulatorConfig(String host, int port, String apiKey, Duration queueTime, Duration runTime, int runners,
                       Duration resultTtl, double imageScale, Duration sseKeepAlive, boolean validateAtSubmit) {
}
