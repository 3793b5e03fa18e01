package io.github.fluxkontext.example;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code -Prun} starts the example in a JVM of its own (exec-maven-plugin). Killing Maven must not leave that JVM
 * behind, watching input/ and submitting jobs: this runs the command line of the pom's run profile under a stand-in
 * for Maven ({@link ParentProcess}), kills the stand-in as one kills Maven (SIGKILL, no chance to clean up), and
 * checks that the example's JVM ends too.
 */
class RunProfileTest {

    private static final Pattern COMMAND_LINE = Pattern.compile("<id>run-example</id>.*?<commandlineArgs>(.*?)</commandlineArgs>", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void theExamplesJvmEndsWhenMavenIsKilled() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(runProfileArguments("--watch --example.simulator=always --example.input-dir=" + dir.resolve("input")
                                           + " --example.output-dir=" + dir.resolve("output")));
        List<String> parentCommand = new ArrayList<>(List.of(command.get(0), "-cp", System.getProperty("java.class.path"),
                ParentProcess.class.getName()));
        parentCommand.addAll(command);
        Process maven = new ProcessBuilder(parentCommand).redirectErrorStream(true).start();
        ProcessHandle example = null;
        try {
            BlockingQueue<String> lines = lines(maven);
            String first = lines.poll(30, TimeUnit.SECONDS);
            assertNotNull(first, "the stand-in started nothing");
            example = ProcessHandle.of(Long.parseLong(first.replace("child pid ", "").trim())).orElseThrow();
            String line;
            do {
                line = lines.poll(60, TimeUnit.SECONDS);
                assertNotNull(line, "the example did not start watching");
            } while (!line.startsWith("Watching "));

            maven.destroyForcibly().waitFor();

            ProcessHandle running = example;
            await().atMost(Duration.ofSeconds(30)).until(() -> !running.isAlive());
        } finally {
            maven.destroyForcibly();
            if (example != null) {
                example.destroyForcibly();
            }
        }
    }

    @Test
    void theRunProfileAsksForIt() throws Exception {
        assertTrue(runProfileArguments("").contains("-D" + FluxKontextExample.EXIT_WITH_PARENT + "=true"));
    }

    /** The java arguments of the pom's run profile, with this JVM's class path and the given program arguments. */
    private static List<String> runProfileArguments(String exampleArgs) throws Exception {
        Matcher m = COMMAND_LINE.matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(m.find(), "the pom's run-example execution has no commandlineArgs");
        String line = m.group(1).replace("%classpath", System.getProperty("java.class.path")).replace("${example.args}", exampleArgs);
        assertFalse(line.contains("${"), "a property the test does not know: " + line);
        return new ArrayList<>(Arrays.stream(line.trim().split("\\s+")).toList());
    }

    /** The process's output, line by line, as it comes. */
    private static BlockingQueue<String> lines(Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (java.io.IOException ended) {
                // the process is gone
            }
        }, "run-profile-output");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }
}
