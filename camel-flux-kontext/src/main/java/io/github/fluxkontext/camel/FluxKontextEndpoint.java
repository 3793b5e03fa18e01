package io.github.fluxkontext.camel;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fluxkontext.camel.client.FalClient;
import io.github.fluxkontext.camel.client.FalUrls;
import io.github.fluxkontext.camel.ledger.SubmissionLedger;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.EndpointServiceLocation;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and edits images with FLUX.1 Kontext through fal's queue API (or an aggregator that
 * re-exposes fal's paths), and checks, fetches or cancels submitted jobs.
 */
@ManagedResource(description = "FLUX.1 Kontext endpoint: jobs waiting, submitted, completed, failed; no secrets")
@UriEndpoint(firstVersion = "0.1.0", scheme = "flux-kontext", title = "FLUX.1 Kontext", syntax = "flux-kontext:operation",
             category = { Category.AI }, headersClass = FluxKontextConstants.class)
public class FluxKontextEndpoint extends DefaultEndpoint implements EndpointServiceLocation {

    private static final Logger LOG = LoggerFactory.getLogger(FluxKontextEndpoint.class);
    static final String WEBHOOK_IS_A_CONSUMER = "flux-kontext:webhook receives fal's callbacks: use it in from(), not in to();"
                                                + " to have a job call it back, submit with webhookUrl (or waitMode=webhook)";

    @UriPath(enums = "edit,text-to-image,multi,status,result,cancel,webhook")
    @Metadata(required = true, description = "What to do: edit an image, text-to-image, combine images (multi), or"
                                             + " get the status or result of a job, or cancel it (producers); or receive"
                                             + " fal's completion callbacks (webhook, the consumer).")
    private final FluxKontextOperation operation;
    @UriParam
    private FluxKontextConfiguration configuration;

    private final JobStatistics statistics = new JobStatistics();
    private volatile FluxKontextThreads threads;
    private volatile JobPlaces jobPlaces;
    private volatile Runnable removeMeters;
    private volatile CloseableHttpAsyncClient sharedHttpClient;
    private volatile FalClient client;
    private volatile FluxKontextOutput output;
    private volatile JobWaiter waiter;
    private volatile JobSubmitter submitter;

    public FluxKontextEndpoint(String uri, FluxKontextComponent component, FluxKontextOperation operation,
                               FluxKontextConfiguration configuration) {
        super(uri, component);
        this.operation = operation;
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        if (operation.isConsumer()) {
            throw new UnsupportedOperationException(WEBHOOK_IS_A_CONSUMER);
        }
        return new FluxKontextProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (!operation.isConsumer()) {
            throw new UnsupportedOperationException("flux-kontext:" + operation + " is a producer: use it in to(), not in from();"
                                                    + " the consumer is flux-kontext:webhook, which receives fal's callbacks");
        }
        FluxKontextWebhookConsumer consumer = new FluxKontextWebhookConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public FluxKontextComponent getComponent() {
        return (FluxKontextComponent) super.getComponent();
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        configuration.validateFor(operation);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        FluxKontextComponent component = getComponent();
        threads = component.threads();
        jobPlaces = component.jobPlaces();
        CloseableHttpAsyncClient http = configuration.getHttpClient();
        if (http == null) {
            sharedHttpClient = component.httpClients().acquire(configuration);
            http = sharedHttpClient;
        }
        client = new FalClient(configuration.clientSettings("camel-flux-kontext/" + version()), http, threads.scheduler(),
                threads.internal(), new ObjectMapper());
        output = new FluxKontextOutput(client.storage(), configuration.getOutputType());
        waiter = new JobWaiter(client.queue(), output, configuration, threads, statistics, jobPlaces, component.streamPlaces(),
                component.runTimes(), component.awaitedWebhooks());
        if (operation.submits()) {
            SubmissionLedger ledger = configuration.getLedger() != null ? configuration.getLedger() : component.defaultLedger();
            submitter = new JobSubmitter(client, configuration, getFalEndpointId(), jobPlaces,
                    new LedgerClaims(ledger, component.ledgerUpkeep(), configuration, threads), statistics);
        }
        registerMeters();
        if (!operation.isConsumer() && FluxKontextCredentials.callsFalWithoutKey(configuration) && component.firstNoKeyWarning()) {
            LOG.warn("No API key: flux-kontext calls fal at {} without one (apiKey is not set; FAL_KEY, FAL_KEY_ID and FAL_KEY_SECRET"
                     + " are not in the environment), so fal will refuse every job with 401. Set"
                     + " camel.component.flux-kontext.api-key (or the FAL_KEY environment variable); to try it without fal,"
                     + " point base-url at the simulator", FalUrls.redact(configuration.getBaseUrl()));
        }
        component.started(this);
        waiter.open(); // last: a wait started from now on sees the new client and threads
        LOG.debug("Started {} against {}", this, configuration.getBaseUrl());
    }

    @Override
    protected void doStop() throws Exception {
        if (submitter != null) {
            submitter.stop(); // first: the places the waits below give back must not start new jobs of this endpoint
        }
        if (waiter != null) {
            waiter.stop();
        }
        if (client != null) {
            client.close(); // ends calls still under way (or waiting for a retry) so no exchange hangs
        }
        if (sharedHttpClient != null) {
            getComponent().httpClients().release(sharedHttpClient);
            sharedHttpClient = null;
        }
        if (removeMeters != null) {
            statistics.listener(null);
            removeMeters.run();
            removeMeters = null;
        }
        getComponent().stopped(this);
        super.doStop();
    }

    /** Micrometer meters when Micrometer is there and the registry has a MeterRegistry (the meters' class is loaded only then). */
    private void registerMeters() {
        if (getCamelContext().getClassResolver().resolveClass(MicrometerJobMeters.METER_REGISTRY) != null) {
            MicrometerJobMeters meters = MicrometerJobMeters.register(getCamelContext(), this);
            if (meters != null) {
                statistics.listener(meters);
                removeMeters = meters::remove;
            }
        }
    }

    /** The waits of this endpoint; null before it starts. */
    JobWaiter waiter() {
        return waiter;
    }

    /** The component's threads; null before this endpoint starts. */
    FluxKontextThreads threads() {
        return threads;
    }

    /** The submits of this endpoint; null before it starts, and for the operations that submit nothing. */
    JobSubmitter submitter() {
        return submitter;
    }

    JobStatistics statistics() {
        return statistics;
    }

    /** How many exchanges are waiting for a job right now. */
    @ManagedAttribute(description = "Exchanges waiting for their jobs now")
    public int getWaitingJobs() {
        JobWaiter current = waiter;
        return current == null ? 0 : current.size();
    }

    @ManagedAttribute(description = "Waiting exchanges by the job's last status and how they watch it (stream, poll, webhook)")
    public Map<String, Integer> getWaitingJobsByStatus() {
        JobWaiter current = waiter;
        return current == null ? Map.of() : current.byStatusAndMode();
    }

    @ManagedAttribute(description = "Jobs submitted")
    public long getSubmits() {
        return statistics.submits();
    }

    @ManagedAttribute(description = "Waits that ended with the job's output")
    public long getCompletions() {
        return statistics.completions();
    }

    @ManagedAttribute(description = "Waits and calls that ended with an error")
    public long getFailures() {
        return statistics.failures();
    }

    @ManagedAttribute(description = "Failures by exception type")
    public Map<String, Long> getFailuresByType() {
        return statistics.failuresByType();
    }

    @ManagedAttribute(description = "Waits whose status stream could not be used and that went on by polling")
    public long getStreamFallbacks() {
        return statistics.fallbacks();
    }

    @ManagedAttribute(description = "HTTP calls sent again (retries)")
    public long getRetries() {
        FalClient current = client;
        return current == null ? 0 : current.retryCount();
    }

    @ManagedAttribute(description = "Status streams open now, over the component's endpoints")
    public int getOpenStreams() {
        return getComponent().getOpenStreams();
    }

    @ManagedAttribute(description = "Exchanges waiting for one of the component's maxConcurrentJobs places")
    public int getQueuedForAPlace() {
        JobPlaces current = jobPlaces;
        return current == null ? 0 : current.queued();
    }

    @ManagedAttribute(description = "Purges of expired submission ledger entries that failed, over the component's endpoints"
                                    + " (no submit failed for them)")
    public long getLedgerPurgeFailures() {
        return getComponent().getLedgerPurgeFailures();
    }

    @ManagedAttribute(description = "The queue API's base URL")
    public String getBaseUrl() {
        return configuration.getBaseUrl();
    }

    @ManagedAttribute(description = "The operation: edit, text-to-image, multi, status, result or cancel")
    public String getOperationName() {
        return operation.toString();
    }

    @ManagedAttribute(description = "How waiting exchanges learn their jobs are done: stream, poll or webhook")
    public String getWaitMode() {
        return configuration.getWaitMode().toString();
    }

    /** The fal client (queue and storage); null before the endpoint starts. */
    public FalClient getClient() {
        return client;
    }

    FluxKontextOutput output() {
        return output;
    }

    public FluxKontextOperation getOperation() {
        return operation;
    }

    public FluxKontextConfiguration getConfiguration() {
        return configuration;
    }

    /** The options of this endpoint. */
    public void setConfiguration(FluxKontextConfiguration configuration) {
        this.configuration = configuration;
    }

    /** The fal endpoint id this endpoint submits to (or whose app it asks, for status/result/cancel). */
    public String getFalEndpointId() {
        return configuration.falEndpointId(operation);
    }

    @Override
    public String getServiceUrl() {
        return configuration.getBaseUrl();
    }

    @Override
    public String getServiceProtocol() {
        return "http";
    }

    @Override
    public Map<String, String> getServiceMetadata() {
        return Map.of("operation", operation.toString(), "model", configuration.getModel().toString(), "endpointId",
                getFalEndpointId());
    }

    private static String version() {
        String v = FluxKontextEndpoint.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}
