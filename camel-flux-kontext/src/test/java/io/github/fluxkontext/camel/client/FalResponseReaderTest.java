package io.github.fluxkontext.camel.client;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fluxkontext.camel.model.FluxKontextApiException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** fal's refusals in words: a 401 says whether a key was sent at all; the billable units of a result answer, exactly. */
class FalResponseReaderTest {

    private static final RetryPolicy NO_RETRY = new RetryPolicy(0, Duration.ofMillis(1), Duration.ofMillis(1), SubmitRetry.SAFE);
    private static final FalResponse REFUSED = new FalResponse(401, Map.of(),
            "{\"detail\":\"No user found for Key ID and Secret\"}".getBytes(StandardCharsets.UTF_8), "application/json");

    @Test
    void aRefusalWithoutAnyKeySaysNoKeyWasSent() {
        FluxKontextApiException e = reader(FalCredentials.none()).error(REFUSED, CallKind.SUBMIT, "the submit", null, null);

        assertTrue(e.getMessage().contains("No key was sent"), e.getMessage());
        assertTrue(e.getMessage().contains("FAL_KEY"), "says how to give one: " + e.getMessage());
    }

    @Test
    void aRefusedKeyIsToBeChecked() {
        FalCredentials key = FalCredentials.none().with("https://queue.fal.run", AuthScheme.KEY, "key-id-1234:key-secret-5678");

        FluxKontextApiException e = reader(key).error(REFUSED, CallKind.SUBMIT, "the submit", null, null);

        assertTrue(e.getMessage().contains("Check the apiKey"), e.getMessage());
        assertFalse(e.getMessage().contains("No key was sent"), e.getMessage());
    }

    @Test
    void billableUnitsAreReadExactlyAsFalWroteThem() {
        assertEquals(new BigDecimal("3.008"), units("3.008"));
        assertEquals(new BigDecimal("2"), units(" 2 "));
        assertEquals(new BigDecimal("0.000001"), units("0.000001"));
    }

    @Test
    void absentOrUnreadableBillableUnitsAreUnknownNotAFailure() {
        assertNull(units(null), "none sent");
        assertNull(units("two"), "not a number");
        assertNull(units("-1"), "negative");
        assertNull(units("1e40"), "beyond 12 digits before the point");
        assertNull(units("1e-40"), "beyond 12 digits after the point: a sum with it would grow without bound");
    }

    private static BigDecimal units(String header) {
        FalResponse answer = new FalResponse(200, header == null ? Map.of() : Map.of("x-fal-billable-units", header),
                "{}".getBytes(StandardCharsets.UTF_8), "application/json");
        return reader(FalCredentials.none()).billableUnits(answer, "req-1");
    }

    private static FalResponseReader reader(FalCredentials credentials) {
        return new FalResponseReader(new ObjectMapper(), NO_RETRY, credentials);
    }
}
