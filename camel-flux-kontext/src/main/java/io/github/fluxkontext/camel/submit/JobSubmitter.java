package io.github.fluxkontext.camel.submit;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.fluxkontext.camel.FluxKontextConfiguration;
import io.github.fluxkontext.camel.client.FalClient;
import io.github.fluxkontext.camel.client.SubmitOptions;
import io.github.fluxkontext.camel.ledger.SubmissionLedger;
import io.github.fluxkontext.camel.mapping.InputValues;
import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextRequest;
import io.github.fluxkontext.camel.support.ComponentThreads;
import io.github.fluxkontext.camel.support.JobStatistics;
import org.apache.camel.Message;

import static io.github.fluxkontext.camel.FluxKontextConstants.IDEMPOTENCY_KEY;

/**
 * The submits of one endpoint, each in the order it happens: claim the message's idempotency key, take a
 * {@code maxConcurrentJobs} place, resolve the input images, mark the claim as sent, send the submit, record the
 * request id. The place travels in the {@link Submission}: whoever goes on with the job gives it back when the job is
 * done with. The claim, and the input images once the place is there, are read on the caller's thread, or on the
 * route thread that hands a queued exchange its place: a ledger and local files may block, never an I/O thread.
 */
public final class JobSubmitter {

    /** The job to go on with, whether this exchange submitted it just now (else the ledger knew it), and its place. */
    public record Submission(KontextJob job, boolean justSubmitted, JobPlaces.Place place) {
    }

    private final FalClient client;
    private final FluxKontextConfiguration config;
    private final String endpointId;
    private final JobPlaces places;
    private final LedgerClaims claims;
    private final InputImages inputImages;
    private final JobStatistics statistics;

    /**
     * @param endpointId the fal endpoint the submits go to
     * @param places     the component's maxConcurrentJobs places
     * @param ledger     the endpoint's ledger, for messages with an idempotency key
     * @param upkeep     renews the ledger claims of submits under way, purges expired entries
     * @param threads    the route threads write to the ledger once fal answered
     */
    public JobSubmitter(FalClient client, FluxKontextConfiguration config, String endpointId, JobPlaces places, SubmissionLedger ledger,
                        LedgerUpkeep upkeep, ComponentThreads threads, JobStatistics statistics) {
        this.client = client;
        this.config = config;
        this.endpointId = endpointId;
        this.places = places;
        this.claims = new LedgerClaims(ledger, upkeep, config, threads);
        this.inputImages = new InputImages(client.storage(), config.getImageUpload(), config.getMaxInlineImageSize());
        this.statistics = statistics;
    }

    /**
     * Submits the request with these options (the endpoint's, with the message's request controls), unless the
     * message's idempotency key names a job that exists: then the exchange goes on with that job.
     *
     * @throws io.github.fluxkontext.camel.model.FluxKontextException (nothing sent) for a bad key, or one the ledger
     *                                                                 does not let submit
     */
    public CompletableFuture<Submission> submit(Message message, KontextRequest request, SubmitOptions options) {
        LedgerClaims.Claim claim = claims.claim(InputValues.idempotencyKey(message.getHeader(IDEMPOTENCY_KEY), "header " + IDEMPOTENCY_KEY),
                endpointId);
        KontextJob known = claim.knownJob();
        if (known != null) {
            // delivered again: its job exists and runs already, so it takes a place at once, even beyond the limit
            return CompletableFuture.completedFuture(new Submission(known, false, places.takeNow()));
        }
        CompletableFuture<Submission> sent;
        try {
            sent = places.take(Duration.ofMillis(config.getTimeout()), this).thenCompose(place -> send(request, options, claim, place));
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return claim.settle(sent, Submission::job);
    }

    /** Resolves the input images and sends the submit, holding the place; a failed submit gives it back at once. */
    private CompletableFuture<Submission> send(KontextRequest request, SubmitOptions options, LedgerClaims.Claim claim,
                                               JobPlaces.Place place) {
        CompletableFuture<KontextJob> answered;
        try {
            answered = inputImages.toFalInput(request).thenCompose(input -> {
                claim.markSent();
                return client.queue().submit(endpointId, input, options);
            });
        } catch (RuntimeException e) {
            answered = CompletableFuture.failedFuture(e);
        }
        answered.whenComplete((job, error) -> {
            if (error != null) {
                place.release(); // the exchange fails now: the place goes to the next in line
            }
        });
        return answered.thenApply(job -> {
            statistics.submitted();
            return new Submission(job, true, place);
        });
    }

    /** Sends no new submit from now on: the exchanges queued for a place fail, nothing sent for them. */
    public void stop() {
        places.stop(this);
    }
}
