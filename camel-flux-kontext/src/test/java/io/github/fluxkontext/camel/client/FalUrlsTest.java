package io.github.fluxkontext.camel.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** fal's app id derivation and the origin rules, as fal's own clients apply them. */
class FalUrlsTest {

    @ParameterizedTest
    @CsvSource({
            "fal-ai/flux-pro/kontext,                   fal-ai/flux-pro",
            "fal-ai/flux-pro/kontext/max/text-to-image, fal-ai/flux-pro",
            "fal-ai/flux-kontext/dev,                   fal-ai/flux-kontext",
            "workflows/acme/wf/sub,                     workflows/acme/wf",
            "comfy/acme/graph,                          comfy/acme/graph",
            "12345-my-app,                              12345/my-app",
            "/fal-ai/flux-pro/kontext,                  fal-ai/flux-pro" })
    void theAppIdKeepsOwnerAliasAndNamespace(String endpointId, String appId) {
        assertEquals(appId, FalUrls.appId(endpointId));
    }

    @Test
    void resultUrlsUseTheAppIdNotTheFullEndpointId() {
        assertEquals("https://queue.fal.run/fal-ai/flux-pro/requests/abc-123",
                FalUrls.responseUrl("https://queue.fal.run/", "fal-ai/flux-pro/kontext/max/multi", "abc-123"));
        assertEquals("https://agg.example.com/fal/workflows/acme/wf/requests/abc",
                FalUrls.responseUrl("https://agg.example.com/fal", "workflows/acme/wf/sub", "abc"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "flux", "fal-ai", "workflows/acme", "fal-ai/flux pro/kontext", "fal-ai//kontext", "fal-ai/flux?x=1",
                             "fal-ai/../x", "fal-ai/flux-pro/..", "./flux/kontext", "fal-ai/.../kontext" })
    void malformedEndpointIdsAreRefused(String endpointId) {
        assertThrows(IllegalArgumentException.class, () -> FalUrls.normalizeEndpointId(endpointId));
    }

    @ParameterizedTest
    @ValueSource(strings = { "../admin", "a/b", "a?b", "a#b", ".", "" })
    void requestIdsCannotChangeThePath(String requestId) {
        assertThrows(IllegalArgumentException.class, () -> FalUrls.checkRequestId(requestId));
    }

    @Test
    void originsCompareSchemeHostAndPort() {
        assertEquals("https://queue.fal.run:443", FalUrls.origin("https://QUEUE.fal.run/fal-ai/x"));
        assertEquals(FalUrls.origin("https://queue.fal.run/a"), FalUrls.origin("https://queue.fal.run:443/b"));
        assertFalse(FalUrls.origin("https://queue.fal.run").equals(FalUrls.origin("http://queue.fal.run")));
        assertFalse(FalUrls.origin("https://queue.fal.run").equals(FalUrls.origin("https://queue.fal.run.evil.com")));
        assertNull(FalUrls.origin("not a url"));
    }

    @Test
    void falHostsAndLoopbackAreRecognised() {
        assertTrue(FalUrls.isFalHost("https://queue.fal.run"));
        assertTrue(FalUrls.isFalHost("https://rest.fal.ai"));
        assertFalse(FalUrls.isFalHost("https://fal.run.example.com"));
        assertTrue(FalUrls.isLoopback("http://127.0.0.1:8080"));
        assertTrue(FalUrls.isLoopback("http://localhost:8080"));
        assertFalse(FalUrls.isLoopback("http://192.168.1.2:8080"));
        assertTrue(FalUrls.isLoopback("http://127.0.0.2:8080"));
        assertFalse(FalUrls.isLoopback("http://127.attacker.example:8080"), "a name that looks like an address");
        assertFalse(FalUrls.isLoopback("http://127.0.0.1.nip.io:8080"));
    }

    @Test
    void aQueryParameterIsAddedWhetherTheUrlHasAQueryOrNot() {
        assertEquals("https://q.example/status?logs=1", FalUrls.withQuery("https://q.example/status", "logs=1"));
        assertEquals("https://q.example/status?sig=abc&logs=1", FalUrls.withQuery("https://q.example/status?sig=abc", "logs=1"));
    }

    @Test
    void urlsInMessagesLoseTheirQueryAndDataUrisTheirPayload() {
        assertEquals("https://cdn.example/a.png?...", FalUrls.redact("https://cdn.example/a.png?X-Amz-Signature=secret"));
        assertEquals("https://cdn.example/a.png", FalUrls.redact("https://cdn.example/a.png"));
        assertEquals("data:image/png;base64,...(30 chars)", FalUrls.redact("data:image/png;base64,AAAAAAAA"));
        assertEquals("PUT https://up.example/f?...", new FalRequest("PUT", "https://up.example/f?token=secret", null, null, null, null, 1).toString());
    }

    @Test
    void urlsInMessagesLoseTheCredentialsBeforeTheHostAndTheirFragment() {
        assertEquals("https://...@keys.example/jwks.json?...", FalUrls.redact("https://user:pa55@keys.example/jwks.json?sig=abc"));
        assertEquals("https://...@keys.example:8443", FalUrls.redact("https://token@keys.example:8443"));
        assertEquals("https://keys.example/a@b/jwks.json", FalUrls.redact("https://keys.example/a@b/jwks.json"), "an @ in the path stays");
        assertEquals("https://q.example/hook?...", FalUrls.redact("https://q.example/hook#fluxKontextToken=abc"));
        assertEquals("/fal/webhook", FalUrls.redact("/fal/webhook"));
    }

    @Test
    void onlyHttpsOrLoopbackHttpIsATargetUnlessAllowed() {
        assertTrue(FalUrls.isAllowedTarget("https://cdn.example/a.png", false));
        assertTrue(FalUrls.isAllowedTarget("http://127.0.0.1:8080/a.png", false));
        assertFalse(FalUrls.isAllowedTarget("http://cdn.example/a.png", false));
        assertTrue(FalUrls.isAllowedTarget("http://cdn.example/a.png", true));
        assertFalse(FalUrls.isAllowedTarget("ftp://cdn.example/a.png", true));
        assertFalse(FalUrls.isAllowedTarget("file:///etc/passwd", true));
    }
}
