package io.github.fluxkontext.benchmark;

import java.util.Arrays;
import java.util.Map;

/**
 * What one client did with one number of jobs. Times in ms; NaN where not measured.
 *
 * @param client             the client's label ({@code poll}, {@code stream}, {@code fal-js-polling}...)
 * @param jobs               jobs submitted at once
 * @param throughputWallMs   first submit to the last job's continuation, jobs that take no time at the simulator
 * @param wallMs             first submit to the last job's continuation, jobs with realistic timings (the latency round)
 * @param failed             jobs of the throughput and latency rounds that failed
 * @param medianMs           job completed at the simulator to the exchange continuing / the promise resolving: median
 * @param p95Ms              the same, 95th percentile
 * @param maxMs              the same, the slowest job
 * @param statusPerJob       status polls plus status streams opened, per job (the simulator's journal)
 * @param streamsPerJob      status streams opened per job
 * @param requestsPerJob     every request per job (submit, status, stream, result)
 * @param threadsAddedPeak   threads beyond the baseline at the peak of the whole run (Java threads for the
 *                           component, OS threads for node)
 * @param threadsAddedHeld   threads beyond the baseline while {@code held} jobs waited
 * @param threadNames        the threads added while the jobs waited, by name
 * @param peakThreadNames    the threads added at the peak, by name
 * @param held               jobs waiting when heap and threads were measured
 * @param heapPerJob         heap after GC per waiting job, bytes
 * @param openStreamsHeld    status streams open at the simulator while the jobs waited (when the heap was measured)
 * @param clientStreamsHeld  status streams the component counted open at that moment, or -1 (fal's client)
 * @param openFilesBefore    files (sockets included) the process had open before the held jobs, or -1
 * @param openFilesHeld      files (sockets included) the process had open while the held jobs waited, or -1
 * @param peakRssMb          the process's peak RSS (VmHWM), MB
 * @param peakOpenFiles      the most files (sockets included) the process had open at once, sampled every 500 ms
 * @param note               what went wrong or is worth knowing, or empty
 */
record Figures(String client, int jobs, double throughputWallMs, double wallMs, int failed, double medianMs, double p95Ms, double maxMs,
               double statusPerJob, double streamsPerJob, double requestsPerJob, int threadsAddedPeak,
               int threadsAddedHeld, Map<String, Integer> threadNames, Map<String, Integer> peakThreadNames, int held, double heapPerJob, int openStreamsHeld,
               int clientStreamsHeld, long openFilesBefore, long openFilesHeld, double peakRssMb, long peakOpenFiles, String note) {

    static Figures failed(String client, int jobs, String note) {
        return new Figures(client, jobs, Double.NaN, Double.NaN, jobs, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, -1, -1, Map.of(), Map.of(), 0, Double.NaN, -1, -1, -1, -1, Double.NaN, -1, note);
    }

    /** Jobs per second through the client when the jobs themselves take no time. */
    double jobsPerSecond() {
        return jobs / (throughputWallMs / 1000);
    }

    boolean isComponent() {
        return !client.startsWith("fal-js");
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double[] sorted(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }
}
