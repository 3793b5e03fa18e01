package io.github.fluxkontext.camel.submit;

import java.util.List;

import io.github.fluxkontext.camel.model.FluxKontextApiException;
import io.github.fluxkontext.camel.model.FluxKontextException;
import io.github.fluxkontext.camel.model.FluxKontextTransportException;
import io.github.fluxkontext.camel.model.FluxKontextValidationException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which failed submits free their idempotency key (certainly no job) and which keep it (a job may exist). */
class LedgerClaimsTest {

    @Test
    void failuresThatCertainlyCreatedNoJobFreeTheKey() {
        assertTrue(LedgerClaims.createdNoJob(new FluxKontextValidationException("prompt", " ", "allowed: a non-blank text")));
        assertTrue(LedgerClaims.createdNoJob(transport(false)), "never reached the server, or never sent by a stopping endpoint");
        assertTrue(LedgerClaims.createdNoJob(api(422, null)));
        assertTrue(LedgerClaims.createdNoJob(api(429, null)));
        assertTrue(LedgerClaims.createdNoJob(api(503, null)));
    }

    @Test
    void failuresAfterWhichAJobMayExistKeepTheKey() {
        assertFalse(LedgerClaims.createdNoJob(transport(true)));
        assertFalse(LedgerClaims.createdNoJob(api(502, null)));
        assertFalse(LedgerClaims.createdNoJob(api(503, "req-1")), "accepted, then failed");
        assertFalse(LedgerClaims.createdNoJob(new FluxKontextException("fal's answer cannot be read")));
        assertFalse(LedgerClaims.createdNoJob(new IllegalStateException("anything else")));
    }

    private static FluxKontextTransportException transport(boolean outcomeUnknown) {
        return new FluxKontextTransportException("broken", null, null, null, outcomeUnknown);
    }

    private static FluxKontextApiException api(int status, String requestId) {
        return new FluxKontextApiException("HTTP " + status, status, List.of(), null, false, "", requestId, null);
    }
}
