package io.github.fluxkontext.simulator;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class AuthTest {

    private static final String T2I = "/fal-ai/flux-pro/kontext/text-to-image";
    private static final String BODY = "{\"prompt\":\"auth\"}";

    private static FalSimulator withKey() {
        return FalSimulator.builder().apiKey("id:secret").queueTime(Duration.ZERO).runTime(Duration.ZERO)
                .imageScale(0.125).start();
    }

    @Test
    void configuredKeyIsAcceptedAsKeyOrBearer() {
        try (FalSimulator sim = withKey()) {
            SimHttp http = new SimHttp(sim);
            assertEquals("id:secret", sim.apiKey());
            assertEquals(200, http.post(T2I, BODY, "Authorization", "Key id:secret").statusCode());
            assertEquals(200, http.post(T2I, BODY, "Authorization", "Bearer id:secret").statusCode());
        }
    }

    @Test
    void wrongOrMissingCredentialsAre401WithFalsBody() {
        try (FalSimulator sim = withKey()) {
            SimHttp http = new SimHttp(sim);
            for (String auth : new String[] {"Key other:secret", "Bearer wrong", "Basic aWQ6c2VjcmV0", "Key "}) {
                HttpResponse<byte[]> r = http.post(T2I, BODY, "Authorization", auth);
                assertEquals(401, r.statusCode(), auth);
                assertEquals(Map.of("detail", "No user found for Key ID and Secret"), SimHttp.json(r));
            }
            HttpResponse<byte[]> none = SimHttpNoAuth.post(sim, T2I, BODY);
            assertEquals(401, none.statusCode());
            assertEquals(401, http.get("/fal-ai/flux-pro/requests/x/status", "Authorization", "Key nope").statusCode());
            assertEquals(0, sim.jobs().size());
        }
    }

    @Test
    void anyKeyModeAcceptsAnyNonBlankKeyButStillNeedsTheHeader() {
        try (FalSimulator sim = FalSimulator.start()) {
            SimHttp http = new SimHttp(sim);
            assertNull(sim.apiKey());
            assertEquals(200, http.post(T2I, BODY, "Authorization", "Key whatever").statusCode());
            assertEquals(200, http.post(T2I, BODY, "Authorization", "Bearer some.jwt.token").statusCode());
            assertEquals(401, http.post(T2I, BODY, "Authorization", "Key  ").statusCode());
            assertEquals(401, SimHttpNoAuth.post(sim, T2I, BODY).statusCode());
        }
    }

    @Test
    void filesNeedNoAuth() {
        try (FalSimulator sim = withKey()) {
            SimHttp http = new SimHttp(sim, "Key id:secret");
            String id = http.submitId(T2I.substring(1), BODY);
            String url = (String) SimHttp.images(SimHttp.json(http.result("fal-ai/flux-pro", id))).get(0).get("url");
            assertEquals(200, SimHttpNoAuth.get(sim, url).statusCode());
        }
    }
}
