package io.github.fluxkontext.camel;

import java.util.Map;

import io.github.fluxkontext.camel.client.RecordingServer;
import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextResult;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.JournalEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The key goes to the configured origins only: never to URLs a server hands out, never to image hosts. */
class SecurityTest extends FluxKontextTestSupport {

    private RecordingServer elsewhere;

    @BeforeEach
    void startOtherHost() {
        elsewhere = new RecordingServer(exchange -> new RecordingServer.Answer(500, Map.of(), "{\"detail\":\"not here\"}"));
        // like an aggregator that echoes fal's own hosts: the answers point at another server
        sim().setForeignUrlBase(elsewhere.baseUrl());
    }

    @AfterEach
    void stopOtherHost() {
        sim().setForeignUrlBase(null);
        elsewhere.close();
    }

    @Test
    void statusAndResultUrlsOnAnotherHostAreNotFollowed() {
        KontextResult result = template.requestBody("flux-kontext:text-to-image?outputType=result", "a fox", KontextResult.class);

        assertEquals(1, result.images().size());
        assertTrue(elsewhere.received().isEmpty(), "the other host got " + elsewhere.received());
        for (JournalEntry poll : sim().journal().entries(FalOperation.STATUS)) {
            assertTrue(poll.path().startsWith("/fal-ai/flux-pro/requests/"), "derived from the base URL: " + poll.path());
            assertEquals("Key " + KEY, poll.header("Authorization"));
        }
    }

    @Test
    void aHandleKeepsOnlyUrlsOnTheBaseUrlsOrigin() {
        KontextJob job = template.requestBody("flux-kontext:text-to-image?waitForResult=false", "a fox", KontextJob.class);

        assertNull(job.statusUrl());
        assertNull(job.responseUrl());
        assertNull(job.cancelUrl());
    }

    @Test
    void aHandleWithForeignUrlsFromTheUserIsNotFollowedEither() {
        String requestId = template.requestBody("flux-kontext:text-to-image?waitForResult=false", "a fox", KontextJob.class).requestId();
        KontextJob forged = new KontextJob(requestId, "fal-ai/flux-pro/kontext/text-to-image", null, null,
                elsewhere.baseUrl() + "/steal/status", elsewhere.baseUrl() + "/steal", elsewhere.baseUrl() + "/steal/cancel",
                null, null, null, null);

        template.requestBody("flux-kontext:result", forged, KontextResult.class);
        template.requestBody("flux-kontext:cancel", forged);

        assertTrue(elsewhere.received().isEmpty(), "the other host got " + elsewhere.received());
    }

    @Test
    void imageDownloadsCarryNoCredentials() {
        sim().setForeignUrlBase(null);
        template.requestBody("flux-kontext:text-to-image?outputType=bytes&numImages=2", "two foxes");

        assertEquals(2, sim().journal().count(FalOperation.FILE));
        sim().journal().entries(FalOperation.FILE).forEach(download -> assertNull(download.header("Authorization")));
    }

    @Test
    void theKeyIsInNoExceptionMessage() {
        sim().faults().add(io.github.fluxkontext.simulator.Fault.on(FalOperation.SUBMIT).status(401)
                .body("{\"detail\":\"No user found for Key ID and Secret\"}"));

        Exception e = failure(io.github.fluxkontext.camel.model.FluxKontextApiException.class, "flux-kontext:text-to-image", "a fox", Map.of());

        assertFalse(e.getMessage().contains(KEY), e.getMessage());
        assertTrue(e.getMessage().contains("Check the apiKey"), e.getMessage());
    }
}
