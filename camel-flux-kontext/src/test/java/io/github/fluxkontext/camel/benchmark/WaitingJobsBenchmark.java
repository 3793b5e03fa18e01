package io.github.fluxkontext.camel.benchmark;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.fluxkontext.camel.FluxKontextComponent;
import io.github.fluxkontext.camel.FluxKontextConfiguration;
import io.github.fluxkontext.camel.FluxKontextEndpoint;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.FalSimulator;
import io.github.fluxkontext.simulator.JobSnapshot;
import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/**
 * How many jobs can wait at once, on how many threads, in how much memory, and what the component
 * adds to a job's time. Not a test (no thresholds: machines are shared and noisy); it prints figures.
 * <p>
 * Run: {@code mvn -pl camel-flux-kontext -am -DskipTests install && mvn -pl camel-flux-kontext test-compile exec:java@benchmark}
 * (arguments: {@code -Dbenchmark.jobs=5000 -Dbenchmark.runTimeMs=2000 -Dbenchmark.runners=500}).
 */
public final class WaitingJobsBenchmark {

    private WaitingJobsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int jobs = Integer.getInteger("benchmark.jobs", 5000);
        long runTimeMs = Long.getLong("benchmark.runTimeMs", 2000);
        int runners = Integer.getInteger("benchmark.runners", 500);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

        try (FalSimulator sim = FalSimulator.builder().acceptAnyKey().runners(runners).queueTime(Duration.ofMillis(50))
                .runTime(Duration.ofMillis(runTimeMs)).imageScale(0.05).start()) {
            DefaultCamelContext camel = new DefaultCamelContext();
            FluxKontextComponent component = new FluxKontextComponent();
            FluxKontextConfiguration config = component.getConfiguration();
            config.setBaseUrl(sim.baseUrl());
            config.setApiKey("benchmark-key");
            config.setPollInterval(500);
            config.setMaxPollInterval(2000);
            camel.addComponent("flux-kontext", component);
            camel.start();
            FluxKontextEndpoint endpoint = camel.getEndpoint("flux-kontext:text-to-image", FluxKontextEndpoint.class);
            AsyncProducer producer = endpoint.createAsyncProducer();
            producer.start();

            int threadsBefore = nonSimulatorThreads();
            long heapBefore = usedHeapAfterGc(memory);
            CountDownLatch done = new CountDownLatch(jobs);
            List<Exchange> exchanges = new ArrayList<>(jobs);
            Instant[] finishedAt = new Instant[jobs];
            long started = System.nanoTime();
            for (int i = 0; i < jobs; i++) {
                Exchange exchange = new DefaultExchange(camel);
                exchange.getMessage().setBody("benchmark job " + i);
                exchanges.add(exchange);
                int index = i;
                producer.process(exchange, doneSync -> {
                    finishedAt[index] = Instant.now();
                    done.countDown();
                });
            }
            // while most jobs wait: threads and memory
            int peakWaiting = 0;
            int peakThreads = 0;
            long heapWhileWaiting = 0;
            while (!done.await(200, TimeUnit.MILLISECONDS)) {
                int waiting = endpoint.getWaitingJobs();
                peakThreads = Math.max(peakThreads, nonSimulatorThreads());
                if (waiting > peakWaiting) {
                    peakWaiting = waiting;
                    if (waiting >= jobs * 0.9 && heapWhileWaiting == 0) {
                        heapWhileWaiting = usedHeapAfterGc(memory);
                    }
                }
            }
            long totalMs = (System.nanoTime() - started) / 1_000_000;

            int failed = 0;
            java.util.Map<String, Integer> failures = new java.util.TreeMap<>();
            long[] overheadMs = new long[jobs];
            for (int i = 0; i < jobs; i++) {
                Exchange exchange = exchanges.get(i);
                if (exchange.getException() != null) {
                    failed++;
                    String reason = String.valueOf(exchange.getException().getMessage());
                    failures.merge(reason.length() > 120 ? reason.substring(0, 120) : reason, 1, Integer::sum);
                    continue;
                }
                String id = exchange.getMessage().getHeader("CamelFluxKontextRequestId", String.class);
                JobSnapshot job = sim.job(id).orElseThrow();
                // what the route waited beyond the job itself: polling granularity plus the result call
                overheadMs[i] = Duration.between(job.completedAt(), finishedAt[i]).toMillis();
            }
            Arrays.sort(overheadMs);
            int requests = sim.journal().entries().size();
            producer.stop();
            camel.stop();

            System.out.printf("%nflux-kontext waiting-jobs benchmark (%d jobs, simulator: %d runners, %d ms per job)%n", jobs, runners, runTimeMs);
            System.out.printf("  all jobs done in            %8d ms (failed: %d)%n", totalMs, failed);
            failures.forEach((reason, count) -> System.out.printf("    %5d x %s%n", count, reason));
            System.out.printf("  jobs waiting at once (peak) %8d%n", peakWaiting);
            System.out.printf("  component threads           %8d before, %d at peak (simulator's own not counted)%n", threadsBefore, peakThreads);
            if (heapWhileWaiting > 0) {
                System.out.printf("  heap per waiting job        %8d bytes (%.1f MB for %d waiting)%n", (heapWhileWaiting - heapBefore) / Math.max(1, peakWaiting),
                        (heapWhileWaiting - heapBefore) / 1048576.0, peakWaiting);
            }
            System.out.printf("  time after job completion   %8d ms median, %d ms p95, %d ms max (poll interval %d..%d ms)%n",
                    overheadMs[overheadMs.length / 2], overheadMs[(int) (overheadMs.length * 0.95)], overheadMs[overheadMs.length - 1],
                    config.getPollInterval(), config.getMaxPollInterval());
            System.out.printf("  HTTP requests per job       %8.1f (submit, status polls, result; simulator journal: %d submits)%n%n",
                    requests / (double) jobs, sim.journal().count(FalOperation.SUBMIT));
        }
    }

    private static int nonSimulatorThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> !t.getName().startsWith("fal-sim")).count();
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
