package io.github.fluxkontext.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the heap of a waiting job goes: two {@code jcmd <pid> GC.class_histogram} outputs (live objects,
 * before the held jobs and while they wait), subtracted and divided by the jobs.
 */
final class ClassHistogram {

    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    private static final int TOP = 30;

    private ClassHistogram() {
    }

    static String perJob(Path before, Path waiting, int jobs) throws IOException {
        Map<String, long[]> start = read(before);
        Map<String, long[]> end = read(waiting);
        Map<String, long[]> delta = new HashMap<>();
        end.forEach((type, counts) -> {
            long[] was = start.getOrDefault(type, new long[2]);
            delta.put(type, new long[] {counts[0] - was[0], counts[1] - was[1]});
        });
        long totalBytes = delta.values().stream().mapToLong(d -> d[1]).sum();
        StringBuilder out = new StringBuilder();
        out.append(String.format("Live heap added while %d jobs waited: %.0f bytes per job (jcmd GC.class_histogram, after minus before)%n",
                jobs, totalBytes / (double) jobs));
        out.append(String.format("%12s %12s  %s%n", "bytes/job", "objects/job", "class"));
        List<Map.Entry<String, long[]>> rows = delta.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(TOP).toList();
        for (Map.Entry<String, long[]> row : rows) {
            out.append(String.format("%12.1f %12.2f  %s%n", row.getValue()[1] / (double) jobs, row.getValue()[0] / (double) jobs, row.getKey()));
        }
        return out.toString();
    }

    private static Map<String, long[]> read(Path histogram) throws IOException {
        Map<String, long[]> rows = new HashMap<>();
        for (String line : Files.readAllLines(histogram)) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                rows.merge(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
                        (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            }
        }
        return rows;
    }
}
