package io.github.fluxkontext.camel;

import java.util.List;
import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.SSLContextParametersAware;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.service.ServiceHelper;

/**
 * The {@code flux-kontext} component: creates and edits images with FLUX.1 Kontext through fal's queue
 * API. Its configuration holds the defaults of every endpoint.
 */
@Component("flux-kontext")
public class FluxKontextComponent extends DefaultComponent implements SSLContextParametersAware {

    @Metadata
    private FluxKontextConfiguration configuration = new FluxKontextConfiguration();
    @Metadata(label = "security", defaultValue = "false")
    private boolean useGlobalSslContextParameters;

    private FluxKontextRuntime runtime;
    private final java.util.Set<FluxKontextEndpoint> startedEndpoints = java.util.concurrent.ConcurrentHashMap.newKeySet();

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

    /** The scheduler, thread pools and HTTP clients the endpoints share; made when the first endpoint starts. */
    synchronized FluxKontextRuntime runtime() {
        if (runtime == null) {
            runtime = new FluxKontextRuntime(getCamelContext(), this);
        }
        return runtime;
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
            if (runtime != null) {
                runtime.shutdown();
                runtime = null;
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
}
