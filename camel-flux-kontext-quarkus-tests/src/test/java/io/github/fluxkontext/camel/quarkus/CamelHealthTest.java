package io.github.fluxkontext.camel.quarkus;

import java.util.Collection;
import java.util.List;

import io.github.fluxkontext.simulator.FalSimulator;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The producers' readiness checks on Camel Quarkus through Camel's health API (camel-health, turned on by
 * camel.health.producers-enabled=true in application.properties): what camel-quarkus-microprofile-health shows on
 * /q/health, where it is on the class path (QuarkusHealthEndpointTest).
 */
@QuarkusTest
@WithTestResource(FalSimulatorResource.class)
class CamelHealthTest {

    @Inject
    CamelContext camelContext;

    FalSimulator simulator;

    @Test
    void theProducersAreReadyWhenFalTakesTheKey() {
        long probesBefore = FalSimulatorResource.statusRequestsWithTheKey(simulator);

        List<HealthCheck.Result> checks = fluxKontextChecks();

        // one per producer: the six routes', and those of templates other tests sent through
        assertTrue(checks.size() >= 6, "one per producer of the six routes: " + checks);
        for (HealthCheck.Result check : checks) {
            assertEquals(HealthCheck.State.UP, check.getState(), check.getCheck().getId() + ": " + check.getMessage());
        }
        assertTrue(FalSimulatorResource.statusRequestsWithTheKey(simulator) >= probesBefore + checks.size(),
                "each check asked fal, with the key");
    }

    @Test
    void aProducerWhoseKeyFalRefusesIsDown() throws Exception {
        WrongKeyRoute.add(camelContext);
        try {
            List<HealthCheck.Result> down = fluxKontextChecks().stream().filter(c -> c.getState() == HealthCheck.State.DOWN).toList();

            assertEquals(1, down.size(), "the wrong key's producer only: " + down);
            HealthCheck.Result check = down.get(0);
            assertTrue(check.getCheck().getId().startsWith(WrongKeyRoute.CHECK_ID_PREFIX), check.getCheck().getId());
            assertTrue(check.getMessage().orElse("").contains("refused the key"), check.getMessage().orElse(""));
            assertFalse(check.getDetails().toString().contains(WrongKeyRoute.WRONG_KEY), "no key in the details");
        } finally {
            WrongKeyRoute.remove(camelContext);
        }
        assertTrue(fluxKontextChecks().stream().allMatch(c -> c.getState() == HealthCheck.State.UP),
                "its check left with the route");
    }

    private List<HealthCheck.Result> fluxKontextChecks() {
        // "full": every check's result (by default Camel answers one UP result, or the DOWN ones)
        Collection<HealthCheck.Result> all = HealthCheckHelper.invokeReadiness(camelContext, "full");
        return all.stream().filter(result -> result.getCheck().getId().startsWith("producer:flux-kontext-")).toList();
    }
}
