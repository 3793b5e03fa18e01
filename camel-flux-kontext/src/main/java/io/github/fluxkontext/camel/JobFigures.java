package io.github.fluxkontext.camel;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import io.github.fluxkontext.camel.client.FalClient;
import io.github.fluxkontext.camel.submit.JobPlaces;
import io.github.fluxkontext.camel.support.JobStatistics;
import io.github.fluxkontext.camel.wait.JobWaiter;

/**
 * One endpoint's figures, read when asked: what its JMX attributes ({@link ManagedJobs}), the dev console and the
 * Micrometer meters show. Never a key, never a URL's query. The counters are the endpoint's for its whole life; the
 * waits and retries, those of its current start (none before it starts); the streams, places and ledger purges, its
 * component's.
 */
public final class JobFigures {

    /** The figures at one moment, as the dev console renders them to text and to JSON. */
    record Snapshot(int waiting, Map<String, Integer> waitingByStatus, long submits, long completions, long failures,
                    Map<String, Long> failuresByType, long streamFallbacks, long retries, List<JobStatistics.LastError> lastErrors,
                    BigDecimal billableUnits, long billedJobs, double inferenceSeconds, long timedJobs) {
    }

    private final JobStatistics statistics;
    private final FluxKontextComponent component;
    private final JobWaiter waiter;
    private final FalClient client;

    /** @param waiter and {@code client}: the endpoint's since it started, or null before */
    JobFigures(JobStatistics statistics, FluxKontextComponent component, JobWaiter waiter, FalClient client) {
        this.statistics = statistics;
        this.component = component;
        this.waiter = waiter;
        this.client = client;
    }

    /** What the figures are read from, for the webhook consumer's output mapping to count the jobs it receives. */
    JobStatistics statistics() {
        return statistics;
    }

    /** Exchanges waiting for their jobs now. */
    public int waiting() {
        return waiter == null ? 0 : waiter.size();
    }

    /** Waiting exchanges by the job's last status and how they watch it: {@code IN_QUEUE, stream -> 3}. */
    public Map<String, Integer> waitingByStatus() {
        return waiter == null ? Map.of() : waiter.byStatusAndMode();
    }

    public long submits() {
        return statistics.submits();
    }

    public long completions() {
        return statistics.completions();
    }

    public long failures() {
        return statistics.failures();
    }

    public Map<String, Long> failuresByType() {
        return statistics.failuresByType();
    }

    /** Waits whose status stream could not be used and that went on by polling. */
    public long streamFallbacks() {
        return statistics.fallbacks();
    }

    /** HTTP calls sent again. */
    public long retries() {
        return client == null ? 0 : client.retryCount();
    }

    /** The units fal billed for the jobs whose output this endpoint mapped (as far as fal said). */
    public BigDecimal billableUnits() {
        return statistics.billableUnits();
    }

    /** The inference seconds at fal of the jobs whose output this endpoint mapped (as far as fal said). */
    public double inferenceSeconds() {
        return statistics.inferenceSeconds();
    }

    /** Status streams open now, over the component's endpoints. */
    public int openStreams() {
        return component.getOpenStreams();
    }

    /** Exchanges waiting for one of the component's maxConcurrentJobs places. */
    public int queuedForAPlace() {
        JobPlaces places = component.currentJobPlaces();
        return places == null ? 0 : places.queued();
    }

    /** Purges of expired ledger entries that failed, over the component's endpoints. */
    public long ledgerPurgeFailures() {
        return component.getLedgerPurgeFailures();
    }

    /** The endpoint's own figures, read once. */
    Snapshot snapshot() {
        return new Snapshot(waiting(), waitingByStatus(), submits(), completions(), failures(), failuresByType(), streamFallbacks(),
                retries(), statistics.lastErrors(), billableUnits(), statistics.billedJobs(), inferenceSeconds(), statistics.timedJobs());
    }
}
