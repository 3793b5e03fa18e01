package io.github.fluxkontext.simulator;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExtensionStaticTest {

    @RegisterExtension
    static final FalSimulatorExtension FAL = FalSimulatorExtension.create(b -> b.apiKey("static-key"));

    static FalSimulator first;

    @Test
    @Order(1)
    void staticFieldStartsOneSimulatorForTheClassAndInjectsIt(FalSimulator sim) {
        first = sim;
        assertSame(FAL.simulator(), sim);
        assertEquals("static-key", FAL.apiKey());
        assertTrue(FAL.baseUrl().startsWith("http://127.0.0.1:"));
        new SimHttp(sim, "Key static-key").submitId("fal-ai/flux-pro/kontext/text-to-image", "{\"prompt\":\"x\"}");
        sim.faults().add(Fault.on(FalOperation.STATUS).status(500).always());
        assertEquals(1, sim.journal().count(FalOperation.SUBMIT));
    }

    @Test
    @Order(2)
    void journalAndFaultsAreClearedBeforeEachTestButJobsAreKept(FalSimulator sim) {
        assertSame(first, sim);
        assertEquals(0, sim.journal().count(FalOperation.SUBMIT));
        assertEquals(1, sim.jobs().size());
        assertEquals(404, new SimHttp(sim, "Key static-key").get("/fal-ai/flux-pro/requests/x/status").statusCode());
    }
}
