package io.github.fluxkontext.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * The open files (sockets included) and the live Java threads of the child JVM. Open files: the peak,
 * sampled every {@value #FILES_SAMPLE_MS} ms from {@code /proc/self/fd}. Threads: a baseline (taken before
 * the component made anything), the peak seen by a sampler every {@value #SAMPLE_MS} ms, and the threads
 * by name at the peak and on demand. The JIT compiler threads come and go with the JVM's load and are hidden from Java, and the
 * JVM's attach listener (started by the harness's jcmd) is left out, so what is counted is the threads
 * someone started: Camel, the component, the benchmark itself (the sampler, part of the baseline).
 */
final class ResourceCensus {

    static final long SAMPLE_MS = 100;
    static final long FILES_SAMPLE_MS = 500;
    private static final Path OPEN_FILES = Path.of("/proc/self/fd");
    private static final String ATTACH_LISTENER = "Attach Listener";

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<String, Integer> baselineGroups;
    private final int baseline;
    private volatile int peak;
    private volatile Map<String, Integer> peakGroups;
    private volatile long peakOpenFiles;

    private final CountDownLatch baselineTaken = new CountDownLatch(1);

    private ResourceCensus() {
        Thread sampler = new Thread(this::sample, "benchmark-sampler");
        sampler.setDaemon(true);
        sampler.start(); // before the baseline, so that it is part of it
        this.baselineGroups = groups();
        this.baseline = count(baselineGroups);
        this.peak = baseline;
        this.peakGroups = baselineGroups;
        baselineTaken.countDown();
    }

    /** Starts sampling; the baseline is the threads alive now (the sampler included). */
    static ResourceCensus start() {
        return new ResourceCensus();
    }

    int baseline() {
        return baseline;
    }

    int now() {
        return count(groups());
    }

    int peak() {
        return peak;
    }

    /** The most files (sockets included) seen open at once, or -1 where {@code /proc} is not there. */
    long peakOpenFiles() {
        return peakOpenFiles;
    }

    /** The threads added since the baseline, by name with numbers replaced by {@code #} (e.g. {@code FluxKontextRoute}). */
    Map<String, Integer> addedNow() {
        return added(groups());
    }

    /** As {@link #addedNow()}, at the peak. */
    Map<String, Integer> addedAtPeak() {
        return added(peakGroups);
    }

    private Map<String, Integer> added(Map<String, Integer> groups) {
        Map<String, Integer> added = new TreeMap<>();
        groups.forEach((name, count) -> {
            int more = count - baselineGroups.getOrDefault(name, 0);
            if (more > 0) {
                added.put(name, more);
            }
        });
        return added;
    }

    private void sample() {
        try {
            baselineTaken.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        for (long round = 0; true; round++) {
            if (round % (FILES_SAMPLE_MS / SAMPLE_MS) == 0) {
                peakOpenFiles = Math.max(peakOpenFiles, openFiles());
            }
            Map<String, Integer> groups = groups();
            int count = count(groups);
            if (count > peak) {
                peakGroups = groups;
                peak = count;
            }
            try {
                Thread.sleep(SAMPLE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Live threads by name, numbers replaced by {@code #}; no stack traces taken. */
    private Map<String, Integer> groups() {
        Map<String, Integer> groups = new TreeMap<>();
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
            if (thread != null && !ATTACH_LISTENER.equals(thread.getThreadName())) { // null: ended meanwhile
                groups.merge(thread.getThreadName().replaceAll("\\d+", "#"), 1, Integer::sum);
            }
        }
        return groups;
    }

    /** The files (sockets included) open now, or -1 where {@code /proc} is not there. */
    static long openFiles() {
        try (Stream<Path> files = Files.list(OPEN_FILES)) {
            return files.count() - 1; // the listing's own
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    private static int count(Map<String, Integer> groups) {
        return groups.values().stream().mapToInt(Integer::intValue).sum();
    }
}
