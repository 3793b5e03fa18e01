package io.github.fluxkontext.camel;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fluxkontext.camel.client.FalClient;
import io.github.fluxkontext.camel.mapping.ResultMapping;
import io.github.fluxkontext.camel.submit.JobSubmitter;
import io.github.fluxkontext.camel.support.ComponentThreads;
import io.github.fluxkontext.camel.support.JobStatistics;
import io.github.fluxkontext.camel.support.MicrometerJobMeters;
import io.github.fluxkontext.camel.wait.JobWaiter;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;

/**
 * Creates and edits images with FLUX.1 Kontext through fal's queue API (or an aggregator that
 * re-exposes fal's paths), and checks, fetches or cancels submitted jobs.
 */
@ManagedResource(description = "FLUX.1 Kontext endpoint: jobs waiting, submitted, completed, failed; no secrets")
@UriEndpoint(firstVersion = "0.1.0", scheme = "flux-kontext", title = "FLUX.1 Kontext", syntax = "flux-kontext:operation",
             category = { Category.AI }, headersClass = FluxKontextConstants.class)
public class FluxKontextEndpoint extends DefaultEndpoint implements OperatorView {

    @UriPath(enums = "edit,text-to-image,multi,inpaint,status,result,cancel,webhook")
    @Metadata(required = true, description = "What to do: edit an image, text-to-image, combine images (multi), inpaint (lora),"
                                             + " get the status or result of a job, or cancel it (producers); or receive"
                                             + " fal's completion callbacks (webhook, the consumer).")
    private final FluxKontextOperation operation;
    @UriParam
    private FluxKontextConfiguration configuration;

    private final JobStatistics statistics = new JobStatistics();
    private volatile FalClient client;
    private volatile JobWaiter waiter;
    private volatile JobSubmitter submitter;
    private volatile CloseableHttpAsyncClient http;
    private volatile Runnable removeMeters = () -> {
    };

    public FluxKontextEndpoint(String uri, FluxKontextComponent component, FluxKontextOperation operation,
                               FluxKontextConfiguration configuration) {
        super(uri, component);
        this.operation = operation;
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        if (operation.isConsumer()) {
            throw operation.misused();
        }
        return new FluxKontextProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (!operation.isConsumer()) {
            throw operation.misused();
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

    /** Builds what its exchanges go through: the fal client, the {@link JobWaiter} and the {@link JobSubmitter}. */
    @Override
    protected void doStart() throws Exception {
        super.doStart();
        FluxKontextComponent component = getComponent();
        ComponentThreads threads = component.threads();
        http = component.httpClients().acquire(configuration);
        client = new FalClient(configuration.clientSettings(), http, threads.scheduler(), threads.internal(), new ObjectMapper());
        waiter = new JobWaiter(client.queue(), new ResultMapping(client.storage(), configuration.getOutputType(), statistics), configuration,
                threads, statistics, component.jobPlaces(), component.streamPlaces(), component.runTimes(), component.awaitedWebhooks());
        if (operation.submits()) {
            submitter = new JobSubmitter(client, configuration, getFalEndpointId(), component.jobPlaces(), component.ledger(configuration),
                    component.ledgerUpkeep(), threads, statistics);
        }
        component.warnOnceIfNoKey(configuration, operation);
        removeMeters = MicrometerJobMeters.registerIfPresent(getCamelContext(), this, statistics, getFalEndpointId());
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
        if (http != null) {
            getComponent().httpClients().release(http); // a client of the user's own stays open
            http = null;
        }
        removeMeters.run();
        super.doStop();
    }

    /** The waits of this endpoint; null before it starts. */
    JobWaiter waiter() {
        return waiter;
    }

    /** The submits of this endpoint; null before it starts, and for the operations that submit nothing. */
    JobSubmitter submitter() {
        return submitter;
    }

    @Override
    public JobFigures jobFigures() {
        return new JobFigures(statistics, getComponent(), waiter, client);
    }

    /** The fal client (queue and storage); null before the endpoint starts. */
    public FalClient getClient() {
        return client;
    }

    @Override
    public FluxKontextOperation getOperation() {
        return operation;
    }

    @Override
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
}
