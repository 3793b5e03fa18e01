package io.github.fluxkontext.camel;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Endpoint;
import org.apache.camel.SSLContextParametersAware;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.service.ServiceHelper;

/**
 * The {@code flux-kontext} component: creates and edits images with FLUX.1 Kontext through fal's queue
 * API. Its configuration holds the defaults of every endpoint; the threads and HTTP clients it owns
 * ({@link FluxKontextThreads}) are shared by all its endpoints.
 */
@Component("flux-kontext")
public class FluxKontextComponent extends DefaultComponent implements SSLContextParametersAware {

    @Metadata
    private FluxKontextConfiguration configuration = new FluxKontextConfiguration();
    @Metadata(label = "security", defaultValue = "false")
    private boolean useGlobalSslContextParameters;
    @Metadata(label = "advanced", defaultValue = "10")
    private int routeThreads = 10;
    @Metadata(label = "advanced", defaultValue = "100")
    private int maxRouteThreads = 100;

    private FluxKontextThreads threads;
    private FluxKontextHttpClients httpClients;
    private final Set<FluxKontextEndpoint> startedEndpoints = ConcurrentHashMap.newKeySet();
    private final AwaitedWebhooks awaitedWebhooks = new AwaitedWebhooks();

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
    synchronized FluxKontextThreads threads() {
        if (threads == null) {
            if (routeThreads < 1 || maxRouteThreads < routeThreads) {
                throw new IllegalArgumentException("Options routeThreads (" + routeThreads + ") and maxRouteThreads ("
                                                   + maxRouteThreads + "): routeThreads must be at least 1, maxRouteThreads at least routeThreads");
            }
            threads = new FluxKontextThreads(getCamelContext(), this, routeThreads, maxRouteThreads);
            httpClients = new FluxKontextHttpClients(getCamelContext(), threads.scheduler());
        }
        return threads;
    }

    /** The HTTP clients the endpoints share; made with the threads. */
    synchronized FluxKontextHttpClients httpClients() {
        threads();
        return httpClients;
    }

    /** The waits of all endpoints that expect a webhook callback (waitMode=webhook), for the webhook consumers. */
    AwaitedWebhooks awaitedWebhooks() {
        return awaitedWebhooks;
    }

    void started(FluxKontextEndpoint endpoint) {
        startedEndpoints.add(endpoint);
    }

    void stopped(FluxKontextEndpoint endpoint) {
        startedEndpoints.remove(endpoint);
    }

    /**
     * Stops the endpoints still running first (a context stops them before its components anyway;
     * this covers stopping the component alone), so no exchange waits on a scheduler that is gone.
     */
    @Override
    protected void doStop() throws Exception {
        for (FluxKontextEndpoint endpoint : List.copyOf(startedEndpoints)) {
            ServiceHelper.stopService(endpoint);
        }
        synchronized (this) {
            if (threads != null) {
                httpClients.closeAll();
                threads.shutdown();
                threads = null;
                httpClients = null;
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
     * all endpoints. When all are busy and none finishes for 100 ms (routes blocked, say on a slow
     * database), the pool grows by this many threads at a time, up to maxRouteThreads; the component's own
     * work (polls, answers, timeouts) goes on undisturbed.
     */
    public void setRouteThreads(int routeThreads) {
        this.routeThreads = routeThreads;
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
