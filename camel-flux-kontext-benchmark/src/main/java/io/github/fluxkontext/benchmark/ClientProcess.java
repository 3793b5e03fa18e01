package io.github.fluxkontext.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One client process (a component JVM or node with fal's client), seen from the harness: commands to its
 * stdin, {@code @bench} messages from its stdout, everything else it prints to a log file, and its peak
 * RSS from {@code /proc/<pid>/status}.
 */
final class ClientProcess implements AutoCloseable {

    private static final Pattern VM_HWM = Pattern.compile("^VmHWM:\\s+(\\d+) kB", Pattern.MULTILINE);

    private final Process process;
    private final PrintWriter commands;
    private final Path log;
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();

    private ClientProcess(Process process, Path log) throws IOException {
        this.process = process;
        this.log = log;
        this.commands = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        Writer logWriter = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Thread reader = new Thread(() -> readStdout(logWriter), "benchmark-client-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the command with stderr appended to {@code log}. */
    static ClientProcess start(List<String> command, Path workingDirectory, Path log) throws IOException {
        Files.writeString(log, String.join(" ", command) + System.lineSeparator());
        Process process = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new ClientProcess(process, log);
    }

    long pid() {
        return process.pid();
    }

    void send(String command) {
        commands.println(command);
    }

    /** The next message, which must be {@code event}; fails if the process ends or stays silent beyond {@code timeout}. */
    JsonNode await(String event, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String message = messages.poll(200, TimeUnit.MILLISECONDS);
            if (message != null) {
                int space = message.indexOf(' ');
                String received = space < 0 ? message : message.substring(0, space);
                if (!received.equals(event)) {
                    throw new IllegalStateException("Expected '" + event + "' from the client, got: " + message);
                }
                return Protocol.JSON.readTree(space < 0 ? "{}" : message.substring(space + 1));
            }
            if (!process.isAlive() && messages.isEmpty()) {
                throw new IllegalStateException("The client ended (exit code " + process.exitValue() + ") while the harness waited for '"
                                                + event + "'; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("No '" + event + "' from the client within " + timeout + "; see " + log);
            }
        }
    }

    /** The process's peak resident set size so far ({@code VmHWM}), in kB. */
    long peakRssKb() throws IOException {
        Matcher m = VM_HWM.matcher(Files.readString(Path.of("/proc", Long.toString(process.pid()), "status")));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Asks the process to exit, and ends it if it does not within 20 s. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                send("exit");
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            commands.close();
        }
    }

    private void readStdout(Writer logWriter) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer logFile = logWriter) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(Protocol.PREFIX)) {
                    messages.add(line.substring(Protocol.PREFIX.length()));
                } else {
                    logFile.write(line + System.lineSeparator());
                    logFile.flush();
                }
            }
        } catch (IOException e) {
            // the process ended mid-line; await() reports the end
            messages.add("stdout-broken " + "{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }
}
