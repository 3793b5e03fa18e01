package io.github.fluxkontext.camel;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fluxkontext.camel.client.FalClientSettings;
import io.github.fluxkontext.camel.client.FalQueueClient;
import io.github.fluxkontext.camel.client.FalUrls;
import io.github.fluxkontext.camel.client.RetryPolicy;
import io.github.fluxkontext.camel.client.SubmitOptions;
import io.github.fluxkontext.camel.client.SubmitRetry;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
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
@UriEndpoint(firstVersion = "0.1.0", scheme = "flux-kontext", title = "FLUX.1 Kontext", syntax = "flux-kontext:operation",
             producerOnly = true, category = { Category.AI }, headersClass = FluxKontextConstants.class)
public class FluxKontextEndpoint extends DefaultEndpoint implements EndpointServiceLocation {

    private static final Logger LOG = LoggerFactory.getLogger(FluxKontextEndpoint.class);
    private static final Set<String> MODELS = Set.of("pro", "max");
    private static final Set<String> OUTPUT_TYPES = Set.of("result", "bytes", "urls");
    private static final Set<String> IMAGE_UPLOADS = Set.of("inline", "fal-storage");
    private static final Set<String> AUTH_SCHEMES = Set.of("Key", "Bearer");
    private static final Set<String> PRIORITIES = Set.of("normal", "low");

    @UriPath(enums = "edit,text-to-image,multi,status,result,cancel")
    @Metadata(required = true, description = "What to do: edit an image, text-to-image, combine images (multi), or"
                                             + " get the status or result of a job, or cancel it.")
    private final String operation;
    @UriParam
    private FluxKontextConfiguration configuration;

    private final FluxKontextOperation kind;
    private final Set<JobWait> waits = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping = true;
    private volatile FluxKontextRuntime runtime;
    private volatile CloseableHttpAsyncClient sharedHttpClient;
    private volatile FalQueueClient client;

    public FluxKontextEndpoint(String uri, FluxKontextComponent component, FluxKontextOperation operation,
                               FluxKontextConfiguration configuration) {
        super(uri, component);
        this.kind = operation;
        this.operation = operation.uriName();
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        return new FluxKontextProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("flux-kontext is a producer only: use it in to(), not in from()");
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        checkConfiguration();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        FluxKontextComponent component = (FluxKontextComponent) getComponent();
        runtime = component.runtime();
        CloseableHttpAsyncClient http = configuration.getHttpClient();
        if (http == null) {
            sharedHttpClient = runtime.acquire(configuration);
            http = sharedHttpClient;
        }
        client = new FalQueueClient(clientSettings(), http, runtime.scheduler(), runtime.internal(), new ObjectMapper());
        component.started(this);
        stopping = false; // last: a wait registered from now on sees the new client and runtime
        LOG.debug("Started {} against {}", this, configuration.getBaseUrl());
    }

    @Override
    protected void doStop() throws Exception {
        stopping = true;
        for (JobWait wait : waits) {
            wait.abort();
        }
        waits.clear();
        if (client != null) {
            client.close(); // ends calls still under way (or waiting for a retry) so no exchange hangs
        }
        if (sharedHttpClient != null) {
            runtime.release(sharedHttpClient);
            sharedHttpClient = null;
        }
        ((FluxKontextComponent) getComponent()).stopped(this);
        super.doStop();
    }

    /** Registers a waiting exchange so that stopping can fail it; false when the endpoint is stopping. */
    boolean register(JobWait wait) {
        waits.add(wait);
        if (stopping) {
            waits.remove(wait);
            return false;
        }
        return true;
    }

    void unregister(JobWait wait) {
        waits.remove(wait);
    }

    /** How many exchanges are waiting for a job right now. */
    public int getWaitingJobs() {
        return waits.size();
    }

    public FalQueueClient getClient() {
        return client;
    }

    /** Continues a route on the component's continuation pool (here, if the component has stopped). */
    void continueRoute(Runnable continuation) {
        FluxKontextRuntime current = runtime;
        if (current != null) {
            current.continueRoute(continuation);
        } else {
            continuation.run();
        }
    }

    /** Runs a step of the component's own on its internal pool (here, if the component has stopped). */
    void runInternal(Runnable step) {
        FluxKontextRuntime current = runtime;
        if (current != null) {
            current.runInternal(step);
        } else {
            step.run();
        }
    }

    /** The component's shared scheduler and thread pools; null before the endpoint starts. */
    FluxKontextRuntime getRuntime() {
        return runtime;
    }

    public FluxKontextOperation getOperationKind() {
        return kind;
    }

    public String getOperation() {
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
        String id = configuration.getEndpointId() != null ? configuration.getEndpointId() : kind.endpointId(configuration.getModel());
        return FalUrls.normalizeEndpointId(id);
    }

    SubmitOptions submitOptions() {
        Long start = configuration.getStartTimeout();
        return new SubmitOptions(configuration.getPriority(), start == null ? null : Duration.ofMillis(start),
                configuration.getWebhookUrl());
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
        return Map.of("operation", operation);
    }

    private FalClientSettings clientSettings() {
        String key = apiKey();
        String scheme = configuration.getAuthScheme() != null ? configuration.getAuthScheme()
                : FalUrls.isFalHost(configuration.getBaseUrl()) ? "Key" : "Bearer";
        RetryPolicy retry = new RetryPolicy(configuration.getMaxRetries(), Duration.ofMillis(configuration.getRetryDelay()),
                Duration.ofMillis(configuration.getMaxRetryDelay()),
                SubmitRetry.valueOf(configuration.getSubmitRetry().toUpperCase(Locale.ROOT)));
        return new FalClientSettings(configuration.getBaseUrl(), configuration.getStorageUrl(), key, scheme,
                "camel-flux-kontext/" + version(), configuration.getMaxDownloadSize(), retry);
    }

    /** The key: the option, else FAL_KEY, else FAL_KEY_ID:FAL_KEY_SECRET (as fal's clients read it). */
    private String apiKey() {
        if (configuration.getApiKey() != null && !configuration.getApiKey().isBlank()) {
            return configuration.getApiKey();
        }
        String env = System.getenv("FAL_KEY");
        if (env != null && !env.isBlank()) {
            return env;
        }
        String id = System.getenv("FAL_KEY_ID");
        String secret = System.getenv("FAL_KEY_SECRET");
        return id != null && secret != null ? id + ":" + secret : null;
    }

    /** Fails at route start, naming the option, rather than at the first message. */
    private void checkConfiguration() {
        oneOf("model", configuration.getModel(), MODELS);
        oneOf("outputType", configuration.getOutputType(), OUTPUT_TYPES);
        oneOf("imageUpload", configuration.getImageUpload(), IMAGE_UPLOADS);
        oneOf("submitRetry", configuration.getSubmitRetry(), Set.of("safe", "all", "none"));
        if (configuration.getAuthScheme() != null) {
            oneOf("authScheme", configuration.getAuthScheme(), AUTH_SCHEMES);
        }
        if (configuration.getPriority() != null) {
            oneOf("priority", configuration.getPriority(), PRIORITIES);
        }
        checkUrl("baseUrl", configuration.getBaseUrl());
        if ("fal-storage".equals(configuration.getImageUpload())) {
            checkUrl("storageUrl", configuration.getStorageUrl());
        }
        if (configuration.getStartTimeout() != null && configuration.getStartTimeout() <= 1000) {
            throw new IllegalArgumentException("Option startTimeout must be more than 1 second (fal rejects shorter ones), was "
                                               + configuration.getStartTimeout() + " ms");
        }
        positive("pollInterval", configuration.getPollInterval());
        positive("maxPollInterval", configuration.getMaxPollInterval());
        positive("timeout", configuration.getTimeout());
        positive("maxDownloadSize", configuration.getMaxDownloadSize());
        positive("maxInlineImageSize", configuration.getMaxInlineImageSize());
        if (configuration.getMaxRetries() < 0) {
            throw new IllegalArgumentException("Option maxRetries must be 0 or more, was " + configuration.getMaxRetries());
        }
        if (configuration.getProxyHost() != null && configuration.getProxyPort() == null) {
            throw new IllegalArgumentException("Option proxyHost is set but proxyPort is not");
        }
        if (kind.submits() || configuration.getEndpointId() != null) {
            try {
                getFalEndpointId();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Option endpointId: " + e.getMessage(), e);
            }
        }
    }

    private void checkUrl(String option, String url) {
        String origin = url == null ? null : FalUrls.origin(url);
        if (origin == null || !(origin.startsWith("https://") || origin.startsWith("http://"))) {
            throw new IllegalArgumentException("Option " + option + " must be an absolute http(s) URL, was '" + url + "'");
        }
        if (origin.startsWith("http://") && !FalUrls.isLoopback(url) && !configuration.isAllowInsecureHttp()) {
            throw new IllegalArgumentException("Option " + option + " is plain http on a host other than loopback ('" + url
                                               + "'): the key would travel unencrypted. Use https, or set allowInsecureHttp=true"
                                               + " if you really mean it");
        }
    }

    private static void oneOf(String option, String value, Set<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            throw new IllegalArgumentException("Option " + option + " is '" + value + "'; allowed: " + String.join(", ", allowed.stream().sorted().toList()));
        }
    }

    private static void positive(String option, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("Option " + option + " must be positive, was " + value);
        }
    }

    private static String version() {
        String v = FluxKontextEndpoint.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}
