package io.github.fluxkontext.simulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ExtensionInstanceTest {

    @RegisterExtension
    final FalSimulatorExtension fal = FalSimulatorExtension.create();

    static final Set<String> BASES = new HashSet<>();
    static final Set<FalSimulator> STARTED = new HashSet<>();

    @Test
    void instanceFieldStartsASimulatorPerTest(FalSimulator sim) {
        record(sim);
    }

    @Test
    void anotherTestGetsAnotherSimulator(FalSimulator sim) {
        record(sim);
    }

    private void record(FalSimulator sim) {
        assertNull(fal.apiKey());
        assertEquals(fal.baseUrl(), sim.baseUrl());
        assertEquals(0, sim.jobs().size());
        BASES.add(sim.baseUrl());
        STARTED.add(sim);
    }

    @AfterAll
    static void eachTestHadItsOwnAndAllAreClosed() {
        assertEquals(2, STARTED.size());
        for (FalSimulator s : STARTED) {
            assertThrows(IllegalStateException.class, s::startServer); // closed
        }
    }
}
