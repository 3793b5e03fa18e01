package io.github.fluxkontext.example;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgumentsTest {

    @Test
    void argumentsBecomeSettings() {
        Properties p = FluxKontextExample.parse(new String[] { "--watch", "--routes=yaml", "--example.output-dir=/tmp/x",
                                                               "--camel.component.flux-kontext.model=max", "--webhook", "" });
        assertEquals("true", p.getProperty("example.watch"));
        assertEquals("true", p.getProperty("example.webhook"));
        assertEquals("yaml", p.getProperty("example.routes"));
        assertEquals("/tmp/x", p.getProperty("example.output-dir"));
        assertEquals("max", p.getProperty("camel.component.flux-kontext.model"));
        assertNull(FluxKontextExample.parse(new String[] { "--help" }));
        assertThrows(IllegalArgumentException.class, () -> FluxKontextExample.parse(new String[] { "watch" }));
    }

    @Test
    void helpAndBadArgumentsPrintTheUsage() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

        assertEquals(0, FluxKontextExample.run(new String[] { "--help" }, Map.of(), out));
        assertEquals(2, FluxKontextExample.run(new String[] { "--bogus" }, Map.of(), out));

        String printed = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("Usage: FluxKontextExample [--watch]"), printed);
        assertTrue(printed.contains("Unknown argument: --bogus"), printed);
    }

    @Test
    void aBaseUrlWithoutAKeyStopsWithAClearMessage() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

        int code = FluxKontextExample.run(new String[0], Map.of("FLUX_KONTEXT_BASE_URL", "https://aggregator.example"), out);

        assertEquals(1, code);
        String printed = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("Cannot start the example: No key for https://aggregator.example: set FAL_KEY"), printed);
    }
}
