package io.github.fluxkontext.camel.springboot;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

import io.github.fluxkontext.camel.FluxKontextConfiguration;
import io.github.fluxkontext.camel.ledger.SubmissionLedger;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spring.boot.ComponentConfigurationPropertiesCommon;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * The {@code flux-kontext} component's options as Spring Boot properties, {@code camel.component.flux-kontext.*}
 * (relaxed names: {@code base-url}, {@code api-key}, {@code poll-interval}...). Each option of the component has a
 * property here; durations are {@link Duration}s ({@code 500ms}, {@code 2s}, {@code 10m}, or plain milliseconds) and
 * sizes {@link DataSize}s ({@code 10MB}, or plain bytes), converted to the component's milliseconds and bytes.
 * <p>
 * Only the options that were set are copied onto the component (see {@link #componentProperties()}): the others
 * keep the component's own defaults, which the initial values here mirror for documentation.
 * <p>
 * {@code enabled} ({@code camel.component.flux-kontext.enabled}, inherited) turns the whole auto-configuration off,
 * {@code customizer.enabled} only the copying onto the component.
 */
@ConfigurationProperties(prefix = "camel.component.flux-kontext")
public class FluxKontextComponentConfiguration extends ComponentConfigurationPropertiesCommon {

    /** Options never shown by toString(), as Camel masks secret options. */
    private static final Set<String> SECRETS = Set.of("apiKey", "storageApiKey", "webhookSecret");

    /** The options whose setter was called by the binder (or by code), in the order they were set. */
    private final Set<String> configured = new LinkedHashSet<>();

    /**
     * A FluxKontextConfiguration bean (written #bean:name or #name) to use as the defaults of all
     * endpoints, instead of a new one. The other options set here are applied on top of it.
     */
    private FluxKontextConfiguration configuration;

    /**
     * The Kontext model, which picks the fal endpoint of the operation: pro, max (larger, slower), dev
     * (edit only, at a lower price) or lora (dev with LoRA weights: edit, text-to-image and inpaint).
     */
    private String model = "pro";

    /**
     * A fal endpoint id that replaces the one chosen by operation and model, for other Kontext variants
     * (e.g. fal-ai/flux-kontext/dev). For status, result and cancel it names the app of the job when
     * neither the header CamelFluxKontextEndpointId nor a KontextJob body does.
     */
    private String endpointId;

    /**
     * The prompt when neither the header CamelFluxKontextPrompt nor the body gives one.
     */
    private String prompt;

    /**
     * The input image of edit and inpaint (http(s) URL or data URI) when neither the header
     * CamelFluxKontextImageUrl nor the body gives one.
     */
    private String imageUrl;

    /**
     * The seed: the same seed and prompt give the same image.
     */
    private Long seed;

    /**
     * Guidance scale (CFG), 1 to 20; fal's default is 3.5.
     */
    private Double guidanceScale;

    /**
     * Number of images to generate, 1 to 4; fal's default is 1.
     */
    private Integer numImages;

    /**
     * Safety tolerance, 1 (strictest) to 6; sent to fal as a string. fal's default is 2.
     */
    private String safetyTolerance;

    /**
     * Format of the generated images: jpeg (fal's default) or png.
     */
    private String outputFormat;

    /**
     * Aspect ratio of the generated images: 21:9, 16:9, 4:3, 3:2, 1:1, 2:3, 3:4, 9:16 or 9:21.
     */
    private String aspectRatio;

    /**
     * Whether fal enhances the prompt before generating. Unset: not sent, fal's default applies.
     */
    private Boolean enhancePrompt;

    /**
     * Whether fal returns the images inline as data URIs instead of URLs (and keeps no copy). Unset: not
     * sent, fal's default applies.
     */
    private Boolean syncMode;

    /**
     * dev and lora: denoising steps, 10 to 50; fal's default is 28 for dev, 30 for lora.
     */
    private Integer numInferenceSteps;

    /**
     * dev and lora: how fal speeds the model up, none (fal's default), regular or high.
     */
    private String acceleration;

    /**
     * dev and lora edit: the output's size, match_input (fal's default), auto (the nearest ratio) or an aspect
     * ratio (1:1, 16:9, 21:9, 3:2, 2:3, 4:5, 5:4, 3:4, 4:3, 9:16, 9:21).
     */
    private String resolutionMode;

    /**
     * dev and lora: whether fal checks the images for NSFW content. Unset: not sent, fal's default (true)
     * applies.
     */
    private Boolean enableSafetyChecker;

    /**
     * lora text-to-image: a preset (square_hd, square, portrait_4_3, portrait_16_9, landscape_4_3, fal's
     * default, landscape_16_9) or WIDTHxHEIGHT, e.g. 1280x720.
     */
    private String imageSize;

    /**
     * lora: the LoRA weights, a comma separated list of path:scale (scale 0 to 4 after the last colon,
     * optional; the path a URL or Hugging Face name of safetensors weights).
     */
    private String loras;

    /**
     * lora inpaint: how strongly the masked area changes, 0.01 to 1; fal's default is 0.88.
     */
    private Double strength;

    /**
     * lora inpaint: the mask (http(s) URL or data URI), white where the image is repainted, when neither the
     * header CamelFluxKontextMaskUrl nor the body gives one.
     */
    private String maskUrl;

    /**
     * lora inpaint: the image the masked area is painted after (http(s) URL or data URI), when neither the
     * header CamelFluxKontextReferenceImageUrl nor the body gives one.
     */
    private String referenceImageUrl;

    /**
     * With true, edit, text-to-image and multi wait for the job and continue with its output (see
     * outputType), and result waits for the job to complete. With false they continue at once with the queue
     * handle (a KontextJob), and result fails if the job has not completed yet.
     */
    private boolean waitForResult = true;

    /**
     * What the body holds when a job completed: result (a KontextResult), bytes (the image
     * as byte[], or a list of byte[] for several, downloaded or decoded) or urls (a list of strings).
     */
    private String outputType = "result";

    /**
     * How a waiting exchange learns that its job is done: stream (fal's status stream, read without a thread;
     * polling where the stream is refused, breaks or stays silent), poll (status polls), or webhook (fal calls
     * webhook-url, which a flux-kontext:webhook consumer of this CamelContext receives; a background poll every
     * max-poll-interval completes the wait when the callback lands elsewhere or never). No mode submits again
     * or loses the job.
     */
    private String waitMode = "stream";

    /**
     * With wait-mode=stream: the longest silence on a status stream (fal pings every 15 s) before it counts
     * as broken; the wait then goes on by polling. A duration: 30s, or milliseconds.
     */
    @DurationUnit(ChronoUnit.MILLIS)
    private Duration streamIdleTimeout = Duration.ofSeconds(30);

    /**
     * The most status streams open at once (wait-mode=stream), over all endpoints; jobs beyond it wait by
     * polling. Each open stream holds a connection of its own (HTTP/1.1, in a pool apart from the connections
     * of the other requests) and, measured, about 11 KB of heap more than a polled job (18 KB over TLS): the
     * default streams 1,024 waiting jobs for about 11 MB and 1,024 sockets, which count against the process's
     * open-files limit.
     */
    private Integer maxOpenStreams = 1024;

    /**
     * The most jobs this component has submitted and waits for at once, over all its endpoints (0: no limit).
     * Beyond it, exchanges wait for a place in a fair queue, holding no thread; that wait counts against their
     * timeout, and a stop fails them with FluxKontextStoppedException (nothing was sent). A submit with
     * wait-for-result=false holds its place only until fal answered it. Every job waited for counts: one the
     * ledger knew (a message delivered again) and a flux-kontext:result wait take a place at once, even beyond the
     * limit, as their job exists already; new submits then wait until fewer than this many jobs are in flight.
     */
    private Integer maxConcurrentJobs = 0;

    /**
     * With wait-mode=poll (and wherever a stream cannot be used): how often to ask for the status of a job
     * that runs (IN_PROGRESS) while the component has not yet learned how long the endpoint's jobs run; once
     * it has, it asks shortly before the job is due, then every 100 ms a few times. A job in the queue is asked
     * at this interval too, unless its queue position goes down so slowly that it cannot start that soon (then
     * halfway to its expected start, at most max-poll-interval). The first poll comes sooner, at most 250 ms
     * after submit. A duration: 500ms, 2s, or milliseconds.
     */
    @DurationUnit(ChronoUnit.MILLIS)
    private Duration pollInterval = Duration.ofMillis(500);

    /**
     * The longest interval between two status polls (for a job far back in the queue, or a running job not
     * due yet); with wait-mode=webhook, the interval of the background poll. A duration: 5s, or milliseconds.
     */
    @DurationUnit(ChronoUnit.MILLIS)
    private Duration maxPollInterval = Duration.ofSeconds(5);

    /**
     * How long to wait for the job to complete. On expiry the exchange fails with a FluxKontextTimeoutException
     * carrying the request id; once the job has completed it no longer applies. A duration: 10m, or milliseconds.
     */
    @DurationUnit(ChronoUnit.MILLIS)
    private Duration timeout = Duration.ofMinutes(10);

    /**
     * Whether to cancel the job at fal when the wait times out.
     */
    private boolean cancelOnTimeout = true;

    /**
     * Whether to ask fal for the job's log lines in status answers (they appear in the KontextJob and at
     * DEBUG level).
     */
    private boolean logs = false;

    /**
     * How long fal keeps the generated images downloadable (header X-Fal-Object-Lifecycle-Preference, whole
     * seconds, at least 1 s); unset, fal's default applies. The header CamelFluxKontextMediaExpiration
     * overrides it per message. A duration: 1h, or milliseconds.
     */
    @DurationUnit(ChronoUnit.MILLIS)
    private Duration mediaExpiration;

    /**
     * Extra x-fal-* headers sent on each submit, as name=value pairs separated by commas (e.g.
     * x-fal-no-retry=1,x-fal-runner-hint=eu); the header CamelFluxKontextFalHeaders adds to them per
     * message. Refused when a route starts: names not x-fal-*, names that look like a credential, the
     * headers the component sets from its options, values that contain the API key, more than 16.
     */
    private String falHeaders;

    /**
     * How local images (byte[], File, Path, InputStream bodies) reach fal: inline as data URIs
     * (accepted by fal and by aggregators), or fal-storage: uploaded to fal's storage at storageUrl
     * first, then sent as a URL.
     */
    private String imageUpload = "inline";

    /**
     * The largest image sent inline as a data URI; a larger one fails before sending and asks for
     * imageUpload=fal-storage. A data size: 10MB, or bytes.
     */
    @DataSizeUnit(DataUnit.BYTES)
    private DataSize maxInlineImageSize = DataSize.ofMegabytes(10);

    /**
     * The largest answer accepted from the server: each image download and each API answer (a sync-mode
     * result holds its images). Larger answers fail with a clear error. A data size: 50MB, or bytes.
     */
    @DataSizeUnit(DataUnit.BYTES)
    private DataSize maxDownloadSize = DataSize.ofMegabytes(50);

    /**
     * fal queue priority, normal or low (header x-fal-queue-priority).
     */
    private String priority;

    /**
     * Server-side deadline for the job to start running (header x-fal-request-timeout); fal fails the job
     * when it is still queued by then. Must be more than 1 second. A duration: 30s, or milliseconds.
     */
    @DurationUnit(ChronoUnit.MILLIS)
    private Duration startTimeout;

    /**
     * A URL fal calls when the job completes (query parameter fal_webhook): the public HTTPS address of a
     * flux-kontext:webhook consumer (this instance's or another's). Required with wait-mode webhook.
     */
    private String webhookUrl;

    /**
     * flux-kontext:webhook: the HTTP path the consumer receives fal's callbacks on, served by Camel's
     * platform-http (with camel-platform-http-starter: Spring Boot's web server). fal is told the full public
     * URL of it with webhook-url.
     */
    private String path = "/fal/webhook";

    /**
     * flux-kontext:webhook: whether a callback must carry fal's Ed25519 signature (keys from jwks-url) and a
     * timestamp within webhook-tolerance. Set false only for an aggregator that does not sign its callbacks:
     * then anyone who can reach the path can inject results (a WARN says so at start).
     */
    private boolean verifyWebhookSignature = true;

    /**
     * flux-kontext:webhook: where fal's public webhook keys (a JWKS) are fetched from, without credentials;
     * cached for up to 24 hours, and fetched again when no cached key verifies a callback (fal rotated its
     * key), at most every 10 seconds.
     */
    private String jwksUrl = "https://rest.alpha.fal.ai/.well-known/jwks.json";

    /**
     * flux-kontext:webhook: how far a callback's timestamp may be from this machine's clock, either way; older
     * or newer callbacks are refused (401). A duration: 5m, or milliseconds.
     */
    @DurationUnit(ChronoUnit.MILLIS)
    private Duration webhookTolerance = Duration.ofMinutes(5);

    /**
     * flux-kontext:webhook: the largest callback body accepted; a larger one is answered 413. A data size:
     * 16MB, or bytes. On Spring Boot's servlet server the starter's filter reads a callback's body no further
     * than this (camel.component.flux-kontext.webhook-body-limit-enabled).
     */
    @DataSizeUnit(DataUnit.BYTES)
    private DataSize maxWebhookSize = DataSize.ofMegabytes(16);

    /**
     * flux-kontext:webhook: remembers the request ids of the callbacks whose exchange is done, so that a job reaches
     * the route once although fal delivers again: an IdempotentRepository bean, written #bean:name or #name. Unset,
     * an in-memory one per consumer, which forgets on restart (a captured callback can then be replayed within
     * webhook-tolerance); several instances share one persistent repository (JDBC, Kafka, Redis, Infinispan).
     */
    private IdempotentRepository idempotentRepository;

    /**
     * flux-kontext:webhook: the fal user ids (header X-Fal-Webhook-User-Id, covered by the signature) whose
     * callbacks are accepted, comma separated; another account's callback is answered 401 and never routed. fal
     * signs every customer's callbacks with the same keys, so without this (or webhook-secret) anyone with a fal
     * account can send the route results of their choice. Needs verify-webhook-signature=true.
     */
    private String webhookUserIds;

    /**
     * A secret shared by the producers that submit with webhook-url and the flux-kontext:webhook consumers (at least
     * 16 characters). The producer adds a token derived from it to the fal_webhook URL (never the secret itself); the
     * consumer refuses a callback without that token (401). Masked like api-key.
     */
    private String webhookSecret;

    /**
     * How many times a failed call is retried (429, 500, 502, 503, 504, connection errors) before giving
     * up.
     */
    private int maxRetries = 3;

    /**
     * The first retry's delay; it doubles with each retry (with jitter), up to maxRetryDelay. A longer
     * Retry-After from the server is honoured. A duration: 1s, or milliseconds.
     */
    @DurationUnit(ChronoUnit.MILLIS)
    private Duration retryDelay = Duration.ofSeconds(1);

    /**
     * The longest wait before one retry, also for Retry-After. A duration: 30s, or milliseconds.
     */
    @DurationUnit(ChronoUnit.MILLIS)
    private Duration maxRetryDelay = Duration.ofSeconds(30);

    /**
     * Which failed submits are sent again. safe: only where the job certainly was not created (429,
     * 503, connection never made). all: also 500, 502, 504 and broken connections, which can create and
     * bill a job twice. none: never.
     */
    private String submitRetry = "safe";

    /**
     * Where the idempotency keys of submits (header CamelFluxKontextIdempotencyKey) and the request ids of their
     * jobs are kept, so that a message that comes again does not submit again, written #bean:name or #name: a
     * FileSubmissionLedger (a directory; survives restarts, shared by the processes of one machine) or a
     * JdbcSubmissionLedger (a table; shared by every instance using the database). Unset: one in-memory ledger
     * per component, shared by its endpoints (it forgets on restart). Only messages with a key use it.
     */
    private SubmissionLedger ledger;

    /**
     * How long a key stays in the ledger: a message that comes again with the same key within it does not submit
     * again, one that comes later submits anew. Make it longer than the time within which the source may deliver
     * a message again. It must be longer than a submit and its wait can take (timeout plus the submit's attempts),
     * else the endpoint does not start. A duration: 24h, 30m, or milliseconds.
     */
    @DurationUnit(ChronoUnit.MILLIS)
    private Duration ledgerTtl = Duration.ofHours(24);

    /**
     * How long the claim of a keyed submit that fal has not answered yet holds without being renewed: the instance
     * that sends renews it every third of this for as long as the submit is under way (the wait for a place and a
     * connection, the upload, every attempt and retry delay, the write of the answer). Another instance
     * (resubmit-unanswered=true) may take the key over only once the claim has lapsed, measured by the ledger's
     * clock (the database's, the file system's). Longer: safer against a stalled instance or a slow ledger;
     * shorter: the keys of a crashed instance free sooner. At least 100 ms. A duration: 30s, 1m, or milliseconds.
     */
    @DurationUnit(ChronoUnit.MILLIS)
    private Duration ledgerLease = Duration.ofSeconds(30);

    /**
     * What a message does whose key's submit was sent but never answered (the instance crashed, or the connection
     * broke, before fal's answer came): with false it fails with a FluxKontextTransportException whose
     * isOutcomeUnknown() is true, nothing sent; with true it submits again, which bills twice if the first submit
     * did create a job. Of several such messages at once only one submits. A submit that may still be under way
     * is never submitted again: its sender renews its claim while it is (ledger-lease), and only a claim that has
     * lapsed, by the ledger's clock, is taken over.
     */
    private boolean resubmitUnanswered = false;

    /**
     * The queue API's base URL: fal's, or an aggregator's that re-exposes fal's paths.
     */
    private String baseUrl = "https://queue.fal.run";

    /**
     * fal's storage API base URL, for imageUpload=fal-storage. Unset: https://rest.fal.ai when base-url is
     * fal's own; with any other base-url it must be set (an aggregator's token must not go to fal).
     */
    private String storageUrl;

    /**
     * The fal key (key_id:key_secret) or the aggregator's token. Unset (or blank), it falls back to the
     * FAL_KEY environment variable, but only when base-url is fal's own or loopback: a fal key never goes
     * to another provider. Secret: never shown by toString().
     */
    private String apiKey;

    /**
     * The key for storage-url (image-upload=fal-storage) when it is on another origin than base-url and
     * base-url is not fal's: then api-key is another provider's token, which must not go to fal's storage.
     * Secret: never shown by toString().
     */
    private String storageApiKey;

    /**
     * The Authorization scheme: Key (fal) or Bearer (aggregators). When unset: Key for
     * fal's hosts, Bearer for any other base URL.
     */
    private String authScheme;

    /**
     * Allows a plain http base or storage URL on a host other than loopback (the key would travel
     * unencrypted).
     */
    private boolean allowInsecureHttp = false;

    /**
     * How long to wait for a connection to be made. A duration: 10s, or milliseconds.
     */
    @DurationUnit(ChronoUnit.MILLIS)
    private Duration connectTimeout = Duration.ofSeconds(10);

    /**
     * How long one HTTP call may wait for an answer. A duration: 60s, or milliseconds.
     */
    @DurationUnit(ChronoUnit.MILLIS)
    private Duration requestTimeout = Duration.ofSeconds(60);

    /**
     * The most connections the HTTP client opens in all, besides the status streams' own (max-open-streams).
     */
    private int maxTotalConnections = 200;

    /**
     * The most connections the HTTP client opens to one host, besides the status streams' own (max-open-streams).
     */
    private int connectionsPerRoute = 100;

    /**
     * HTTP proxy host.
     */
    private String proxyHost;

    /**
     * HTTP proxy port.
     */
    private Integer proxyPort;

    /**
     * TLS settings (trust store, protocols) for the HTTP client: an SSLContextParameters bean, written
     * #bean:name or #name.
     */
    private SSLContextParameters sslContextParameters;

    /**
     * Use the global SSL context parameters of the CamelContext (camel.ssl.*) when an endpoint sets
     * none.
     */
    private boolean useGlobalSslContextParameters = false;

    /**
     * Threads that continue the routes once their jobs completed (the steps after flux-kontext), shared by
     * all endpoints. Handing an exchange back takes microseconds, so a few do; when all are busy and none
     * finishes for 200 ms (routes blocked, say on a slow database), the pool grows by this many threads at a
     * time, up to max-route-threads; the component's own work (polls, answers, timeouts) goes on undisturbed.
     */
    private Integer routeThreads = 2;

    /**
     * The most threads that continue routes, however many are blocked. Beyond it, completed exchanges wait
     * in order for a free thread.
     */
    private Integer maxRouteThreads = 100;

    /**
     * Used for enabling or disabling all consumer based health checks from this component (the webhook consumer
     * has none).
     */
    private boolean healthCheckConsumerEnabled = true;

    /**
     * Used for enabling or disabling all producer based health checks from this component: the producers' readiness
     * checks (can the endpoint reach base-url with its key). Camel runs producer checks only with
     * camel.health.producers-enabled=true.
     */
    private boolean healthCheckProducerEnabled = true;

    /**
     * An Apache HttpClient 5 async client to use instead of the one the component builds (then connection,
     * TLS and proxy options are yours to set on it), written #bean:name or #name. It must be
     * started; the component does not close it. A single bean of this type is used without being named
     * (autowiredEnabled).
     */
    private CloseableHttpAsyncClient httpClient;

    /**
     * Allows for bridging the consumer to the Camel routing Error Handler, which mean any exceptions (if
     * possible) occurred while the Camel consumer is trying to pickup incoming messages, or the likes, will now
     * be processed as a message and handled by the routing Error Handler. The webhook consumer answers failed
     * callbacks itself (401, 400, 413, 500), so this changes nothing for it.
     */
    private boolean bridgeErrorHandler = false;

    /**
     * Whether the producer should be started lazy (on the first message). By starting lazy you can use this
     * to allow CamelContext and routes to startup in situations where a producer may otherwise fail during
     * starting and cause the route to fail being started. By deferring this startup to be lazy then the startup
     * failure can be handled during routing messages via Camel's routing error handlers. Beware that when the
     * first message is processed then creating and starting the producer may take a little time and prolong
     * the total processing time of the processing.
     */
    private boolean lazyStartProducer = false;

    /**
     * Whether autowiring is enabled. This is used for automatic autowiring options (the option must be
     * marked as autowired) by looking up in the registry to find if there is a single instance of matching
     * type, which then gets configured on the component: here the httpClient option.
     */
    private boolean autowiredEnabled = true;

    public FluxKontextConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(FluxKontextConfiguration configuration) {
        this.configuration = configuration;
        configured.add("configuration");
    }

    public String getModel() {
        return model;
    }

    public void setModel(String model) {
        this.model = model;
        configured.add("model");
    }

    public String getEndpointId() {
        return endpointId;
    }

    public void setEndpointId(String endpointId) {
        this.endpointId = endpointId;
        configured.add("endpointId");
    }

    public String getPrompt() {
        return prompt;
    }

    public void setPrompt(String prompt) {
        this.prompt = prompt;
        configured.add("prompt");
    }

    public String getImageUrl() {
        return imageUrl;
    }

    public void setImageUrl(String imageUrl) {
        this.imageUrl = imageUrl;
        configured.add("imageUrl");
    }

    public Long getSeed() {
        return seed;
    }

    public void setSeed(Long seed) {
        this.seed = seed;
        configured.add("seed");
    }

    public Double getGuidanceScale() {
        return guidanceScale;
    }

    public void setGuidanceScale(Double guidanceScale) {
        this.guidanceScale = guidanceScale;
        configured.add("guidanceScale");
    }

    public Integer getNumImages() {
        return numImages;
    }

    public void setNumImages(Integer numImages) {
        this.numImages = numImages;
        configured.add("numImages");
    }

    public String getSafetyTolerance() {
        return safetyTolerance;
    }

    public void setSafetyTolerance(String safetyTolerance) {
        this.safetyTolerance = safetyTolerance;
        configured.add("safetyTolerance");
    }

    public String getOutputFormat() {
        return outputFormat;
    }

    public void setOutputFormat(String outputFormat) {
        this.outputFormat = outputFormat;
        configured.add("outputFormat");
    }

    public String getAspectRatio() {
        return aspectRatio;
    }

    public void setAspectRatio(String aspectRatio) {
        this.aspectRatio = aspectRatio;
        configured.add("aspectRatio");
    }

    public Boolean getEnhancePrompt() {
        return enhancePrompt;
    }

    public void setEnhancePrompt(Boolean enhancePrompt) {
        this.enhancePrompt = enhancePrompt;
        configured.add("enhancePrompt");
    }

    public Boolean getSyncMode() {
        return syncMode;
    }

    public void setSyncMode(Boolean syncMode) {
        this.syncMode = syncMode;
        configured.add("syncMode");
    }

    public Integer getNumInferenceSteps() {
        return numInferenceSteps;
    }

    public void setNumInferenceSteps(Integer numInferenceSteps) {
        this.numInferenceSteps = numInferenceSteps;
        configured.add("numInferenceSteps");
    }

    public String getAcceleration() {
        return acceleration;
    }

    public void setAcceleration(String acceleration) {
        this.acceleration = acceleration;
        configured.add("acceleration");
    }

    public String getResolutionMode() {
        return resolutionMode;
    }

    public void setResolutionMode(String resolutionMode) {
        this.resolutionMode = resolutionMode;
        configured.add("resolutionMode");
    }

    public Boolean getEnableSafetyChecker() {
        return enableSafetyChecker;
    }

    public void setEnableSafetyChecker(Boolean enableSafetyChecker) {
        this.enableSafetyChecker = enableSafetyChecker;
        configured.add("enableSafetyChecker");
    }

    public String getImageSize() {
        return imageSize;
    }

    public void setImageSize(String imageSize) {
        this.imageSize = imageSize;
        configured.add("imageSize");
    }

    public String getLoras() {
        return loras;
    }

    public void setLoras(String loras) {
        this.loras = loras;
        configured.add("loras");
    }

    public Double getStrength() {
        return strength;
    }

    public void setStrength(Double strength) {
        this.strength = strength;
        configured.add("strength");
    }

    public String getMaskUrl() {
        return maskUrl;
    }

    public void setMaskUrl(String maskUrl) {
        this.maskUrl = maskUrl;
        configured.add("maskUrl");
    }

    public String getReferenceImageUrl() {
        return referenceImageUrl;
    }

    public void setReferenceImageUrl(String referenceImageUrl) {
        this.referenceImageUrl = referenceImageUrl;
        configured.add("referenceImageUrl");
    }

    public boolean isWaitForResult() {
        return waitForResult;
    }

    public void setWaitForResult(boolean waitForResult) {
        this.waitForResult = waitForResult;
        configured.add("waitForResult");
    }

    public String getWaitMode() {
        return waitMode;
    }

    public void setWaitMode(String waitMode) {
        this.waitMode = waitMode;
        configured.add("waitMode");
    }

    public String getOutputType() {
        return outputType;
    }

    public void setOutputType(String outputType) {
        this.outputType = outputType;
        configured.add("outputType");
    }

    public Duration getStreamIdleTimeout() {
        return streamIdleTimeout;
    }

    public void setStreamIdleTimeout(Duration streamIdleTimeout) {
        this.streamIdleTimeout = streamIdleTimeout;
        configured.add("streamIdleTimeout");
    }

    public Integer getMaxOpenStreams() {
        return maxOpenStreams;
    }

    public void setMaxOpenStreams(Integer maxOpenStreams) {
        this.maxOpenStreams = maxOpenStreams;
        configured.add("maxOpenStreams");
    }

    public Integer getMaxConcurrentJobs() {
        return maxConcurrentJobs;
    }

    public void setMaxConcurrentJobs(Integer maxConcurrentJobs) {
        this.maxConcurrentJobs = maxConcurrentJobs;
        configured.add("maxConcurrentJobs");
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
        configured.add("pollInterval");
    }

    public Duration getMaxPollInterval() {
        return maxPollInterval;
    }

    public void setMaxPollInterval(Duration maxPollInterval) {
        this.maxPollInterval = maxPollInterval;
        configured.add("maxPollInterval");
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
        configured.add("timeout");
    }

    public boolean isCancelOnTimeout() {
        return cancelOnTimeout;
    }

    public void setCancelOnTimeout(boolean cancelOnTimeout) {
        this.cancelOnTimeout = cancelOnTimeout;
        configured.add("cancelOnTimeout");
    }

    public boolean isLogs() {
        return logs;
    }

    public void setLogs(boolean logs) {
        this.logs = logs;
        configured.add("logs");
    }

    public Duration getMediaExpiration() {
        return mediaExpiration;
    }

    public void setMediaExpiration(Duration mediaExpiration) {
        this.mediaExpiration = mediaExpiration;
        configured.add("mediaExpiration");
    }

    public String getFalHeaders() {
        return falHeaders;
    }

    public void setFalHeaders(String falHeaders) {
        this.falHeaders = falHeaders;
        configured.add("falHeaders");
    }

    public String getImageUpload() {
        return imageUpload;
    }

    public void setImageUpload(String imageUpload) {
        this.imageUpload = imageUpload;
        configured.add("imageUpload");
    }

    public DataSize getMaxInlineImageSize() {
        return maxInlineImageSize;
    }

    public void setMaxInlineImageSize(DataSize maxInlineImageSize) {
        this.maxInlineImageSize = maxInlineImageSize;
        configured.add("maxInlineImageSize");
    }

    public DataSize getMaxDownloadSize() {
        return maxDownloadSize;
    }

    public void setMaxDownloadSize(DataSize maxDownloadSize) {
        this.maxDownloadSize = maxDownloadSize;
        configured.add("maxDownloadSize");
    }

    public String getPriority() {
        return priority;
    }

    public void setPriority(String priority) {
        this.priority = priority;
        configured.add("priority");
    }

    public Duration getStartTimeout() {
        return startTimeout;
    }

    public void setStartTimeout(Duration startTimeout) {
        this.startTimeout = startTimeout;
        configured.add("startTimeout");
    }

    public String getWebhookUrl() {
        return webhookUrl;
    }

    public void setWebhookUrl(String webhookUrl) {
        this.webhookUrl = webhookUrl;
        configured.add("webhookUrl");
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
        configured.add("path");
    }

    public boolean isVerifyWebhookSignature() {
        return verifyWebhookSignature;
    }

    public void setVerifyWebhookSignature(boolean verifyWebhookSignature) {
        this.verifyWebhookSignature = verifyWebhookSignature;
        configured.add("verifyWebhookSignature");
    }

    public String getJwksUrl() {
        return jwksUrl;
    }

    public void setJwksUrl(String jwksUrl) {
        this.jwksUrl = jwksUrl;
        configured.add("jwksUrl");
    }

    public Duration getWebhookTolerance() {
        return webhookTolerance;
    }

    public void setWebhookTolerance(Duration webhookTolerance) {
        this.webhookTolerance = webhookTolerance;
        configured.add("webhookTolerance");
    }

    public DataSize getMaxWebhookSize() {
        return maxWebhookSize;
    }

    public void setMaxWebhookSize(DataSize maxWebhookSize) {
        this.maxWebhookSize = maxWebhookSize;
        configured.add("maxWebhookSize");
    }

    public IdempotentRepository getIdempotentRepository() {
        return idempotentRepository;
    }

    public void setIdempotentRepository(IdempotentRepository idempotentRepository) {
        this.idempotentRepository = idempotentRepository;
        configured.add("idempotentRepository");
    }

    public String getWebhookUserIds() {
        return webhookUserIds;
    }

    public void setWebhookUserIds(String webhookUserIds) {
        this.webhookUserIds = webhookUserIds;
        configured.add("webhookUserIds");
    }

    public String getWebhookSecret() {
        return webhookSecret;
    }

    public void setWebhookSecret(String webhookSecret) {
        this.webhookSecret = webhookSecret;
        configured.add("webhookSecret");
    }

    public int getMaxRetries() {
        return maxRetries;
    }

    public void setMaxRetries(int maxRetries) {
        this.maxRetries = maxRetries;
        configured.add("maxRetries");
    }

    public Duration getRetryDelay() {
        return retryDelay;
    }

    public void setRetryDelay(Duration retryDelay) {
        this.retryDelay = retryDelay;
        configured.add("retryDelay");
    }

    public Duration getMaxRetryDelay() {
        return maxRetryDelay;
    }

    public void setMaxRetryDelay(Duration maxRetryDelay) {
        this.maxRetryDelay = maxRetryDelay;
        configured.add("maxRetryDelay");
    }

    public String getSubmitRetry() {
        return submitRetry;
    }

    public void setSubmitRetry(String submitRetry) {
        this.submitRetry = submitRetry;
        configured.add("submitRetry");
    }

    public SubmissionLedger getLedger() {
        return ledger;
    }

    public void setLedger(SubmissionLedger ledger) {
        this.ledger = ledger;
        configured.add("ledger");
    }

    public Duration getLedgerTtl() {
        return ledgerTtl;
    }

    public void setLedgerTtl(Duration ledgerTtl) {
        this.ledgerTtl = ledgerTtl;
        configured.add("ledgerTtl");
    }

    public Duration getLedgerLease() {
        return ledgerLease;
    }

    public void setLedgerLease(Duration ledgerLease) {
        this.ledgerLease = ledgerLease;
        configured.add("ledgerLease");
    }

    public boolean isResubmitUnanswered() {
        return resubmitUnanswered;
    }

    public void setResubmitUnanswered(boolean resubmitUnanswered) {
        this.resubmitUnanswered = resubmitUnanswered;
        configured.add("resubmitUnanswered");
    }

    public String getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
        configured.add("baseUrl");
    }

    public String getStorageApiKey() {
        return storageApiKey;
    }

    public void setStorageApiKey(String storageApiKey) {
        this.storageApiKey = storageApiKey;
        configured.add("storageApiKey");
    }

    public String getStorageUrl() {
        return storageUrl;
    }

    public void setStorageUrl(String storageUrl) {
        this.storageUrl = storageUrl;
        configured.add("storageUrl");
    }

    public String getApiKey() {
        return apiKey;
    }

    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
        configured.add("apiKey");
    }

    public String getAuthScheme() {
        return authScheme;
    }

    public void setAuthScheme(String authScheme) {
        this.authScheme = authScheme;
        configured.add("authScheme");
    }

    public boolean isAllowInsecureHttp() {
        return allowInsecureHttp;
    }

    public void setAllowInsecureHttp(boolean allowInsecureHttp) {
        this.allowInsecureHttp = allowInsecureHttp;
        configured.add("allowInsecureHttp");
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
        configured.add("connectTimeout");
    }

    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
        configured.add("requestTimeout");
    }

    public int getMaxTotalConnections() {
        return maxTotalConnections;
    }

    public void setMaxTotalConnections(int maxTotalConnections) {
        this.maxTotalConnections = maxTotalConnections;
        configured.add("maxTotalConnections");
    }

    public int getConnectionsPerRoute() {
        return connectionsPerRoute;
    }

    public void setConnectionsPerRoute(int connectionsPerRoute) {
        this.connectionsPerRoute = connectionsPerRoute;
        configured.add("connectionsPerRoute");
    }

    public String getProxyHost() {
        return proxyHost;
    }

    public void setProxyHost(String proxyHost) {
        this.proxyHost = proxyHost;
        configured.add("proxyHost");
    }

    public Integer getProxyPort() {
        return proxyPort;
    }

    public void setProxyPort(Integer proxyPort) {
        this.proxyPort = proxyPort;
        configured.add("proxyPort");
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
        configured.add("sslContextParameters");
    }

    public boolean isUseGlobalSslContextParameters() {
        return useGlobalSslContextParameters;
    }

    public void setUseGlobalSslContextParameters(boolean useGlobalSslContextParameters) {
        this.useGlobalSslContextParameters = useGlobalSslContextParameters;
        configured.add("useGlobalSslContextParameters");
    }

    public Integer getRouteThreads() {
        return routeThreads;
    }

    public void setRouteThreads(Integer routeThreads) {
        this.routeThreads = routeThreads;
        configured.add("routeThreads");
    }

    public Integer getMaxRouteThreads() {
        return maxRouteThreads;
    }

    public void setMaxRouteThreads(Integer maxRouteThreads) {
        this.maxRouteThreads = maxRouteThreads;
        configured.add("maxRouteThreads");
    }

    public boolean isHealthCheckConsumerEnabled() {
        return healthCheckConsumerEnabled;
    }

    public void setHealthCheckConsumerEnabled(boolean healthCheckConsumerEnabled) {
        this.healthCheckConsumerEnabled = healthCheckConsumerEnabled;
        configured.add("healthCheckConsumerEnabled");
    }

    public boolean isHealthCheckProducerEnabled() {
        return healthCheckProducerEnabled;
    }

    public void setHealthCheckProducerEnabled(boolean healthCheckProducerEnabled) {
        this.healthCheckProducerEnabled = healthCheckProducerEnabled;
        configured.add("healthCheckProducerEnabled");
    }

    public CloseableHttpAsyncClient getHttpClient() {
        return httpClient;
    }

    public void setHttpClient(CloseableHttpAsyncClient httpClient) {
        this.httpClient = httpClient;
        configured.add("httpClient");
    }

    public boolean isBridgeErrorHandler() {
        return bridgeErrorHandler;
    }

    public void setBridgeErrorHandler(boolean bridgeErrorHandler) {
        this.bridgeErrorHandler = bridgeErrorHandler;
        configured.add("bridgeErrorHandler");
    }

    public boolean isLazyStartProducer() {
        return lazyStartProducer;
    }

    public void setLazyStartProducer(boolean lazyStartProducer) {
        this.lazyStartProducer = lazyStartProducer;
        configured.add("lazyStartProducer");
    }

    public boolean isAutowiredEnabled() {
        return autowiredEnabled;
    }

    public void setAutowiredEnabled(boolean autowiredEnabled) {
        this.autowiredEnabled = autowiredEnabled;
        configured.add("autowiredEnabled");
    }

    /**
     * The options that were set, as the component's option names with values its configurer accepts (durations
     * and sizes as the component's milliseconds and bytes, references as beans), configuration first so
     * that the other options apply on top of it. Options never set, or set to nothing, are left out.
     */
    public Map<String, Object> componentProperties() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("configuration", configuration);
        values.put("model", model);
        values.put("endpointId", endpointId);
        values.put("prompt", prompt);
        values.put("imageUrl", imageUrl);
        values.put("seed", seed);
        values.put("guidanceScale", guidanceScale);
        values.put("numImages", numImages);
        values.put("safetyTolerance", safetyTolerance);
        values.put("outputFormat", outputFormat);
        values.put("aspectRatio", aspectRatio);
        values.put("enhancePrompt", enhancePrompt);
        values.put("syncMode", syncMode);
        values.put("numInferenceSteps", numInferenceSteps);
        values.put("acceleration", acceleration);
        values.put("resolutionMode", resolutionMode);
        values.put("enableSafetyChecker", enableSafetyChecker);
        values.put("imageSize", imageSize);
        values.put("loras", loras);
        values.put("strength", strength);
        values.put("maskUrl", maskUrl);
        values.put("referenceImageUrl", referenceImageUrl);
        values.put("waitForResult", waitForResult);
        values.put("outputType", outputType);
        values.put("waitMode", waitMode);
        values.put("streamIdleTimeout", streamIdleTimeout);
        values.put("maxOpenStreams", maxOpenStreams);
        values.put("maxConcurrentJobs", maxConcurrentJobs);
        values.put("pollInterval", pollInterval);
        values.put("maxPollInterval", maxPollInterval);
        values.put("timeout", timeout);
        values.put("cancelOnTimeout", cancelOnTimeout);
        values.put("logs", logs);
        values.put("mediaExpiration", mediaExpiration == null ? null : mediaExpiration.toMillis());
        values.put("falHeaders", falHeaders);
        values.put("imageUpload", imageUpload);
        values.put("maxInlineImageSize", maxInlineImageSize == null ? null : maxInlineImageSize.toBytes());
        values.put("maxDownloadSize", maxDownloadSize == null ? null : maxDownloadSize.toBytes());
        values.put("priority", priority);
        values.put("startTimeout", startTimeout == null ? null : startTimeout.toMillis());
        values.put("webhookUrl", webhookUrl);
        values.put("path", path);
        values.put("verifyWebhookSignature", verifyWebhookSignature);
        values.put("jwksUrl", jwksUrl);
        values.put("webhookTolerance", webhookTolerance == null ? null : webhookTolerance.toMillis());
        values.put("maxWebhookSize", maxWebhookSize == null ? null : maxWebhookSize.toBytes());
        values.put("idempotentRepository", idempotentRepository);
        values.put("webhookUserIds", webhookUserIds);
        values.put("webhookSecret", webhookSecret);
        values.put("maxRetries", maxRetries);
        values.put("retryDelay", retryDelay);
        values.put("maxRetryDelay", maxRetryDelay);
        values.put("submitRetry", submitRetry);
        values.put("ledger", ledger);
        values.put("ledgerTtl", ledgerTtl);
        values.put("ledgerLease", ledgerLease);
        values.put("resubmitUnanswered", resubmitUnanswered);
        values.put("baseUrl", baseUrl);
        values.put("storageUrl", storageUrl);
        values.put("apiKey", apiKey);
        values.put("storageApiKey", storageApiKey);
        values.put("authScheme", authScheme);
        values.put("allowInsecureHttp", allowInsecureHttp);
        values.put("connectTimeout", connectTimeout);
        values.put("requestTimeout", requestTimeout);
        values.put("maxTotalConnections", maxTotalConnections);
        values.put("connectionsPerRoute", connectionsPerRoute);
        values.put("proxyHost", proxyHost);
        values.put("proxyPort", proxyPort);
        values.put("sslContextParameters", sslContextParameters);
        values.put("useGlobalSslContextParameters", useGlobalSslContextParameters);
        values.put("routeThreads", routeThreads);
        values.put("maxRouteThreads", maxRouteThreads);
        values.put("healthCheckConsumerEnabled", healthCheckConsumerEnabled);
        values.put("healthCheckProducerEnabled", healthCheckProducerEnabled);
        values.put("httpClient", httpClient);
        values.put("bridgeErrorHandler", bridgeErrorHandler);
        values.put("lazyStartProducer", lazyStartProducer);
        values.put("autowiredEnabled", autowiredEnabled);
        Map<String, Object> answer = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            if (value != null && configured.contains(name)) {
                answer.put(name, value);
            }
        });
        return answer;
    }

    @Override
    public String toString() {
        // the options that were set; never the key (as Camel masks secret options)
        StringJoiner joiner = new StringJoiner(", ", "FluxKontextComponentConfiguration[", "]");
        joiner.add("enabled=" + isEnabled());
        componentProperties().forEach((name, value) -> joiner.add(name + "=" + (SECRETS.contains(name) ? "******" : value)));
        return joiner.toString();
    }
}
