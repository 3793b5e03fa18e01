package io.github.fluxkontext.example;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.github.fluxkontext.example.ExampleTestSupport.assertImage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Settings from the environment, as a container or a CI job would give them. */
class EnvironmentOverrideTest {

    @TempDir
    Path dir;

    @Test
    void componentVariablesBecomeComponentProperties() {
        Properties p = ComponentEnvironment.overrides(Map.of(
                "CAMEL_COMPONENT_FLUX_KONTEXT_OUTPUT_FORMAT", "png",
                "CAMEL_COMPONENT_FLUX_KONTEXT_MAX_POLL_INTERVAL", "3s",
                "CAMEL_COMPONENT_FILE_BRIDGE_ERROR_HANDLER", "true",
                "FAL_KEY", "not-a-component-option"));

        assertEquals(2, p.size(), p.toString());
        assertEquals("png", p.getProperty("camel.component.flux-kontext.output-format"));
        assertEquals("3s", p.getProperty("camel.component.flux-kontext.max-poll-interval"));
    }

    /**
     * The real program in a JVM of its own, configured only through environment variables: a component
     * option (CAMEL_COMPONENT_FLUX_KONTEXT_OUTPUT_FORMAT=png) and the example's settings (EXAMPLE_*).
     */
    @Test
    void theProgramTakesItsSettingsFromTheEnvironment() throws Exception {
        Path out = dir.resolve("images");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-cp", mainClassPath(), FluxKontextExample.class.getName());
        builder.directory(dir.toFile());
        Map<String, String> env = builder.environment();
        env.remove("FAL_KEY");
        env.remove("FAL_KEY_ID");
        env.remove("FAL_KEY_SECRET");
        env.remove(Backend.BASE_URL_VARIABLE);
        env.put("CAMEL_COMPONENT_FLUX_KONTEXT_OUTPUT_FORMAT", "png");
        env.put("EXAMPLE_OUTPUT_DIR", "images"); // relative to the working directory, as the default output is
        env.put("EXAMPLE_ROUTES", "yaml");
        env.put("EXAMPLE_SIMULATOR_QUEUE_TIME", "20ms");
        env.put("EXAMPLE_SIMULATOR_RUN_TIME", "50ms");
        env.put("EXAMPLE_SIMULATOR_RUNNERS", "4");
        env.put("EXAMPLE_SIMULATOR_IMAGE_SCALE", ExampleTestSupport.IMAGE_SCALE);
        env.put("CAMEL_COMPONENT_FLUX_KONTEXT_POLL_INTERVAL", "20ms");
        builder.redirectErrorStream(true);
        File log = dir.resolve("run.log").toFile();
        builder.redirectOutput(log);

        Process process = builder.start();
        boolean ended = process.waitFor(90, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);

        assertTrue(ended, "the example did not end:\n" + output);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("Backend: the fal simulator in this JVM"), output);
        assertTrue(output.contains("Routes: yaml"), output);
        // paths under the working directory are printed relative to it: no machine's absolute paths in what users read
        assertTrue(output.contains("5 of 5 jobs succeeded, 5 image file(s) in images\n"), output);
        assertFalse(output.contains(dir.toAbsolutePath().toString()), output);
        try (Stream<Path> files = Files.walk(out)) {
            List<Path> images = files.filter(Files::isRegularFile).sorted().toList();
            assertEquals(5, images.size(), images.toString());
            for (Path image : images) {
                assertTrue(image.toString().endsWith(".png"), image.toString());
                assertTrue(output.contains(" " + dir.relativize(image) + "\n"), "the summary names " + image);
            }
        }
        assertImage(out.resolve("text-to-image/teapot-1.png"), "png", 128, 128);
        assertImage(out.resolve("edit/house-1.png"), "png", 148, 110);
    }

    /** The test class path without the test classes: the program logs with its own log4j2.xml, to the console. */
    private static String mainClassPath() {
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).endsWith("test-classes"))
                .collect(java.util.stream.Collectors.joining(File.pathSeparator));
    }
}
