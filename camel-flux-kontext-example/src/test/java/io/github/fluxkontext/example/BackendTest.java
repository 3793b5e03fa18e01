package io.github.fluxkontext.example;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.github.fluxkontext.camel.FluxKontextConfiguration;
import io.github.fluxkontext.camel.client.AuthScheme;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which backend the example picks, and what it says about it. */
class BackendTest {

    private static final String KEY = "key-id-1234:key-secret-5678";

    private static ExampleSettings settings(String simulator) {
        return new ExampleSettings("java", false, Path.of("output"), Path.of("input"), "file", Path.of("input/.ledger"), simulator,
                Duration.ZERO, Duration.ZERO, 1, 0.125, false, null);
    }

    @Test
    void noKeyMeansTheSimulator() {
        FluxKontextConfiguration config = new FluxKontextConfiguration();
        try (Backend backend = Backend.configure(config, settings("auto"), Map.of())) {
            assertEquals(Backend.Kind.SIMULATOR, backend.kind());
            assertNotNull(backend.simulator());
            assertEquals(backend.simulator().baseUrl(), config.getBaseUrl());
            assertTrue(config.getBaseUrl().startsWith("http://127.0.0.1:"));
            assertTrue(backend.describe().startsWith("the fal simulator in this JVM at http://127.0.0.1:"), backend.describe());
        }
    }

    @Test
    void falKeyMeansFalWithKeyAuth() {
        FluxKontextConfiguration config = new FluxKontextConfiguration();
        try (Backend backend = Backend.configure(config, settings("auto"), Map.of("FAL_KEY", KEY))) {
            assertEquals(Backend.Kind.FAL, backend.kind());
            assertNull(backend.simulator());
            assertEquals("https://queue.fal.run", config.getBaseUrl());
            assertNull(config.getApiKey(), "the component reads FAL_KEY itself");
            assertEquals("fal at https://queue.fal.run (Authorization: Key, key from FAL_KEY)", backend.describe());
        }
    }

    @Test
    void aBaseUrlAndAKeyMeanAnAggregatorWithBearer() {
        FluxKontextConfiguration config = new FluxKontextConfiguration();
        Map<String, String> env = Map.of("FAL_KEY", KEY, Backend.BASE_URL_VARIABLE, "https://api.aggregator.example/fal");
        try (Backend backend = Backend.configure(config, settings("auto"), env)) {
            assertEquals(Backend.Kind.AGGREGATOR, backend.kind());
            assertEquals("https://api.aggregator.example/fal", config.getBaseUrl());
            assertEquals("the aggregator at https://api.aggregator.example/fal (Authorization: Bearer, token from FAL_KEY)",
                    backend.describe());
            assertFalse(backend.describe().contains(KEY));
        }
    }

    @Test
    void theComponentPropertiesWinOverTheVariables() {
        FluxKontextConfiguration config = new FluxKontextConfiguration();
        config.setBaseUrl("https://configured.example");
        config.setApiKey(KEY);
        config.setAuthScheme(AuthScheme.KEY);
        Map<String, String> env = Map.of(Backend.BASE_URL_VARIABLE, "https://from-env.example");
        try (Backend backend = Backend.configure(config, settings("auto"), env)) {
            assertEquals("the aggregator at https://configured.example (Authorization: Key, token from"
                         + " camel.component.flux-kontext.api-key)", backend.describe());
        }
    }

    @Test
    void aBaseUrlWithoutAKeyIsAnError() {
        FluxKontextConfiguration config = new FluxKontextConfiguration();
        Map<String, String> env = Map.of(Backend.BASE_URL_VARIABLE, "https://api.aggregator.example");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backend.configure(config, settings("auto"), env));
        assertTrue(e.getMessage().startsWith("No key for https://api.aggregator.example: set FAL_KEY"), e.getMessage());
    }

    @Test
    void simulatorAlwaysIgnoresTheKey() {
        FluxKontextConfiguration config = new FluxKontextConfiguration();
        try (Backend backend = Backend.configure(config, settings("always"), Map.of("FAL_KEY", KEY))) {
            assertEquals(Backend.Kind.SIMULATOR, backend.kind());
            assertFalse(KEY.equals(config.getApiKey()));
        }
    }
}
