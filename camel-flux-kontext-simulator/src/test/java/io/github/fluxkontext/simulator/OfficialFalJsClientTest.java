package io.github.fluxkontext.simulator;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Runs fal's official JS client ({@code @fal-ai/client}, see src/test/js) against a simulator: the proof
 * that the simulator speaks fal's protocol as fal's own client reads it. Maven copies src/test/js to
 * target/fal-js-check and runs {@code npm ci} there; {@code -DskipJsClientCheck} skips both.
 */
class OfficialFalJsClientTest {

    private static final Duration PROCESS_TIMEOUT = Duration.ofMinutes(3);

    @Test
    void officialFalJsClientWorksAgainstTheSimulator() throws IOException, InterruptedException {
        assumeFalse(Boolean.getBoolean("fal.js.check.skip") || Boolean.getBoolean("skipJsClientCheck"),
                "skipped by -DskipJsClientCheck");
        Path dir = Path.of(System.getProperty("fal.js.check.dir", "target/fal-js-check"));
        assertTrue(Files.isDirectory(dir.resolve("node_modules/@fal-ai/client")),
                "npm ci did not run in " + dir.toAbsolutePath() + " (run through Maven, or pass -DskipJsClientCheck)");

        try (FalSimulator sim = FalSimulator.builder().apiKey("js-key-id:js-key-secret")
                .queueTime(Duration.ofMillis(300)).runTime(Duration.ofMillis(150)).runners(4)
                .sseKeepAlive(Duration.ofSeconds(1)).imageScale(0.25).start()) {
            ProcessBuilder pb = new ProcessBuilder("node", "fal-client-check.mjs")
                    .directory(dir.toFile())
                    .redirectErrorStream(true);
            pb.environment().put("FAL_SIM_URL", sim.baseUrl());
            pb.environment().put("FAL_KEY", sim.apiKey());
            Process p = pb.start();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            if (!p.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("fal JS client check did not finish within " + PROCESS_TIMEOUT + ":\n" + output.getNow("(no output)"));
            }
            String text = output.join();
            System.out.println(text); // the check's own report, one line per check
            assertEquals(0, p.exitValue(), "fal JS client check failed:\n" + text);
            assertTrue(text.contains(" passed, 0 failed"), text);
            theInpaintSubmitCarriedFalsLifecycleHeaderAndUploadedImages(sim);
        }
    }

    /** What fal's own client sent for its LoRA inpaint with Blobs, {@code storageSettings} and an extra header. */
    private static void theInpaintSubmitCarriedFalsLifecycleHeaderAndUploadedImages(FalSimulator sim) {
        JournalEntry submit = sim.journal().entries(FalOperation.SUBMIT).stream()
                .filter(e -> e.path().equals("/fal-ai/flux-kontext-lora/inpaint") && e.header("x-fal-no-retry") != null)
                .findFirst().orElseThrow(() -> new AssertionError("no inpaint submit with x-fal-no-retry"));
        assertEquals(200, submit.status());
        assertEquals("1", submit.header("x-fal-no-retry"));
        assertEquals("{\"expiration_duration_seconds\":3600}", submit.header("x-fal-object-lifecycle-preference"));
        Map<String, Object> body = submit.bodyAsJson();
        for (String field : List.of("image_url", "mask_url", "reference_image_url")) {
            assertTrue(((String) body.get(field)).startsWith(sim.baseUrl() + "/files/uploads/"), field + ": " + body.get(field));
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(could not read the output: " + e + ")";
        }
    }
}
