package io.github.fluxkontext.camel.docs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference page documents every option and header (its tables are written by the build from the
 * component JSON; CI also checks the committed page is current), and shows Java and YAML for each use case.
 */
class ComponentDocsTest {

    private static final Path PAGE = Path.of("src/main/docs/flux-kontext-component.adoc");

    private static JsonNode schema() throws IOException {
        try (InputStream in = ComponentDocsTest.class.getResourceAsStream("/META-INF/io/github/fluxkontext/camel/flux-kontext.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void everyOptionAndHeaderIsOnThePage() throws IOException {
        String page = Files.readString(PAGE);
        JsonNode schema = schema();
        List<String> missing = new ArrayList<>();
        for (String section : List.of("componentProperties", "properties", "headers")) {
            schema.get(section).properties().forEach(entry -> {
                String name = entry.getKey();
                if (!page.contains("*" + name + "*")) {
                    missing.add(section + ": " + name);
                }
            });
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void eachUseCaseHasAJavaAndAYamlExample() throws IOException {
        String page = Files.readString(PAGE);
        for (String useCase : List.of("=== Text to image", "=== Edit an image", "=== Combine several images (multi)",
                "=== Submit now, fetch later (handle mode)", "=== Files in, files out, several images",
                "=== Kamelets in a route", "=== Exactly once from a source that redelivers",
                "=== Receive fal's callbacks (webhook consumer)", "=== Submit here, finish anywhere (webhooks across instances)",
                "=== Wait for the webhook (waitMode=webhook)", "=== Stream or poll (waitMode)",
                "=== Limit, watch and check (maxConcurrentJobs, health, metrics)",
                "=== Keep images an hour, and count the cost (mediaExpiration, falHeaders)", "=== Edit at a lower price (model=dev)",
                "=== Your own style (model=lora)", "=== Repaint part of an image (inpaint)")) {
            int start = page.indexOf(useCase);
            assertTrue(start >= 0, "missing section " + useCase);
            int end = page.indexOf("\n=== ", start + 1);
            String section = page.substring(start, end < 0 ? page.length() : end);
            assertTrue(section.contains("[source,java]") && section.contains("[source,yaml]"), useCase + " needs Java and YAML");
        }
    }
}
