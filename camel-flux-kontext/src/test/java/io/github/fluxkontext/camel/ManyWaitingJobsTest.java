package io.github.fluxkontext.camel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.fluxkontext.camel.model.KontextResult;
import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Waiting holds no thread: a thousand jobs wait at once (the simulator runs 16 at a time, so most sit
 * in its queue for a while), and the JVM's live threads stay bounded. A thread-per-job design would
 * need hundreds more. (A thousand also exceeds the default task cap of Camel's scheduled pools, which a
 * wait's poll and timeout tasks must not run into.)
 */
class ManyWaitingJobsTest extends FluxKontextTestSupport {

    private static final int JOBS = 1000;

    @Test
    void aThousandJobsWaitOnAFewThreads() throws Exception {
        sim().setTimings(Duration.ofMillis(400), Duration.ofMillis(150));
        FluxKontextEndpoint endpoint = context.getEndpoint("flux-kontext:text-to-image?pollInterval=100&maxPollInterval=400",
                FluxKontextEndpoint.class);
        AsyncProducer producer = endpoint.createAsyncProducer();
        producer.start();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int before = componentThreads();

        AtomicInteger done = new AtomicInteger();
        ConcurrentLinkedQueue<Exchange> finished = new ConcurrentLinkedQueue<>();
        List<Exchange> exchanges = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            Exchange exchange = new DefaultExchange(context);
            exchange.getMessage().setBody("job " + i);
            exchanges.add(exchange);
            AtomicInteger calls = new AtomicInteger();
            exchange.setProperty("doneCalls", calls);
            producer.process(exchange, doneSync -> {
                if (calls.incrementAndGet() == 1) {
                    finished.add(exchange);
                }
                done.incrementAndGet();
            });
        }
        AtomicInteger peak = new AtomicInteger(before);
        AtomicInteger waitingAtOnce = new AtomicInteger();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(10)).until(() -> {
            peak.accumulateAndGet(componentThreads(), Math::max);
            waitingAtOnce.accumulateAndGet(endpoint.getWaitingJobs(), Math::max);
            return done.get() == JOBS;
        });
        producer.stop();

        assertEquals(JOBS, finished.size());
        assertEquals(JOBS, done.get(), "each callback called exactly once");
        for (Exchange exchange : exchanges) {
            assertEquals(1, exchange.getProperty("doneCalls", AtomicInteger.class).get(), "callback called exactly once");
            assertTrue(exchange.getException() == null, () -> "failed: " + exchange.getException());
            assertEquals(1, exchange.getMessage().getBody(KontextResult.class).images().size());
        }
        assertTrue(waitingAtOnce.get() > JOBS / 2, "most jobs were waiting at the same time: " + waitingAtOnce);
        int added = peak.get() - before;
        System.out.printf("%d jobs, at most %d waiting at once, component threads before %d, peak %d (JVM total %d)%n",
                JOBS, waitingAtOnce.get(), before, peak.get(), threads.getThreadCount());
        assertTrue(added < 50, "threads added while " + JOBS + " jobs waited: " + added);
    }

    /** Live threads that are not the simulator's (it runs in this JVM, with its own pool). */
    private static int componentThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> !t.getName().startsWith(SIMULATOR_THREAD_PREFIX))
                .count();
    }

    private static final String SIMULATOR_THREAD_PREFIX = "fal-sim";
}
