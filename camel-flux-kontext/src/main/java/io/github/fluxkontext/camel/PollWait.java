package io.github.fluxkontext.camel;

import java.util.concurrent.Future;

import io.github.fluxkontext.camel.client.Futures;
import io.github.fluxkontext.camel.model.FluxKontextException;
import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextStatus;

/**
 * Waits by asking for the job's status, as often as what the status says is worth it: a job that runs
 * (IN_PROGRESS) can complete any moment, so it is asked every {@code pollInterval}; a job in the queue
 * is asked less often the further back it is ({@code pollInterval} times one plus its queue position, at
 * most {@code maxPollInterval}). The first poll after a submit comes soon. Each poll is a scheduled task
 * that only starts a non-blocking call. With {@code once}, it asks once: a job not completed yet ends the
 * wait with an error ({@code flux-kontext:result?waitForResult=false}).
 */
final class PollWait implements WaitStrategy {

    /** The first poll after a submit comes soon: Kontext jobs often finish within seconds. */
    private static final long FIRST_POLL_MAX_MS = 250;

    private final FluxKontextEndpoint endpoint;
    private final FluxKontextConfiguration config;
    private final long firstDelayMs;
    private final boolean once;
    /** A fixed interval between polls (a background poll), or 0 to ask as often as the status says. */
    private long fixedIntervalMs;
    private volatile JobWait wait;
    private volatile Future<?> nextPoll;
    private volatile boolean stopped;

    private PollWait(FluxKontextEndpoint endpoint, long firstDelayMs, boolean once) {
        this.endpoint = endpoint;
        this.config = endpoint.getConfiguration();
        this.firstDelayMs = firstDelayMs;
        this.once = once;
    }

    /** For a job just submitted: the first poll soon, then at pollInterval. */
    static PollWait afterSubmit(FluxKontextEndpoint endpoint) {
        return new PollWait(endpoint, Math.min(FIRST_POLL_MAX_MS, endpoint.getConfiguration().getPollInterval()), false);
    }

    /**
     * The safety net of a wait that expects its job's outcome by other means (a webhook): a poll every
     * maxPollInterval, the first one after that interval for a job just submitted, at once for one submitted earlier.
     */
    static PollWait background(FluxKontextEndpoint endpoint, boolean justSubmitted) {
        long interval = endpoint.getConfiguration().getMaxPollInterval();
        PollWait poll = new PollWait(endpoint, justSubmitted ? interval : 0, false);
        poll.fixedIntervalMs = interval;
        return poll;
    }

    /** For a job submitted earlier: the first poll at once; with {@code once}, no other. */
    static PollWait now(FluxKontextEndpoint endpoint, boolean once) {
        return new PollWait(endpoint, 0, once);
    }

    @Override
    public void start(JobWait wait) {
        this.wait = wait;
        schedule(firstDelayMs);
    }

    @Override
    public String toString() {
        return once ? "poll once" : "poll";
    }

    @Override
    public void stop() {
        stopped = true;
        Future<?> next = nextPoll;
        if (next != null) {
            next.cancel(false);
        }
    }

    private void schedule(long delayMs) {
        if (stopped) {
            return;
        }
        nextPoll = endpoint.schedule(this::poll, delayMs);
        if (nextPoll == null) {
            wait.stop(); // the component is stopping
        }
    }

    private void poll() {
        if (stopped) {
            return;
        }
        endpoint.getClient().queue().status(wait.job(), config.isLogs()).whenComplete((update, error) -> {
            try {
                onAnswer(update, error);
            } catch (RuntimeException e) {
                wait.failed(e);
            }
        });
    }

    private void onAnswer(KontextJob update, Throwable error) {
        if (stopped) {
            return;
        }
        if (error != null) {
            wait.failed(Futures.unwrap(error));
        } else if (update.status() == KontextStatus.COMPLETED) {
            wait.completed(update);
        } else if (once) {
            wait.statusSeen(update);
            wait.failed(new FluxKontextException("Job " + update.requestId() + " has not completed yet (status " + update.status()
                                                 + "); call flux-kontext:result again later, or with waitForResult=true to wait",
                    update.requestId(), update.status(), null));
        } else {
            wait.statusSeen(update);
            schedule(fixedIntervalMs > 0 ? fixedIntervalMs : delayAfter(update, config));
        }
    }

    /** pollInterval while the job runs; in the queue, more the further back, up to maxPollInterval. */
    static long delayAfter(KontextJob update, FluxKontextConfiguration config) {
        long interval = config.getPollInterval();
        if (update.status() == KontextStatus.IN_QUEUE && update.queuePosition() != null && update.queuePosition() > 0) {
            interval = interval * (1 + Math.min(update.queuePosition(), 1000));
        }
        return Math.min(interval, Math.max(config.getPollInterval(), config.getMaxPollInterval()));
    }
}
