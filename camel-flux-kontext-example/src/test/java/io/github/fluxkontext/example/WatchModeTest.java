package io.github.fluxkontext.example;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.FalSimulator;
import org.apache.camel.ServiceStatus;
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
        Properties settings = fastSettings(routes, out, in);
        settings.setProperty("example.watch", "true");
        try (ExampleApplication app = new ExampleApplication(settings, noKeyEnvironment())) {
            app.start();
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
        Properties settings = fastSettings(routes, dir.resolve("output"), in);
        settings.setProperty("example.watch", "true");
        try (ExampleApplication app = new ExampleApplication(settings, noKeyEnvironment())) {
            app.start();
            Path blank = in.resolve("text-to-image/blank.txt");
            Files.createDirectories(blank.getParent());
            Files.writeString(blank, "   \n", StandardCharsets.UTF_8);

            await().atMost(PATIENCE).until(() -> Files.exists(in.resolve("text-to-image/.failed/blank.txt")));
            assertEquals(0, app.backend().simulator().journal().count(FalOperation.SUBMIT), "a blank prompt fails before any call");
        }
    }
}
