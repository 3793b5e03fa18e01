package io.github.fluxkontext.camel.quarkus;

import java.time.Duration;
import java.util.Map;

import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.FalSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The fal simulator, in the test's JVM, for the application under test: started before Quarkus, its URLs handed to
 * the application as configuration (for the packaged application, as system properties of its process), and
 * injected into the tests' {@code FalSimulator} fields.
 */
public class FalSimulatorResource implements QuarkusTestResourceLifecycleManager {

    /** The key the simulator takes; the application reads it from FAL_KEY, which the pom sets to this value. */
    static final String KEY = "quarkus-test-key";

    private FalSimulator simulator;

    /**
     * The status requests that carried the key so far (Bearer: the component's scheme for a host other than fal's);
     * the producers' health checks send them.
     */
    static long statusRequestsWithTheKey(FalSimulator simulator) {
        return simulator.journal().entries(FalOperation.STATUS).stream()
                .filter(request -> ("Bearer " + KEY).equals(request.header("Authorization"))).count();
    }

    @Override
    public Map<String, String> start() {
        simulator = FalSimulator.builder().apiKey(KEY)
                .queueTime(Duration.ofMillis(20)).runTime(Duration.ofMillis(50)).imageScale(0.25)
                .start();
        return Map.of("camel.component.flux-kontext.base-url", simulator.baseUrl(),
                "camel.component.flux-kontext.jwks-url", simulator.jwksUrl());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(simulator, new TestInjector.MatchesType(FalSimulator.class));
    }

    @Override
    public void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }
}
