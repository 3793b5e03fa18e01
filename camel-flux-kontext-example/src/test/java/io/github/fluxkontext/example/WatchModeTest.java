package io.github.fluxkontext.example;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

import io.github.fluxkontext.camel.ledger.FileSubmissionLedger;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.FalSimulator;
import org.apache.camel.ServiceStatus;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.github.fluxkontext.example.ExampleTestSupport.assertImage;
import static io.github.fluxkontext.example.ExampleTestSupport.fastSettings;
import static io.github.fluxkontext.example.ExampleTestSupport.noKeyEnvironment;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Watch mode: files dropped into the input folder become images in the output folder. */
class WatchModeTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} routes")
    @ValueSource(strings = { "java", "yaml" })
    void droppedPromptAndImageWithInstructionBecomeImages(String routes) throws Exception {
        Path in = dir.resolve("input");
        Path out = dir.resolve("output");
        try (ExampleApplication app = watching(routes)) {
            FalSimulator sim = app.backend().simulator();
            assertEquals(ServiceStatus.Started, app.context().getRouteController().getRouteStatus("watch-edit"));

            // an image alone waits for its instruction
            Path photo = in.resolve("edit/photo.jpg");
            Files.createDirectories(photo.getParent());
            try (InputStream sample = getClass().getResourceAsStream("/samples/edit/house.jpg")) {
                Files.copy(sample, photo);
            }
            // a prompt file: text-to-image
            Path castle = in.resolve("text-to-image/castle.txt");
            Files.createDirectories(castle.getParent());
            Files.writeString(castle, "A sand castle at low tide\n", StandardCharsets.UTF_8);

            await().atMost(PATIENCE).until(() -> Files.exists(out.resolve("text-to-image/castle-1.jpg")));
            assertImage(out.resolve("text-to-image/castle-1.jpg"), "jpeg", 128, 128);
            assertEquals("A sand castle at low tide", sim.journal().entries(FalOperation.SUBMIT).get(0).bodyAsJson().get("prompt"));
            await().atMost(PATIENCE).until(() -> Files.exists(in.resolve("text-to-image/.done/castle.txt")));
            assertFalse(Files.exists(castle));
            assertTrue(Files.exists(photo), "the image waits for its .txt");
            assertEquals(1, sim.journal().count(FalOperation.SUBMIT), "nothing submitted for the image yet");

            // its instruction arrives: edit
            Files.writeString(in.resolve("edit/photo.txt"), "Paint the door blue\n", StandardCharsets.UTF_8);

            await().atMost(PATIENCE).until(() -> Files.exists(out.resolve("edit/photo-1.jpg")));
            assertImage(out.resolve("edit/photo-1.jpg"), "jpeg", 148, 110);
            var edit = sim.journal().entries(FalOperation.SUBMIT).get(1).bodyAsJson();
            assertEquals("Paint the door blue", edit.get("prompt"));
            assertTrue(String.valueOf(edit.get("image_url")).startsWith("data:image/jpeg;base64,"));
            await().atMost(PATIENCE).until(() -> Files.exists(in.resolve("edit/.done/photo.jpg")) && !Files.exists(in.resolve("edit/photo.txt")));
        }
    }

    @ParameterizedTest(name = "{0} routes")
    @ValueSource(strings = { "java", "yaml" })
    void aFailedJobMovesItsInputAsideAndIsNotRepeated(String routes) throws Exception {
        Path in = dir.resolve("input");
        try (ExampleApplication app = watching(routes); LogCapture log = new LogCapture()) {
            Path blank = in.resolve("text-to-image/blank.txt");
            Files.createDirectories(blank.getParent());
            Files.writeString(blank, "   \n", StandardCharsets.UTF_8);

            await().atMost(PATIENCE).until(() -> Files.exists(in.resolve("text-to-image/.failed/blank.txt")));
            assertEquals(0, app.backend().simulator().journal().count(FalOperation.SUBMIT), "a blank prompt fails before any call");
            // one clear line, not Camel's stack trace
            assertEquals(List.of("'blank' was not sent: Invalid prompt: ''; a non-blank prompt is required (body String, header"
                                 + " CamelFluxKontextPrompt or option prompt)"), log.messages(Level.WARN, "was not sent"));
            assertTrue(log.atLeast(Level.WARN).stream().allMatch(e -> e.getThrown() == null), "no stack trace: " + log.atLeast(Level.WARN));
        }
    }

    @ParameterizedTest(name = "{0} routes")
    @ValueSource(strings = { "java", "yaml" })
    void anInputDroppedAgainUnchangedIsNotPaidForTwiceAChangedOneIs(String routes) throws Exception {
        Path in = dir.resolve("input");
        try (ExampleApplication app = watching(routes)) {
            FalSimulator sim = app.backend().simulator();
            Path castle = in.resolve("text-to-image/castle.txt");

            drop(castle, "A sand castle at low tide");
            await().atMost(PATIENCE).until(() -> Files.exists(in.resolve("text-to-image/.done/castle.txt")));
            // the key is the file's name and the SHA-256 of its content; its job is in the file ledger under the input folder
            String key = "text-to-image/castle.txt/" + sha256("A sand castle at low tide");
            String requestId = new FileSubmissionLedger(in.resolve(".ledger")).get(key).orElseThrow().requestId();
            assertEquals(requestId, sim.jobs().get(0).requestId());

            drop(castle, "A sand castle at low tide");
            await().atMost(PATIENCE).until(() -> !Files.exists(castle));
            assertEquals(1, sim.journal().count(FalOperation.SUBMIT), "the same input again: its job, not a new one");

            drop(castle, "A sand castle at high tide");
            await().atMost(PATIENCE).until(() -> !Files.exists(castle));
            assertEquals(2, sim.journal().count(FalOperation.SUBMIT), "a changed input is a new job");
            assertEquals("A sand castle at high tide", sim.journal().entries(FalOperation.SUBMIT).get(1).bodyAsJson().get("prompt"));
        }
    }

    /** The example in watch mode on this test's input and output folders, started. */
    private ExampleApplication watching(String routes) throws Exception {
        Properties settings = fastSettings(routes, dir.resolve("output"), dir.resolve("input"));
        settings.setProperty("example.watch", "true");
        ExampleApplication app = new ExampleApplication(settings, noKeyEnvironment());
        app.start();
        return app;
    }

    /** Writes a file into the watched folder whole (written aside, then moved in), so it is never read half-written. */
    static void drop(Path file, String content) throws Exception {
        Files.createDirectories(file.getParent());
        Path aside = Files.createTempFile(file.getParent().getParent(), "drop", ".tmp");
        Files.writeString(aside, content, StandardCharsets.UTF_8);
        Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE);
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
