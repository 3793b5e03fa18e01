package io.github.fluxkontext.camel;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.fluxkontext.camel.client.FalUrls;
import io.github.fluxkontext.camel.ledger.MemorySubmissionLedger;
import io.github.fluxkontext.camel.ledger.SubmissionLedger;
import io.github.fluxkontext.camel.submit.JobPlaces;
import io.github.fluxkontext.camel.submit.LedgerUpkeep;
import io.github.fluxkontext.camel.support.ComponentThreads;
import io.github.fluxkontext.camel.support.HttpClients;
import io.github.fluxkontext.camel.wait.AwaitedWebhooks;
import io.github.fluxkontext.camel.wait.RunTimes;
import io.github.fluxkontext.camel.wait.StreamPlaces;
import org.apache.camel.Endpoint;
import org.apache.camel.SSLContextParametersAware;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code flux-kontext} component: creates and edits images with FLUX.1 Kontext through fal's queue
 * API. Its configuration holds the defaults of every endpoint; the threads and HTTP clients it owns
 * ({@link ComponentThreads}) are shared by all its endpoints.
 */
@Component("flux-kontext")
public class FluxKontextComponent extends HealthCheckComponent implements SSLContextParametersAware {

    private static final Logger LOG = LoggerFactory.getLogger(FluxKontextComponent.class);

    @Metadata
    private FluxKontextConfiguration configuration = new FluxKontextConfiguration();
    @Metadata(label = "security", defaultValue = "false")
    private boolean useGlobalSslContextParameters;
    @Metadata(label = "advanced", defaultValue = "2")
    private int routeThreads = 2;
    @Metadata(label = "advanced", defaultValue = "100")
    private int maxRouteThreads = 100;
    @Metadata(label = "producer,wait", defaultValue = "1024")
    private int maxOpenStreams = 1024;
    @Metadata(label = "producer,request", defaultValue = "0")
    private int maxConcurrentJobs;

    private ComponentThreads threads;
    private SubmissionLedger defaultLedger;
    private HttpClients httpClients;
    private JobPlaces jobPlaces;
    private LedgerUpkeep ledgerUpkeep;
    private StreamPlaces streamPlaces;
    private final RunTimes runTimes = new RunTimes();
    private final AwaitedWebhooks awaitedWebhooks = new AwaitedWebhooks();
    private final AtomicBoolean warnedNoKey = new AtomicBoolean();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        FluxKontextOperation operation = FluxKontextOperation.fromUri(remaining);
        FluxKontextConfiguration endpointConfiguration = configuration.copy();
        FluxKontextEndpoint endpoint = new FluxKontextEndpoint(uri, this, operation, endpointConfiguration);
        setProperties(endpoint, parameters);
        if (endpointConfiguration.getSslContextParameters() == null && useGlobalSslContextParameters) {
            endpointConfiguration.setSslContextParameters(retrieveGlobalSslContextParameters());
        }
        return endpoint;
    }

    /** The threads the endpoints share; made when the first endpoint starts. */
    synchronized ComponentThreads threads() {
        if (threads == null) {
            if (routeThreads < 1 || maxRouteThreads < routeThreads) {
                throw new IllegalArgumentException("Options routeThreads (" + routeThreads + ") and maxRouteThreads ("
                                                   + maxRouteThreads + "): routeThreads must be at least 1, maxRouteThreads at least routeThreads");
            }
            if (maxOpenStreams < 0) {
                throw new IllegalArgumentException("Option maxOpenStreams must be 0 or more, was " + maxOpenStreams);
            }
            threads = new ComponentThreads(getCamelContext(), this, routeThreads, maxRouteThreads);
            httpClients = new HttpClients(getCamelContext(), threads.scheduler(), maxOpenStreams);
            // a queued exchange gets its place on a route thread: its submit then reads local input files, which blocks
            jobPlaces = new JobPlaces(maxConcurrentJobs, threads);
            streamPlaces = new StreamPlaces(maxOpenStreams);
            ledgerUpkeep = new LedgerUpkeep(threads.scheduler(), threads.ledger());
        }
        return threads;
    }

    /** The maxConcurrentJobs places the endpoints share; made with the threads. */
    synchronized JobPlaces jobPlaces() {
        threads();
        return jobPlaces;
    }

    /** The ledger's upkeep (lease renewals, purges) the endpoints share; made with the threads. */
    synchronized LedgerUpkeep ledgerUpkeep() {
        threads();
        return ledgerUpkeep;
    }

    /** Purges of expired ledger entries that failed since the component started (each was logged). */
    public synchronized long getLedgerPurgeFailures() {
        return ledgerUpkeep == null ? 0 : ledgerUpkeep.purgeFailures();
    }

    /** The places, or null when the component has not started them (for monitoring: never starts them). */
    synchronized JobPlaces currentJobPlaces() {
        return jobPlaces;
    }

    /** The HTTP clients the endpoints share; made with the threads. */
    synchronized HttpClients httpClients() {
        threads();
        return httpClients;
    }

    /** The maxOpenStreams places the endpoints share; made with the threads. */
    synchronized StreamPlaces streamPlaces() {
        threads();
        return streamPlaces;
    }

    /** How long jobs run, per fal endpoint, as this component saw them (polling asks when they are due). */
    RunTimes runTimes() {
        return runTimes;
    }

    /** Status streams open now, over all endpoints. */
    public synchronized int getOpenStreams() {
        return streamPlaces == null ? 0 : streamPlaces.open();
    }

    /**
     * The ledger of endpoints whose ledger option is unset: one in memory, shared by all of them so that a key
     * is known whichever endpoint sees it again; made on first use, and kept across a restart of the component
     * (as long as this JVM lives).
     */
    synchronized SubmissionLedger defaultLedger() {
        if (defaultLedger == null) {
            defaultLedger = new MemorySubmissionLedger();
        }
        return defaultLedger;
    }

    /** The waits of all endpoints that expect a webhook callback (waitMode=webhook), for the webhook consumers. */
    AwaitedWebhooks awaitedWebhooks() {
        return awaitedWebhooks;
    }

    /** The ledger of an endpoint: its ledger option, else the component's in-memory one. */
    SubmissionLedger ledger(FluxKontextConfiguration endpointConfiguration) {
        return endpointConfiguration.getLedger() != null ? endpointConfiguration.getLedger() : defaultLedger();
    }

    /**
     * Says, once per component rather than per endpoint, that a producer calls fal without a key: fal refuses every
     * job then, after the retries.
     */
    void warnOnceIfNoKey(FluxKontextConfiguration endpointConfiguration, FluxKontextOperation operation) {
        if (!operation.isConsumer() && endpointConfiguration.keyRouting().callsFalWithoutKey() && warnedNoKey.compareAndSet(false, true)) {
            LOG.warn("No API key: flux-kontext calls fal at {} without one (apiKey is not set; FAL_KEY, FAL_KEY_ID and FAL_KEY_SECRET"
                     + " are not in the environment), so fal will refuse every job with 401. Set"
                     + " camel.component.flux-kontext.api-key (or the FAL_KEY environment variable); to try it without fal,"
                     + " point base-url at the simulator", FalUrls.redact(endpointConfiguration.getBaseUrl()));
        }
    }

    /**
     * Stops its endpoints that still run first (a context stops them before its components anyway; this covers
     * stopping the component alone), so no exchange waits on a scheduler that is gone.
     */
    @Override
    protected void doStop() throws Exception {
        for (Endpoint endpoint : getCamelContext().getEndpoints()) {
            if (endpoint instanceof FluxKontextEndpoint flux && flux.getComponent() == this) {
                ServiceHelper.stopService(flux);
            }
        }
        synchronized (this) {
            if (threads != null) {
                jobPlaces.stop();
                httpClients.closeAll();
                threads.shutdown();
                threads = null;
                httpClients = null;
                jobPlaces = null;
                ledgerUpkeep = null;
            }
        }
        super.doStop();
    }

    public FluxKontextConfiguration getConfiguration() {
        return configuration;
    }

    /** The defaults shared by all endpoints of this component. */
    public void setConfiguration(FluxKontextConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public boolean isUseGlobalSslContextParameters() {
        return useGlobalSslContextParameters;
    }

    /** Use the global SSL context parameters of the CamelContext when an endpoint sets none. */
    @Override
    public void setUseGlobalSslContextParameters(boolean useGlobalSslContextParameters) {
        this.useGlobalSslContextParameters = useGlobalSslContextParameters;
    }

    public int getRouteThreads() {
        return routeThreads;
    }

    /**
     * Threads that continue the routes once their jobs completed (the steps after flux-kontext), shared by
     * all endpoints. Handing an exchange back takes microseconds, so a few do; when all are busy and none
     * finishes for 200 ms (routes blocked, say on a slow database), the pool grows by this many threads at a
     * time, up to maxRouteThreads; the component's own work (polls, answers, timeouts) goes on undisturbed.
     */
    public void setRouteThreads(int routeThreads) {
        this.routeThreads = routeThreads;
    }

    public int getMaxOpenStreams() {
        return maxOpenStreams;
    }

    /**
     * The most status streams open at once (waitMode=stream), over all endpoints; jobs beyond it wait by
     * polling. Each open stream holds a connection of its own (HTTP/1.1, in a pool apart from the connections
     * of the other requests) and, measured, about 11 KB of heap more than a polled job (18 KB over TLS): the
     * default streams 1,024 waiting jobs for about 11 MB and 1,024 sockets, which count against the process's
     * open-files limit.
     */
    public void setMaxOpenStreams(int maxOpenStreams) {
        this.maxOpenStreams = maxOpenStreams;
    }

    public int getMaxConcurrentJobs() {
        return maxConcurrentJobs;
    }

    /**
     * The most jobs this component has submitted and waits for at once, over all its endpoints (0: no limit).
     * Beyond it, exchanges wait for a place in a fair queue, holding no thread; that wait counts against
     * their timeout, and a stop fails them with FluxKontextStoppedException (nothing was sent). It bounds cost,
     * memory and your own concurrency at fal (fal queues above an account's limit anyway). A submit with
     * waitForResult=false holds its place only until fal answered it. Every job waited for counts: one the
     * ledger knew (a message delivered again) and a flux-kontext:result wait take a place at once, even beyond the
     * limit, as their job exists already; new submits then wait until fewer than this many jobs are in flight.
     */
    public void setMaxConcurrentJobs(int maxConcurrentJobs) {
        this.maxConcurrentJobs = maxConcurrentJobs;
    }

    public int getMaxRouteThreads() {
        return maxRouteThreads;
    }

    /**
     * The most threads that continue routes, however many are blocked. Beyond it, completed exchanges wait
     * in order for a free thread.
     */
    public void setMaxRouteThreads(int maxRouteThreads) {
        this.maxRouteThreads = maxRouteThreads;
    }
}
