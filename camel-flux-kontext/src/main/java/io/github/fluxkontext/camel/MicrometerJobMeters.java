package io.github.fluxkontext.camel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
 * the latency the component adds), all tagged with {@code operation} and {@code endpointId}. This class is
 * loaded only when Micrometer is on the class path: Micrometer is an optional dependency.
 */
final class MicrometerJobMeters implements JobStatistics.Listener {

    /** The class whose presence means Micrometer is on the class path. */
    static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

    private final MeterRegistry registry;
    private final Tags tags;
    private final Counter submits;
    private final Counter completions;
    private final Timer inQueue;
    private final Timer running;
    private final Timer afterCompletion;
    private final List<Meter> meters = new ArrayList<>();

    private MicrometerJobMeters(MeterRegistry registry, FluxKontextEndpoint endpoint) {
        this.registry = registry;
        this.tags = Tags.of("operation", endpoint.getOperation().toString(), "endpointId", endpoint.getFalEndpointId());
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
        keep(FunctionCounter.builder("flux.kontext.retries", endpoint, FluxKontextEndpoint::getRetries).description("HTTP calls sent again")
                .tags(tags).register(registry));
        keep(Gauge.builder("flux.kontext.waiting", endpoint, FluxKontextEndpoint::getWaitingJobs)
                .description("Exchanges waiting for their jobs now").tags(tags).register(registry));
    }

    /**
     * The meters of this endpoint, registered; null when no MeterRegistry is in the Camel registry. Call it
     * only once {@link #METER_REGISTRY} is known to load.
     */
    static MicrometerJobMeters register(CamelContext camelContext, FluxKontextEndpoint endpoint) {
        MeterRegistry registry = camelContext.getRegistry().findSingleByType(MeterRegistry.class);
        return registry == null ? null : new MicrometerJobMeters(registry, endpoint);
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
