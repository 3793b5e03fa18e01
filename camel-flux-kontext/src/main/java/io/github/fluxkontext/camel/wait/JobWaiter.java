package io.github.fluxkontext.camel.wait;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.github.fluxkontext.camel.FluxKontextConfiguration;
import io.github.fluxkontext.camel.client.FalQueueClient;
import io.github.fluxkontext.camel.mapping.ResultMapping;
import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.submit.JobPlaces;
import io.github.fluxkontext.camel.support.ComponentThreads;
import io.github.fluxkontext.camel.support.ExchangeCompletion;
import io.github.fluxkontext.camel.support.JobStatistics;

/**
 * The waits of one endpoint. It starts a wait for a job with the strategy the endpoint's {@code waitMode} asks for,
 * keeps every wait until it ends, and ends them all when the endpoint stops. The endpoint builds one each time it
 * starts, with what its waits use; it takes waits from then until the endpoint stops.
 */
public final class JobWaiter {

    private final FalQueueClient queue;
    private final ResultMapping output;
    private final FluxKontextConfiguration config;
    private final ComponentThreads threads;
    private final JobPlaces jobPlaces;
    private final StreamPlaces streamPlaces;
    private final RunTimes runTimes;
    private final AwaitedWebhooks awaitedWebhooks;
    private final JobWait.Collaborators collaborators;
    private final Set<JobWait> waits = ConcurrentHashMap.newKeySet();
    private volatile boolean open = true;

    /**
     * @param jobPlaces       the component's maxConcurrentJobs places
     * @param streamPlaces    the component's maxOpenStreams places
     * @param runTimes        how long the component saw jobs run, per fal endpoint (polls ask when a job is due)
     * @param awaitedWebhooks the component's waits for callbacks, where its webhook consumers look
     */
    public JobWaiter(FalQueueClient queue, ResultMapping output, FluxKontextConfiguration config, ComponentThreads threads,
                     JobStatistics statistics, JobPlaces jobPlaces, StreamPlaces streamPlaces, RunTimes runTimes,
                     AwaitedWebhooks awaitedWebhooks) {
        this.queue = queue;
        this.output = output;
        this.config = config;
        this.threads = threads;
        this.jobPlaces = jobPlaces;
        this.streamPlaces = streamPlaces;
        this.runTimes = runTimes;
        this.awaitedWebhooks = awaitedWebhooks;
        this.collaborators = new JobWait.Collaborators(queue, output, config, threads, statistics, waits::remove);
    }

    /**
     * Waits for the job until it completes, fails, times out or the endpoint stops; the wait ends the exchange itself,
     * exactly once, and gives the job's place back then.
     *
     * @param place         the job's maxConcurrentJobs place
     * @param justSubmitted whether the job was submitted this moment (its first status comes a little later)
     */
    public void await(ExchangeCompletion completion, KontextJob job, JobPlaces.Place place, boolean justSubmitted) {
        start(new JobWait(collaborators, completion, job, place, strategy(justSubmitted)));
    }

    /** Waits for a job submitted earlier (flux-kontext:result): it runs already, so it takes a place at once. */
    public void awaitSubmitted(ExchangeCompletion completion, KontextJob job) {
        await(completion, job, jobPlaces.takeNow(), false);
    }

    /** Asks once for a job submitted earlier: the exchange ends with its output, or with an error if it has not completed. */
    public void fetchOnce(ExchangeCompletion completion, KontextJob job) {
        start(new JobWait(collaborators, completion, job, JobPlaces.Place.NONE, poll(PollWait.Schedule.ONCE)));
    }

    /** How a wait learns about its job, per {@code waitMode}. */
    private WaitStrategy strategy(boolean justSubmitted) {
        return switch (config.getWaitMode()) {
            case STREAM -> new StreamWait(queue, config, streamPlaces, () -> poll(PollWait.Schedule.NOW));
            case POLL -> poll(justSubmitted ? PollWait.Schedule.afterSubmit(config) : PollWait.Schedule.NOW);
            case WEBHOOK -> new WebhookWait(awaitedWebhooks, output, poll(PollWait.Schedule.background(config, justSubmitted)));
        };
    }

    private PollWait poll(PollWait.Schedule schedule) {
        return new PollWait(queue, config, threads, runTimes, schedule);
    }

    private void start(JobWait wait) {
        waits.add(wait);
        if (!open) {
            waits.remove(wait); // the endpoint is stopping: the wait ends at once
            wait.stop();
            return;
        }
        wait.start();
    }

    /** Refuses new waits and stops the ones under way, each with the request id to pick its job up later. */
    public void stop() {
        open = false;
        for (JobWait wait : List.copyOf(waits)) {
            wait.stop();
        }
        waits.clear();
    }

    /** How many exchanges wait for their jobs now. */
    public int size() {
        return waits.size();
    }

    /** How many wait, by the status last seen and the way they watch their job: {@code IN_QUEUE, stream -> 3}. */
    public Map<String, Integer> byStatusAndMode() {
        Map<String, Integer> counts = new TreeMap<>();
        for (JobWait wait : waits) {
            String status = wait.job().status() == null ? "UNKNOWN" : wait.job().status().name();
            counts.merge(status + ", " + wait.strategy(), 1, Integer::sum);
        }
        return counts;
    }
}
