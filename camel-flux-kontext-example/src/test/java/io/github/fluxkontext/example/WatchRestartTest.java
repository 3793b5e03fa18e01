package io.github.fluxkontext.example;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.fluxkontext.camel.ledger.FileSubmissionLedger;
import io.github.fluxkontext.camel.ledger.LedgerEntry;
import io.github.fluxkontext.camel.ledger.LedgerState;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.FalSimulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.github.fluxkontext.example.ExampleTestSupport.assertImage;
import static io.github.fluxkontext.example.WatchModeTest.drop;
import static io.github.fluxkontext.example.WatchModeTest.sha256;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example in watch mode, in a process of its own, killed ({@code kill -9}) while its job runs and started
 * again: the prompt file, never moved to {@code .done}, is read again, and the file ledger makes the restarted
 * watch wait for the job the first one paid for. The simulator runs in the test JVM, so it outlives the kill.
 */
class WatchRestartTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @RegisterExtension
    static final FalSimulatorExtension FAL = FalSimulatorExtension.create(sim -> sim
            .queueTime(Duration.ofMillis(20)).runTime(Duration.ofSeconds(3)).imageScale(0.125));

    @TempDir
    Path dir;

    @Test
    void aWatchKilledWhileItsJobRunsAndRestartedDoesNotPayAgain() throws Exception {
        Path in = dir.resolve("input");
        Path castle = in.resolve("text-to-image/castle.txt");
        drop(castle, "A sand castle at low tide");
        String key = "text-to-image/castle.txt/" + sha256("A sand castle at low tide");
        FileSubmissionLedger ledger = new FileSubmissionLedger(in.resolve(".ledger"));

        Process first = startWatch("first");
        try {
            await().atMost(PATIENCE).until(() -> ledger.get(key).map(LedgerEntry::state).orElse(null) == LedgerState.SUBMITTED);
            String requestId = ledger.get(key).orElseThrow().requestId();
            assertNotEquals("COMPLETED", FAL.simulator().job(requestId).orElseThrow().status(), "killed while the job runs");
        } finally {
            first.destroyForcibly(); // kill -9: no shutdown hook, the prompt file stays where it is
            assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(Files.exists(castle), "the input was not finished: the restarted watch reads it again");

        Process second = startWatch("second");
        try {
            await().atMost(PATIENCE).until(() -> Files.exists(in.resolve("text-to-image/.done/castle.txt")));
        } finally {
            second.destroy();
            assertTrue(second.waitFor(30, TimeUnit.SECONDS));
        }

        assertEquals(1, FAL.simulator().journal().count(FalOperation.SUBMIT), "one submit, one bill");
        assertEquals(1, FAL.simulator().jobs().size());
        assertImage(dir.resolve("output/text-to-image/castle-1.jpg"), "jpeg", 128, 128);
    }

    /** The example's main class with --watch, against the test's simulator (as an aggregator would be reached). */
    private Process startWatch(String name) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx256m", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                FluxKontextExample.class.getName(), "--watch",
                "--example.input-dir=" + dir.resolve("input"), "--example.output-dir=" + dir.resolve("output"),
                "--example.simulator=never",
                "--camel.component.flux-kontext.base-url=" + FAL.baseUrl(),
                "--camel.component.flux-kontext.api-key=watch-restart-test-key",
                "--camel.component.flux-kontext.poll-interval=100ms",
                "--camel.component.flux-kontext.max-poll-interval=300ms"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + "-output.txt").toFile());
        builder.environment().keySet().removeIf(variable -> variable.startsWith("FAL_KEY") || variable.startsWith("FLUX_KONTEXT")
                                                            || variable.startsWith("CAMEL_COMPONENT_FLUX_KONTEXT"));
        return builder.start();
    }
}
