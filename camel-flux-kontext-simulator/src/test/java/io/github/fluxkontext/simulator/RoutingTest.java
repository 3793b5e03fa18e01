package io.github.fluxkontext.simulator;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RoutingTest {

    @RegisterExtension
    static final FalSimulatorExtension FAL = FalSimulatorExtension.create(b -> b
            .queueTime(Duration.ZERO).runTime(Duration.ZERO).imageScale(0.125));

    static String id;

    @BeforeAll
    static void oneCompletedMaxJob(FalSimulator sim) {
        SimHttp http = new SimHttp(sim);
        id = http.submitId("fal-ai/flux-pro/kontext/max/text-to-image", "{\"prompt\":\"route\"}");
        http.awaitCompleted("fal-ai/flux-pro", id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fal-ai/flux-pro", "fal-ai/flux-pro/kontext/max/text-to-image"})
    void statusResultAndCancelAcceptOwnerAliasAndFullIdWithOrWithoutTrailingSlash(String app) {
        SimHttp http = new SimHttp(FAL.simulator());
        String base = "/" + app + "/requests/" + id;
        assertEquals(200, http.get(base + "/status").statusCode());
        assertEquals(200, http.get(base + "/status/").statusCode());
        assertEquals(200, http.get(base).statusCode());
        assertEquals(200, http.get(base + "/").statusCode());
        assertEquals(400, http.put(base + "/cancel", null).statusCode());
        assertEquals(400, http.put(base + "/cancel/", null).statusCode());
    }

    @Test
    void submitAcceptsATrailingSlash() {
        assertEquals(200, new SimHttp(FAL.simulator()).post("/fal-ai/flux-pro/kontext/text-to-image/",
                "{\"prompt\":\"slash\"}").statusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"fal-ai/other-app", "fal-ai/flux-pro/kontext/text-to-image", "acme/flux-pro"})
    void requestIdUnderAnotherAppIs404(String app) {
        SimHttp http = new SimHttp(FAL.simulator());
        assertEquals(404, http.get("/" + app + "/requests/" + id + "/status").statusCode());
        assertEquals(404, http.get("/" + app + "/requests/" + id).statusCode());
        assertEquals(404, http.put("/" + app + "/requests/" + id + "/cancel", null).statusCode());
    }

    @Test
    void unknownPathsAndMethods() {
        SimHttp http = new SimHttp(FAL.simulator());
        assertEquals(404, http.get("/nothing").statusCode());
        assertEquals(404, http.post("/single", "{}").statusCode());
        assertEquals(405, http.send("DELETE", "/fal-ai/flux-pro/requests/" + id, null).statusCode());
        assertEquals(405, http.get("/fal-ai/flux-pro/requests/" + id + "/cancel").statusCode());
    }
}
