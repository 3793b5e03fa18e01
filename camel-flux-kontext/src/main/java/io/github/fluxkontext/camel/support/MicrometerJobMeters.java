package io.github.fluxkontext.camel.support;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.fluxkontext.camel.OperatorView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;

/**
 * An endpoint's meters, when the application has a Micrometer {@link MeterRegistry} in its registry:
 * {@code flux.kontext.submits}, {@code .completions}, {@code .failures} (tag {@code type}), {@code .retries},
 * {@code .waiting}, and the timers {@code .queue.time} (wait start to IN_PROGRESS seen), {@code .running.time}
 * (IN_PROGRESS to COMPLETED seen) and {@code .after.completion.time} (COMPLETED seen to the route going on:
 * the latency the component adds), the counter {@code .billable.units} (fal's {@code x-fal-billable-units} of each
 * job) and the timer {@code .inference} (each job's inference time at fal), all tagged with {@code operation} and
 * {@code endpointId} (the fal endpoint id; on a webhook consumer, its own endpointId option, as fal's callbacks do
 * not name the endpoint). Micrometer is an
 * optional dependency: only {@link #registerIfPresent} runs without it, and looks first; the meters themselves are in
 * a class of their own that loads only once Micrometer is known to be there.
 */
public final class MicrometerJobMeters {

    /** The class whose presence means Micrometer is on the class path. */
    static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

    private MicrometerJobMeters() {
    }

    /**
     * Registers an endpoint's meters when Micrometer is on the class path and a MeterRegistry in the Camel registry,
     * and makes them listen to its statistics.
     *
     * @return what takes them out again (nothing, when none were registered)
     */
    public static Runnable registerIfPresent(CamelContext camelContext, OperatorView endpoint, JobStatistics statistics, String endpointId) {
        if (camelContext.getClassResolver().resolveClass(METER_REGISTRY) == null) {
            return () -> {
            };
        }
        return Meters.register(camelContext, endpoint, statistics, endpointId);
    }

    private static final class Meters implements JobStatistics.Listener {

        private final MeterRegistry registry;
        private final Tags tags;
        private final Counter submits;
        private final Counter completions;
        private final Timer inQueue;
        private final Timer running;
        private final Timer afterCompletion;
        private final Counter billableUnits;
        private final Timer inference;
        private final List<Meter> meters = new ArrayList<>();

        private Meters(MeterRegistry registry, OperatorView endpoint, String endpointId) {
            this.registry = registry;
            this.tags = Tags.of("operation", endpoint.getOperation().toString(), "endpointId", endpointId);
            this.submits = keep(Counter.builder("flux.kontext.submits").description("Jobs submitted").tags(tags).register(registry));
            this.completions = keep(Counter.builder("flux.kontext.completions").description("Waits that ended with the job's output")
                    .tags(tags).register(registry));
            this.inQueue = keep(Timer.builder("flux.kontext.queue.time").description("From the wait's start to IN_PROGRESS seen")
                    .tags(tags).register(registry));
            this.running = keep(Timer.builder("flux.kontext.running.time").description("From IN_PROGRESS seen to COMPLETED seen")
                    .tags(tags).register(registry));
            this.afterCompletion = keep(Timer.builder("flux.kontext.after.completion.time")
                    .description("From COMPLETED seen to the route going on: fetching the output, downloads, hand-over")
                    .tags(tags).register(registry));
            this.billableUnits = keep(Counter.builder("flux.kontext.billable.units")
                    .description("Units fal bills for the jobs (x-fal-billable-units of their result answers)").tags(tags).register(registry));
            this.inference = keep(Timer.builder("flux.kontext.inference")
                    .description("Inference time of the jobs at fal (metrics.inference_time, else the output's timings)").tags(tags)
                    .register(registry));
            keep(FunctionCounter.builder("flux.kontext.retries", endpoint, OperatorView::getRetries).description("HTTP calls sent again")
                    .tags(tags).register(registry));
            keep(Gauge.builder("flux.kontext.waiting", endpoint, OperatorView::getWaitingJobs)
                    .description("Exchanges waiting for their jobs now").tags(tags).register(registry));
        }

        static Runnable register(CamelContext camelContext, OperatorView endpoint, JobStatistics statistics, String endpointId) {
            MeterRegistry registry = camelContext.getRegistry().findSingleByType(MeterRegistry.class);
            if (registry == null) {
                return () -> {
                };
            }
            Meters meters = new Meters(registry, endpoint, endpointId);
            statistics.listener(meters);
            return () -> {
                statistics.listener(null);
                meters.remove();
            };
        }

        private <M extends Meter> M keep(M meter) {
            meters.add(meter);
            return meter;
        }

        @Override
        public void submitted() {
            submits.increment();
        }

        @Override
        public void finished(String failure, Duration queueTime, Duration runningTime, Duration afterComplete) {
            if (failure == null) {
                completions.increment();
            } else {
                // registered on first use: one counter per failure type
                Counter.builder("flux.kontext.failures").description("Waits and calls that ended with an error").tags(tags)
                        .tag("type", failure).register(registry).increment();
            }
            record(inQueue, queueTime);
            record(running, runningTime);
            record(afterCompletion, afterComplete);
        }

        @Override
        public void charged(BigDecimal units, Duration inferenceTime) {
            if (units != null) {
                billableUnits.increment(units.doubleValue());
            }
            record(inference, inferenceTime);
        }

        private static void record(Timer timer, Duration duration) {
            if (duration != null) {
                timer.record(duration);
            }
        }

        /** Takes this endpoint's meters out of the registry (the endpoint stopped). */
        void remove() {
            meters.forEach(registry::remove);
            registry.find("flux.kontext.failures").tags(tags).meters().forEach(registry::remove);
        }
    }
}
