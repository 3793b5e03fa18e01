package io.github.fluxkontext.camel;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import io.github.fluxkontext.camel.client.AuthScheme;
import io.github.fluxkontext.camel.client.FalClientSettings;
import io.github.fluxkontext.camel.client.FalUrls;
import io.github.fluxkontext.camel.client.QueuePriority;
import io.github.fluxkontext.camel.client.RetryPolicy;
import io.github.fluxkontext.camel.client.SubmitOptions;
import io.github.fluxkontext.camel.client.SubmitRetry;
import io.github.fluxkontext.camel.ledger.SubmissionLedger;
import io.github.fluxkontext.camel.mapping.InputField;
import io.github.fluxkontext.camel.model.FluxKontextValidationException;
import io.github.fluxkontext.camel.model.KontextImageSize;
import io.github.fluxkontext.camel.model.KontextLora;
import io.github.fluxkontext.camel.model.KontextRequest;
import io.github.fluxkontext.camel.model.KontextRequestValidator;
import io.github.fluxkontext.camel.model.KontextSchema;
import io.github.fluxkontext.camel.model.KontextTask;
import io.github.fluxkontext.camel.support.KeyRouting;
import io.github.fluxkontext.camel.webhook.WebhookMarker;
import io.github.fluxkontext.camel.webhook.WebhookToken;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;

/**
 * The options of the {@code flux-kontext} component. The component holds one as the defaults of all its
 * endpoints ({@code camel.component.flux-kontext.*}); each endpoint works on a {@link #copy()} that its URI
 * options override; headers override both for one message.
 */
@UriParams
@Configurer
public class FluxKontextConfiguration implements Cloneable {

    /** How the component introduces itself to fal: its name and version. */
    private static final String USER_AGENT = "camel-flux-kontext/"
                                             + Objects.requireNonNullElse(FluxKontextConfiguration.class.getPackage().getImplementationVersion(), "dev");
    /** Shorter secrets are too easy to guess from a token that leaked (the URL fal stores carries it). */
    static final int MIN_WEBHOOK_SECRET_LENGTH = 16;
    /** Longer values are not fal's user ids (the verifier refuses longer headers anyway). */
    private static final int MAX_USER_ID_LENGTH = 256;

    /** Far beyond any redelivery window, and well within the epoch milliseconds the ledgers store. */
    static final Duration MAX_LEDGER_TTL = Duration.ofDays(3650);
    /** Renewed every third of it: shorter, a renewal would have to come faster than many stores answer. */
    static final long MIN_LEDGER_LEASE_MS = 100;

    // ---- Request: what is sent to fal; each Kontext field is an option, a header and a body field
    @UriParam(label = "producer,request", enums = "pro,max,dev,lora", defaultValue = "pro")
    private FluxKontextModel model = FluxKontextModel.PRO;
    @UriParam(label = "producer,request")
    private String endpointId;
    @UriParam(label = "producer,request")
    private String prompt;
    @UriParam(label = "producer,request")
    private String imageUrl;
    @UriParam(label = "producer,request")
    private Long seed;
    @UriParam(label = "producer,request")
    private Double guidanceScale;
    @UriParam(label = "producer,request")
    private Integer numImages;
    @UriParam(label = "producer,request", enums = "1,2,3,4,5,6")
    private String safetyTolerance;
    @UriParam(label = "producer,request", enums = "jpeg,png")
    private String outputFormat;
    @UriParam(label = "producer,request", enums = "21:9,16:9,4:3,3:2,1:1,2:3,3:4,9:16,9:21")
    private String aspectRatio;
    @UriParam(label = "producer,request")
    private Boolean enhancePrompt;
    @UriParam(label = "producer,request")
    private Boolean syncMode;
    // dev and LoRA (fal-protocol §8b): refused where the model has no such field
    @UriParam(label = "producer,request")
    private Integer numInferenceSteps;
    @UriParam(label = "producer,request", enums = "none,regular,high")
    private String acceleration;
    @UriParam(label = "producer,request", enums = "auto,match_input,1:1,16:9,21:9,3:2,2:3,4:5,5:4,3:4,4:3,9:16,9:21")
    private String resolutionMode;
    @UriParam(label = "producer,request")
    private Boolean enableSafetyChecker;
    @UriParam(label = "producer,request")
    private String imageSize;
    @UriParam(label = "producer,request")
    private String loras;
    @UriParam(label = "producer,request")
    private Double strength;
    @UriParam(label = "producer,request")
    private String maskUrl;
    @UriParam(label = "producer,request")
    private String referenceImageUrl;
    @UriParam(label = "producer,request", enums = "inline,fal-storage", defaultValue = "inline")
    private ImageUpload imageUpload = ImageUpload.INLINE;
    @UriParam(label = "producer,request", defaultValue = "10485760")
    private long maxInlineImageSize = 10485760;
    @UriParam(label = "producer,request")
    private String storageUrl;
    @UriParam(label = "producer,request", enums = "normal,low")
    private QueuePriority priority;
    @UriParam(label = "producer,request", javaType = "java.time.Duration")
    private Long startTimeout;
    @UriParam(label = "producer,request")
    private String webhookUrl;

    // ---- Waiting: how an exchange waits for its job, and for how long
    @UriParam(label = "producer,wait", defaultValue = "true")
    private boolean waitForResult = true;
    @UriParam(label = "producer,wait", enums = "stream,poll,webhook", defaultValue = "stream")
    private WaitMode waitMode = WaitMode.STREAM;
    @UriParam(label = "producer,wait", defaultValue = "30000", javaType = "java.time.Duration")
    private long streamIdleTimeout = 30000;
    @UriParam(label = "producer,wait", defaultValue = "500", javaType = "java.time.Duration")
    private long pollInterval = 500;
    @UriParam(label = "producer,wait", defaultValue = "5000", javaType = "java.time.Duration")
    private long maxPollInterval = 5000;
    @UriParam(label = "producer,wait", defaultValue = "600000", javaType = "java.time.Duration")
    private long timeout = 600000;
    @UriParam(label = "producer,wait", defaultValue = "true")
    private boolean cancelOnTimeout = true;
    @UriParam(label = "producer,wait", defaultValue = "false")
    private boolean logs = false;

    // ---- Request controls: what the submit asks of fal beyond the Kontext input, sent as its headers
    @UriParam(label = "producer,request", javaType = "java.time.Duration")
    private Long mediaExpiration;
    @UriParam(label = "producer,request")
    private String falHeaders;

    // ---- Output: what a completed job makes of the exchange, for the producer and the webhook consumer
    @UriParam(label = "common", enums = "result,bytes,urls", defaultValue = "result")
    private OutputType outputType = OutputType.RESULT;
    @UriParam(label = "common", defaultValue = "52428800")
    private long maxDownloadSize = 52428800;

    // ---- Retries: which failed calls are sent again, and when
    @UriParam(label = "producer,retry", defaultValue = "3")
    private int maxRetries = 3;
    @UriParam(label = "producer,retry", defaultValue = "1000", javaType = "java.time.Duration")
    private long retryDelay = 1000;
    @UriParam(label = "producer,retry", defaultValue = "30000", javaType = "java.time.Duration")
    private long maxRetryDelay = 30000;
    @UriParam(label = "producer,retry", enums = "safe,all,none", defaultValue = "safe")
    private SubmitRetry submitRetry = SubmitRetry.SAFE;

    // ---- Ledger: exactly once for messages with an idempotency key
    @UriParam(label = "producer,ledger")
    private SubmissionLedger ledger;
    @UriParam(label = "producer,ledger", defaultValue = "86400000", javaType = "java.time.Duration")
    private long ledgerTtl = 86400000;
    @UriParam(label = "producer,ledger", defaultValue = "30000", javaType = "java.time.Duration")
    private long ledgerLease = 30000;
    @UriParam(label = "producer,ledger", defaultValue = "false")
    private boolean resubmitUnanswered = false;

    // ---- Webhook consumer: flux-kontext:webhook, which receives fal's callbacks
    @UriParam(label = "consumer,webhook", defaultValue = "/fal/webhook")
    private String path = "/fal/webhook";
    @UriParam(label = "consumer,webhook", defaultValue = "true")
    private boolean verifyWebhookSignature = true;
    @UriParam(label = "consumer,webhook", defaultValue = "https://rest.alpha.fal.ai/.well-known/jwks.json")
    private String jwksUrl = "https://rest.alpha.fal.ai/.well-known/jwks.json";
    @UriParam(label = "consumer,webhook", defaultValue = "300000", javaType = "java.time.Duration")
    private long webhookTolerance = 300000;
    @UriParam(label = "consumer,webhook", defaultValue = "16777216")
    private long maxWebhookSize = 16777216;
    @UriParam(label = "consumer,webhook")
    private IdempotentRepository idempotentRepository;
    @UriParam(label = "consumer,security")
    private String webhookUserIds;
    @UriParam(label = "security", secret = true)
    private String webhookSecret;

    // ---- Connection and security: where calls go, with which key, over which HTTP client
    @UriParam(label = "common", defaultValue = "https://queue.fal.run")
    private String baseUrl = "https://queue.fal.run";
    @UriParam(label = "security", secret = true)
    private String apiKey;
    @UriParam(label = "security", secret = true)
    private String storageApiKey;
    @UriParam(label = "security", enums = "Key,Bearer")
    private AuthScheme authScheme;
    @UriParam(label = "security", defaultValue = "false")
    private boolean allowInsecureHttp = false;
    @UriParam(label = "security")
    private SSLContextParameters sslContextParameters;
    @UriParam(label = "advanced", defaultValue = "10000", javaType = "java.time.Duration")
    private long connectTimeout = 10000;
    @UriParam(label = "advanced", defaultValue = "60000", javaType = "java.time.Duration")
    private long requestTimeout = 60000;
    @UriParam(label = "advanced", defaultValue = "200")
    private int maxTotalConnections = 200;
    @UriParam(label = "advanced", defaultValue = "100")
    private int connectionsPerRoute = 100;
    @UriParam(label = "proxy")
    private String proxyHost;
    @UriParam(label = "proxy")
    private Integer proxyPort;
    @UriParam(label = "advanced")
    private CloseableHttpAsyncClient httpClient;

    /** A copy for an endpoint, so that its URI options never change the component's defaults. */
    public FluxKontextConfiguration copy() {
        try {
            return (FluxKontextConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public FluxKontextModel getModel() {
        return model;
    }

    /**
     * The Kontext model, which picks the fal endpoint of the operation: pro, max (larger, slower), dev (edit only, at a
     * lower price) or lora (dev with LoRA weights: edit, text-to-image and inpaint).
     *
     * @see "flux-kontext-component.adoc, Request: from the exchange to Kontext input"
     */
    public void setModel(FluxKontextModel model) {
        this.model = model;
    }

    public String getEndpointId() {
        return endpointId;
    }

    /**
     * A fal endpoint id that replaces the one operation and model choose, for other Kontext variants (e.g.
     * fal-ai/flux-kontext/dev); for status, result and cancel, the job's app when neither the header
     * CamelFluxKontextEndpointId nor a KontextJob body names one.
     *
     * @see "flux-kontext-component.adoc, Request: from the exchange to Kontext input"
     */
    public void setEndpointId(String endpointId) {
        this.endpointId = endpointId;
    }

    public String getPrompt() {
        return prompt;
    }

    /**
     * The prompt when neither the header CamelFluxKontextPrompt nor the body gives one.
     *
     * @see "flux-kontext-component.adoc, Request: from the exchange to Kontext input"
     */
    public void setPrompt(String prompt) {
        this.prompt = prompt;
    }

    public String getImageUrl() {
        return imageUrl;
    }

    /**
     * The input image of edit and inpaint (an http(s) URL or a data URI) when neither the header CamelFluxKontextImageUrl
     * nor the body gives one.
     *
     * @see "flux-kontext-component.adoc, Request: from the exchange to Kontext input"
     */
    public void setImageUrl(String imageUrl) {
        this.imageUrl = imageUrl;
    }

    public Long getSeed() {
        return seed;
    }

    /**
     * The seed: the same seed and prompt give the same image.
     *
     * @see "flux-kontext-component.adoc, Request: from the exchange to Kontext input"
     */
    public void setSeed(Long seed) {
        this.seed = seed;
    }

    public Double getGuidanceScale() {
        return guidanceScale;
    }

    /**
     * Guidance scale (CFG), 1 to 20; fal's default is 3.5.
     *
     * @see "flux-kontext-component.adoc, Request: from the exchange to Kontext input"
     */
    public void setGuidanceScale(Double guidanceScale) {
        this.guidanceScale = guidanceScale;
    }

    public Integer getNumImages() {
        return numImages;
    }

    /**
     * Number of images to generate, 1 to 4; fal's default is 1.
     *
     * @see "flux-kontext-component.adoc, Request: from the exchange to Kontext input"
     */
    public void setNumImages(Integer numImages) {
        this.numImages = numImages;
    }

    public String getSafetyTolerance() {
        return safetyTolerance;
    }

    /**
     * Safety tolerance, 1 (strictest) to 6, sent to fal as a string; fal's default is 2.
     *
     * @see "flux-kontext-component.adoc, Request: from the exchange to Kontext input"
     */
    public void setSafetyTolerance(String safetyTolerance) {
        this.safetyTolerance = safetyTolerance;
    }

    public String getOutputFormat() {
        return outputFormat;
    }

    /**
     * Format of the generated images: jpeg (fal's default) or png.
     *
     * @see "flux-kontext-component.adoc, Request: from the exchange to Kontext input"
     */
    public void setOutputFormat(String outputFormat) {
        this.outputFormat = outputFormat;
    }

    public String getAspectRatio() {
        return aspectRatio;
    }

    /**
     * Aspect ratio of the generated images.
     *
     * @see "flux-kontext-component.adoc, Request: from the exchange to Kontext input"
     */
    public void setAspectRatio(String aspectRatio) {
        this.aspectRatio = aspectRatio;
    }

    public Boolean getEnhancePrompt() {
        return enhancePrompt;
    }

    /**
     * Whether fal enhances the prompt before generating; unset, it is not sent and fal applies its default (false).
     *
     * @see "flux-kontext-component.adoc, Request: from the exchange to Kontext input"
     */
    public void setEnhancePrompt(Boolean enhancePrompt) {
        this.enhancePrompt = enhancePrompt;
    }

    public Boolean getSyncMode() {
        return syncMode;
    }

    /**
     * Whether fal returns the images inline as data URIs instead of URLs (and keeps no copy); unset, it is not sent and
     * fal applies its default (false).
     *
     * @see "flux-kontext-component.adoc, Request: from the exchange to Kontext input"
     */
    public void setSyncMode(Boolean syncMode) {
        this.syncMode = syncMode;
    }

    public Integer getNumInferenceSteps() {
        return numInferenceSteps;
    }

    /**
     * dev and lora: denoising steps, 10 to 50; fal's default is 28 for dev, 30 for lora.
     *
     * @see "flux-kontext-component.adoc, The Kontext family"
     */
    public void setNumInferenceSteps(Integer numInferenceSteps) {
        this.numInferenceSteps = numInferenceSteps;
    }

    public String getAcceleration() {
        return acceleration;
    }

    /**
     * dev and lora: how fal speeds the model up, none (fal's default), regular or high.
     *
     * @see "flux-kontext-component.adoc, The Kontext family"
     */
    public void setAcceleration(String acceleration) {
        this.acceleration = acceleration;
    }

    public String getResolutionMode() {
        return resolutionMode;
    }

    /**
     * dev and lora edit: the output's size, match_input (fal's default), auto (the nearest ratio) or an aspect ratio.
     *
     * @see "flux-kontext-component.adoc, The Kontext family"
     */
    public void setResolutionMode(String resolutionMode) {
        this.resolutionMode = resolutionMode;
    }

    public Boolean getEnableSafetyChecker() {
        return enableSafetyChecker;
    }

    /**
     * dev and lora: whether fal checks the images for NSFW content; unset, fal's default (true).
     *
     * @see "flux-kontext-component.adoc, The Kontext family"
     */
    public void setEnableSafetyChecker(Boolean enableSafetyChecker) {
        this.enableSafetyChecker = enableSafetyChecker;
    }

    public String getImageSize() {
        return imageSize;
    }

    /**
     * lora text-to-image: a preset (square_hd, square, portrait_4_3, portrait_16_9, landscape_4_3, fal's default,
     * landscape_16_9) or WIDTHxHEIGHT, e.g. 1280x720.
     *
     * @see "flux-kontext-component.adoc, The Kontext family"
     */
    public void setImageSize(String imageSize) {
        this.imageSize = imageSize;
    }

    public String getLoras() {
        return loras;
    }

    /**
     * lora: the LoRA weights, a comma separated list of path:scale (scale 0 to 4 after the last colon, optional;
     * the path a URL or Hugging Face name of safetensors weights).
     *
     * @see "flux-kontext-component.adoc, The Kontext family"
     */
    public void setLoras(String loras) {
        this.loras = loras;
    }

    public Double getStrength() {
        return strength;
    }

    /**
     * lora inpaint: how strongly the masked area changes, 0.01 to 1; fal's default is 0.88.
     *
     * @see "flux-kontext-component.adoc, The Kontext family"
     */
    public void setStrength(Double strength) {
        this.strength = strength;
    }

    public String getMaskUrl() {
        return maskUrl;
    }

    /**
     * lora inpaint: the mask (an http(s) URL or a data URI), white where the image is repainted, when neither the
     * header CamelFluxKontextMaskUrl nor the body gives one.
     *
     * @see "flux-kontext-component.adoc, The Kontext family"
     */
    public void setMaskUrl(String maskUrl) {
        this.maskUrl = maskUrl;
    }

    public String getReferenceImageUrl() {
        return referenceImageUrl;
    }

    /**
     * lora inpaint: the image the masked area is painted after (an http(s) URL or a data URI), when neither the header
     * CamelFluxKontextReferenceImageUrl nor the body gives one.
     *
     * @see "flux-kontext-component.adoc, The Kontext family"
     */
    public void setReferenceImageUrl(String referenceImageUrl) {
        this.referenceImageUrl = referenceImageUrl;
    }

    public ImageUpload getImageUpload() {
        return imageUpload;
    }

    /**
     * How local images (byte array, File, Path, InputStream bodies) reach fal: inline as data URIs (fal and aggregators
     * accept them), or fal-storage: uploaded to storageUrl first and sent as a URL.
     *
     * @see "flux-kontext-component.adoc, Request: from the exchange to Kontext input"
     */
    public void setImageUpload(ImageUpload imageUpload) {
        this.imageUpload = imageUpload;
    }

    public long getMaxInlineImageSize() {
        return maxInlineImageSize;
    }

    /**
     * The largest image, in bytes, sent inline as a data URI; a larger one fails before sending and asks for
     * imageUpload=fal-storage.
     *
     * @see "flux-kontext-component.adoc, Request: from the exchange to Kontext input"
     */
    public void setMaxInlineImageSize(long maxInlineImageSize) {
        this.maxInlineImageSize = maxInlineImageSize;
    }

    public String getStorageUrl() {
        return storageUrl;
    }

    /**
     * fal's storage API base URL for imageUpload=fal-storage: unset, https://rest.fal.ai when baseUrl is fal's own;
     * with any other baseUrl it must be set, as an aggregator's token must not go to fal.
     *
     * @see "flux-kontext-component.adoc, Request: from the exchange to Kontext input"
     */
    public void setStorageUrl(String storageUrl) {
        this.storageUrl = storageUrl;
    }

    public QueuePriority getPriority() {
        return priority;
    }

    /**
     * fal queue priority, normal or low (header x-fal-queue-priority).
     *
     * @see "flux-kontext-component.adoc, Request: from the exchange to Kontext input"
     */
    public void setPriority(QueuePriority priority) {
        this.priority = priority;
    }

    public Long getStartTimeout() {
        return startTimeout;
    }

    /**
     * Server-side deadline for the job to start running (header x-fal-request-timeout, more than 1 second): fal fails
     * the job if it is still queued by then.
     *
     * @see "flux-kontext-component.adoc, Request: from the exchange to Kontext input"
     */
    public void setStartTimeout(Long startTimeout) {
        this.startTimeout = startTimeout;
    }

    public String getWebhookUrl() {
        return webhookUrl;
    }

    /**
     * A URL fal calls when the job completes (fal_webhook): the public HTTPS address of a flux-kontext:webhook
     * consumer, this instance's or another's; required with waitMode=webhook.
     *
     * @see "flux-kontext-component.adoc, Request: from the exchange to Kontext input"
     */
    public void setWebhookUrl(String webhookUrl) {
        this.webhookUrl = webhookUrl;
    }

    public boolean isWaitForResult() {
        return waitForResult;
    }

    /**
     * With true, edit, text-to-image and multi wait for the job and continue with its output (see outputType), and
     * result waits for the job to complete; with false they continue at once with the queue handle (a KontextJob), and
     * result fails if the job has not completed yet.
     *
     * @see "flux-kontext-component.adoc, Waiting"
     */
    public void setWaitForResult(boolean waitForResult) {
        this.waitForResult = waitForResult;
    }

    public WaitMode getWaitMode() {
        return waitMode;
    }

    /**
     * How a waiting exchange learns that its job is done: stream (fal's status stream, polling where it cannot be
     * used), poll (status polls) or webhook (fal calls webhookUrl, received by a flux-kontext:webhook consumer of this
     * CamelContext, with a poll every maxPollInterval in the background); no mode submits again or loses the job.
     *
     * @see "flux-kontext-component.adoc, Waiting"
     */
    public void setWaitMode(WaitMode waitMode) {
        this.waitMode = waitMode;
    }

    public long getStreamIdleTimeout() {
        return streamIdleTimeout;
    }

    /**
     * With waitMode=stream, the longest silence on a status stream (fal pings every 15 s) before it counts as broken
     * and the wait goes on by polling.
     *
     * @see "flux-kontext-component.adoc, Waiting"
     */
    public void setStreamIdleTimeout(long streamIdleTimeout) {
        this.streamIdleTimeout = streamIdleTimeout;
    }

    public long getPollInterval() {
        return pollInterval;
    }

    /**
     * How often a job's status is polled (waitMode=poll, and wherever a stream cannot be used) while the component has
     * not learnt how long the endpoint's jobs run, and while a job waits in a queue that moves; the first poll comes at
     * most 250 ms after the submit.
     *
     * @see "flux-kontext-component.adoc, Waiting"
     */
    public void setPollInterval(long pollInterval) {
        this.pollInterval = pollInterval;
    }

    public long getMaxPollInterval() {
        return maxPollInterval;
    }

    /**
     * The longest interval between two status polls (a job far back in the queue, a running job not due yet); with
     * waitMode=webhook, the interval of the background poll.
     *
     * @see "flux-kontext-component.adoc, Waiting"
     */
    public void setMaxPollInterval(long maxPollInterval) {
        this.maxPollInterval = maxPollInterval;
    }

    public long getTimeout() {
        return timeout;
    }

    /**
     * How long to wait for the job to complete: on expiry the exchange fails with a FluxKontextTimeoutException
     * carrying the request id; once the job has completed it no longer applies (fetching the result is bounded by
     * requestTimeout and the retries).
     *
     * @see "flux-kontext-component.adoc, Waiting"
     */
    public void setTimeout(long timeout) {
        this.timeout = timeout;
    }

    public boolean isCancelOnTimeout() {
        return cancelOnTimeout;
    }

    /**
     * Whether to cancel the job at fal when the wait times out.
     *
     * @see "flux-kontext-component.adoc, Waiting"
     */
    public void setCancelOnTimeout(boolean cancelOnTimeout) {
        this.cancelOnTimeout = cancelOnTimeout;
    }

    public boolean isLogs() {
        return logs;
    }

    /**
     * Whether to ask fal for the job's log lines in status answers (they appear in the KontextJob and at DEBUG level).
     *
     * @see "flux-kontext-component.adoc, Waiting"
     */
    public void setLogs(boolean logs) {
        this.logs = logs;
    }

    public Long getMediaExpiration() {
        return mediaExpiration;
    }

    /**
     * How long fal keeps the generated images downloadable (header X-Fal-Object-Lifecycle-Preference, whole seconds, at
     * least 1 s), so that they do not outlive their use; unset, fal's default applies. The header
     * CamelFluxKontextMediaExpiration overrides it per message.
     *
     * @see "flux-kontext-component.adoc, Request controls and cost"
     */
    public void setMediaExpiration(Long mediaExpiration) {
        this.mediaExpiration = mediaExpiration;
    }

    public String getFalHeaders() {
        return falHeaders;
    }

    /**
     * Extra x-fal-* headers sent on each submit, as name=value pairs separated by commas (e.g.
     * x-fal-no-retry=1,x-fal-runner-hint=eu); the header CamelFluxKontextFalHeaders adds to them per message. Refused
     * when the route starts: names not x-fal-*, names that look like a credential, the headers the component sets from
     * its options (x-fal-queue-priority, x-fal-request-timeout, x-fal-object-lifecycle-preference), values that contain
     * the API key, more than 16.
     *
     * @see "flux-kontext-component.adoc, Request controls and cost"
     */
    public void setFalHeaders(String falHeaders) {
        this.falHeaders = falHeaders;
    }

    public OutputType getOutputType() {
        return outputType;
    }

    /**
     * What the body holds once a job completed: result (a KontextResult), bytes (the image as a byte array, or a list
     * of them for several, downloaded or decoded) or urls (a list of the image URLs).
     *
     * @see "flux-kontext-component.adoc, Response: from Kontext output to the exchange"
     */
    public void setOutputType(OutputType outputType) {
        this.outputType = outputType;
    }

    public long getMaxDownloadSize() {
        return maxDownloadSize;
    }

    /**
     * The largest answer accepted from the server, in bytes: each image download and each API answer (a sync-mode
     * result holds its images); larger answers fail with a clear error.
     *
     * @see "flux-kontext-component.adoc, Response: from Kontext output to the exchange"
     */
    public void setMaxDownloadSize(long maxDownloadSize) {
        this.maxDownloadSize = maxDownloadSize;
    }

    public int getMaxRetries() {
        return maxRetries;
    }

    /**
     * How many times a failed call is retried (429, 500, 502, 503, 504, connection errors) before giving up.
     *
     * @see "flux-kontext-component.adoc, Retries and the no-duplicate guarantee"
     */
    public void setMaxRetries(int maxRetries) {
        this.maxRetries = maxRetries;
    }

    public long getRetryDelay() {
        return retryDelay;
    }

    /**
     * The first retry's delay, doubled with each retry (with jitter) up to maxRetryDelay; a longer Retry-After from the
     * server is honoured.
     *
     * @see "flux-kontext-component.adoc, Retries and the no-duplicate guarantee"
     */
    public void setRetryDelay(long retryDelay) {
        this.retryDelay = retryDelay;
    }

    public long getMaxRetryDelay() {
        return maxRetryDelay;
    }

    /**
     * The longest wait before one retry, also for Retry-After.
     *
     * @see "flux-kontext-component.adoc, Retries and the no-duplicate guarantee"
     */
    public void setMaxRetryDelay(long maxRetryDelay) {
        this.maxRetryDelay = maxRetryDelay;
    }

    public SubmitRetry getSubmitRetry() {
        return submitRetry;
    }

    /**
     * Which failed submits are sent again: safe, only where the job certainly was not created (429 or 503 without an
     * x-fal-request-id header, connection never made); all, also 500, 502, 504 and broken connections, which can create
     * and bill a job twice; none, never.
     *
     * @see "flux-kontext-component.adoc, Retries and the no-duplicate guarantee"
     */
    public void setSubmitRetry(SubmitRetry submitRetry) {
        this.submitRetry = submitRetry;
    }

    public SubmissionLedger getLedger() {
        return ledger;
    }

    /**
     * Where the idempotency keys of submits (header CamelFluxKontextIdempotencyKey) and their jobs' request ids are
     * kept, so that a message that comes again does not submit again: unset, one in-memory ledger per component (it
     * forgets on restart); a FileSubmissionLedger or a JdbcSubmissionLedger survives restarts and is shared.
     *
     * @see "flux-kontext-component.adoc, Exactly once across redelivery and crashes"
     */
    public void setLedger(SubmissionLedger ledger) {
        this.ledger = ledger;
    }

    public long getLedgerTtl() {
        return ledgerTtl;
    }

    /**
     * How long a key stays in the ledger: longer than the time within which the source may deliver a message again, and
     * than a submit and its wait can take (timeout plus the submit's attempts), else the endpoint does not start.
     *
     * @see "flux-kontext-component.adoc, Exactly once across redelivery and crashes"
     */
    public void setLedgerTtl(long ledgerTtl) {
        this.ledgerTtl = ledgerTtl;
    }

    public long getLedgerLease() {
        return ledgerLease;
    }

    /**
     * How long the claim of a keyed submit that fal has not answered yet holds without renewal (its sender renews it
     * every third of this while the submit is under way); another instance takes a key over only once its claim has
     * lapsed, by the ledger's clock; at least 100 ms.
     *
     * @see "flux-kontext-component.adoc, Exactly once across redelivery and crashes"
     */
    public void setLedgerLease(long ledgerLease) {
        this.ledgerLease = ledgerLease;
    }

    public boolean isResubmitUnanswered() {
        return resubmitUnanswered;
    }

    /**
     * What a message does whose key's submit was sent but never answered: with false it fails with a
     * FluxKontextTransportException whose isOutcomeUnknown() is true, nothing sent; with true it submits again once
     * that claim has lapsed, which bills twice if the first submit did create a job.
     *
     * @see "flux-kontext-component.adoc, Exactly once across redelivery and crashes"
     */
    public void setResubmitUnanswered(boolean resubmitUnanswered) {
        this.resubmitUnanswered = resubmitUnanswered;
    }

    public String getPath() {
        return path;
    }

    /**
     * flux-kontext:webhook: the HTTP path the consumer receives fal's callbacks on, served by Camel's platform-http
     * (the runtime's HTTP server); fal is told its full public URL with webhookUrl.
     *
     * @see "flux-kontext-component.adoc, Webhooks: the consumer"
     */
    public void setPath(String path) {
        this.path = path;
    }

    public boolean isVerifyWebhookSignature() {
        return verifyWebhookSignature;
    }

    /**
     * flux-kontext:webhook: whether a callback must carry fal's Ed25519 signature (keys from jwksUrl) and a timestamp
     * within webhookTolerance; set false only for an aggregator that does not sign its callbacks, as anyone who can
     * reach the path can then inject results (a WARN says so at start).
     *
     * @see "flux-kontext-component.adoc, Webhooks: the consumer"
     */
    public void setVerifyWebhookSignature(boolean verifyWebhookSignature) {
        this.verifyWebhookSignature = verifyWebhookSignature;
    }

    public String getJwksUrl() {
        return jwksUrl;
    }

    /**
     * flux-kontext:webhook: where fal's public webhook keys (a JWKS) are fetched from, without credentials; cached for
     * up to 24 hours, and fetched again, at most every 10 seconds, when no cached key verifies a callback (fal rotated
     * its key).
     *
     * @see "flux-kontext-component.adoc, Webhooks: the consumer"
     */
    public void setJwksUrl(String jwksUrl) {
        this.jwksUrl = jwksUrl;
    }

    public long getWebhookTolerance() {
        return webhookTolerance;
    }

    /**
     * flux-kontext:webhook: how far a callback's timestamp (header X-Fal-Webhook-Timestamp) may be from this machine's
     * clock, either way; older or newer callbacks are refused (401), so that a captured callback cannot be replayed
     * later.
     *
     * @see "flux-kontext-component.adoc, Webhooks: the consumer"
     */
    public void setWebhookTolerance(long webhookTolerance) {
        this.webhookTolerance = webhookTolerance;
    }

    public long getMaxWebhookSize() {
        return maxWebhookSize;
    }

    /**
     * flux-kontext:webhook: the largest callback body accepted, in bytes (a larger one is answered 413); on Vert.x
     * servers (Camel Main, JBang, Quarkus) the consumer stops reading at this size, on Spring Boot's servlet server
     * the starter's filter does.
     *
     * @see "flux-kontext-component.adoc, Webhooks: the consumer"
     */
    public void setMaxWebhookSize(long maxWebhookSize) {
        this.maxWebhookSize = maxWebhookSize;
    }

    public IdempotentRepository getIdempotentRepository() {
        return idempotentRepository;
    }

    /**
     * flux-kontext:webhook: remembers the request ids of the callbacks whose exchange is done, so that a job reaches
     * the route once although fal delivers again; unset, an in-memory one per consumer (the last 10,000 ids), and
     * several instances that receive one fleet's callbacks need one shared, persistent repository.
     *
     * @see "flux-kontext-component.adoc, Webhooks: the consumer"
     */
    public void setIdempotentRepository(IdempotentRepository idempotentRepository) {
        this.idempotentRepository = idempotentRepository;
    }

    public String getWebhookUserIds() {
        return webhookUserIds;
    }

    /**
     * flux-kontext:webhook: the fal user ids (header X-Fal-Webhook-User-Id, covered by the signature) whose callbacks
     * are accepted, comma separated; fal signs every customer's callbacks with the same keys, so without this (or
     * webhookSecret) anyone with a fal account can send this route results of their choice, and with it another
     * account's callback is answered 401 and never routed.
     *
     * @see "flux-kontext-component.adoc, Webhooks: the consumer"
     */
    public void setWebhookUserIds(String webhookUserIds) {
        this.webhookUserIds = webhookUserIds;
    }

    /** webhookUserIds from Java: the fal user ids whose callbacks are accepted. */
    public void setWebhookUserIds(List<String> webhookUserIds) {
        this.webhookUserIds = webhookUserIds == null ? null : String.join(",", webhookUserIds);
    }

    /** The fal user ids of webhookUserIds, or an empty list when any fal user is accepted. */
    List<String> webhookUserIdList() {
        if (webhookUserIds == null) {
            return List.of();
        }
        return Arrays.stream(webhookUserIds.split(",")).map(String::strip).filter(id -> !id.isEmpty()).distinct().toList();
    }

    public String getWebhookSecret() {
        return webhookSecret;
    }

    /**
     * A secret (at least 16 characters) shared by the producers that submit with webhookUrl, which add a token derived
     * from it to the fal_webhook URL (never the secret itself), and the flux-kontext:webhook consumers, which refuse a
     * callback without that token (401): the only protection when every callback comes from one fal account that others
     * use too (an aggregator's).
     *
     * @see "flux-kontext-component.adoc, Webhooks: the consumer"
     */
    public void setWebhookSecret(String webhookSecret) {
        this.webhookSecret = webhookSecret;
    }

    public String getBaseUrl() {
        return baseUrl;
    }

    /**
     * The queue API's base URL: fal's, or an aggregator's that re-exposes fal's paths.
     *
     * @see "flux-kontext-component.adoc, Connection"
     */
    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String getApiKey() {
        return apiKey;
    }

    /**
     * The fal key (key_id:key_secret) or the aggregator's token; unset (or blank), the FAL_KEY environment variable (or
     * FAL_KEY_ID and FAL_KEY_SECRET), but only when baseUrl is fal's own or loopback: a fal key never goes to another
     * provider, whose token must then be set here.
     *
     * @see "flux-kontext-component.adoc, Security"
     */
    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    public String getStorageApiKey() {
        return storageApiKey;
    }

    /**
     * The key for storageUrl (imageUpload=fal-storage) when it is on another origin than baseUrl and baseUrl is not
     * fal's, as apiKey is then another provider's token, which must not go to fal's storage; unset, the queue's key
     * where queue and storage belong to the same provider.
     *
     * @see "flux-kontext-component.adoc, Security"
     */
    public void setStorageApiKey(String storageApiKey) {
        this.storageApiKey = storageApiKey;
    }

    public AuthScheme getAuthScheme() {
        return authScheme;
    }

    /**
     * The Authorization scheme, Key (fal) or Bearer (aggregators); unset, Key for fal's hosts and Bearer for any other
     * base URL.
     *
     * @see "flux-kontext-component.adoc, Security"
     */
    public void setAuthScheme(AuthScheme authScheme) {
        this.authScheme = authScheme;
    }

    public boolean isAllowInsecureHttp() {
        return allowInsecureHttp;
    }

    /**
     * Allows a plain http base, storage or JWKS URL on a host other than loopback (the key would travel unencrypted,
     * and fal's webhook keys could be swapped on the way).
     *
     * @see "flux-kontext-component.adoc, Security"
     */
    public void setAllowInsecureHttp(boolean allowInsecureHttp) {
        this.allowInsecureHttp = allowInsecureHttp;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    /**
     * TLS settings (trust store, protocols) for the HTTP client.
     *
     * @see "flux-kontext-component.adoc, Security"
     */
    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    public long getConnectTimeout() {
        return connectTimeout;
    }

    /**
     * How long to wait for a connection to be made.
     *
     * @see "flux-kontext-component.adoc, Connection"
     */
    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public long getRequestTimeout() {
        return requestTimeout;
    }

    /**
     * How long one HTTP call may wait for an answer.
     *
     * @see "flux-kontext-component.adoc, Connection"
     */
    public void setRequestTimeout(long requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public int getMaxTotalConnections() {
        return maxTotalConnections;
    }

    /**
     * The most connections the HTTP client opens in all, besides the status streams' own (maxOpenStreams).
     *
     * @see "flux-kontext-component.adoc, Connection"
     */
    public void setMaxTotalConnections(int maxTotalConnections) {
        this.maxTotalConnections = maxTotalConnections;
    }

    public int getConnectionsPerRoute() {
        return connectionsPerRoute;
    }

    /**
     * The most connections the HTTP client opens to one host, besides the status streams' own (maxOpenStreams).
     *
     * @see "flux-kontext-component.adoc, Connection"
     */
    public void setConnectionsPerRoute(int connectionsPerRoute) {
        this.connectionsPerRoute = connectionsPerRoute;
    }

    public String getProxyHost() {
        return proxyHost;
    }

    /**
     * HTTP proxy host.
     *
     * @see "flux-kontext-component.adoc, Connection"
     */
    public void setProxyHost(String proxyHost) {
        this.proxyHost = proxyHost;
    }

    public Integer getProxyPort() {
        return proxyPort;
    }

    /**
     * HTTP proxy port.
     *
     * @see "flux-kontext-component.adoc, Connection"
     */
    public void setProxyPort(Integer proxyPort) {
        this.proxyPort = proxyPort;
    }

    public CloseableHttpAsyncClient getHttpClient() {
        return httpClient;
    }

    /**
     * An Apache HttpClient 5 async client to use instead of the one the component builds: started, its connection, TLS
     * and proxy settings yours, never closed by the component, and built with disableAutomaticRetries() and
     * disableRedirectHandling(), as the component has its own retry policy (which never bills a job twice) and follows
     * redirects itself (credentials stay on their origin).
     *
     * @see "flux-kontext-component.adoc, Connection"
     */
    public void setHttpClient(CloseableHttpAsyncClient httpClient) {
        this.httpClient = httpClient;
    }

    /**
     * Checks the options, naming the one that is wrong and what is allowed; the endpoint calls it when it
     * starts, so a mistake fails the route's start rather than its first message.
     *
     * @throws IllegalArgumentException naming the option
     */
    public void validate() {
        checkUrl("baseUrl", baseUrl);
        if (storageUrl != null) {
            checkUrl("storageUrl", storageUrl);
        }
        keyRouting().credentials(); // where each key goes, or why it may not
        if (startTimeout != null && startTimeout <= 1000) {
            throw new IllegalArgumentException("Option startTimeout must be more than 1 second (fal rejects shorter ones), was "
                                               + startTimeout + " ms");
        }
        positive("pollInterval", pollInterval);
        positive("streamIdleTimeout", streamIdleTimeout);
        positive("maxPollInterval", maxPollInterval);
        positive("timeout", timeout);
        positive("maxDownloadSize", maxDownloadSize);
        positive("maxInlineImageSize", maxInlineImageSize);
        positive("ledgerTtl", ledgerTtl);
        if (ledgerTtl > MAX_LEDGER_TTL.toMillis()) {
            throw new IllegalArgumentException("Option ledgerTtl must be at most " + MAX_LEDGER_TTL.toDays() + " days, was "
                                               + ledgerTtl + " ms");
        }
        if (ledgerLease < MIN_LEDGER_LEASE_MS || ledgerLease > MAX_LEDGER_TTL.toMillis()) {
            throw new IllegalArgumentException("Option ledgerLease must be " + MIN_LEDGER_LEASE_MS + " ms to " + MAX_LEDGER_TTL.toDays()
                                               + " days (renewed every third of it), was " + ledgerLease + " ms");
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("Option maxRetries must be 0 or more, was " + maxRetries);
        }
        if (proxyHost != null && proxyPort == null) {
            throw new IllegalArgumentException("Option proxyHost is set but proxyPort is not");
        }
        if (webhookSecret != null && webhookSecret.strip().length() < MIN_WEBHOOK_SECRET_LENGTH) {
            throw new IllegalArgumentException("Option webhookSecret must be at least " + MIN_WEBHOOK_SECRET_LENGTH
                                               + " characters (a random string, e.g. 32 random bytes in base64), was "
                                               + webhookSecret.strip().length());
        }
        if (endpointId != null) {
            try {
                FalUrls.normalizeEndpointId(endpointId);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Option endpointId: " + e.getMessage(), e);
            }
        }
    }

    /**
     * {@link #validate()}, and the options one operation needs: the webhook consumer's, or webhookUrl for a
     * submit that waits with waitMode=webhook; and for a submit, the Kontext input fixed in the options.
     *
     * @throws IllegalArgumentException naming the option
     * @throws io.github.fluxkontext.camel.model.FluxKontextValidationException naming the option whose Kontext input
     *                                                                          value is not allowed
     */
    void validateFor(FluxKontextOperation operation) {
        validate();
        if (operation.submits()) {
            requireLedgerTtlOutlivesTheWait();
        }
        if (operation.isConsumer()) {
            if (path == null || !path.matches("/[A-Za-z0-9._~/-]*")) {
                throw new IllegalArgumentException("Option path must be an HTTP path starting with '/', of letters, digits and"
                                                   + " . _ ~ - /, e.g. /fal/webhook; was '" + path + "'");
            }
            positive("webhookTolerance", webhookTolerance);
            positive("maxWebhookSize", maxWebhookSize);
            checkWebhookUserIds();
            if (verifyWebhookSignature) {
                requireAbsoluteHttp("jwksUrl", jwksUrl);
                if (!FalUrls.isAllowedTarget(jwksUrl, allowInsecureHttp)) {
                    throw new IllegalArgumentException("Option jwksUrl is plain http on a host other than loopback ('" + jwksUrl
                                                       + "'): whoever sits in between could hand over keys of their own and"
                                                       + " forge callbacks. Use https, or set allowInsecureHttp=true");
                }
            }
        } else if (operation.submits()) {
            checkModelHas(operation);
            checkFixedInput(operation);
        }
        if (operation.submits() && waitForResult && waitMode == WaitMode.WEBHOOK && webhookUrl == null) {
            throw new IllegalArgumentException("Option webhookUrl is required with waitMode=webhook: the public URL of a"
                                               + " flux-kontext:webhook consumer, e.g. https://my.host/fal/webhook (or choose"
                                               + " waitMode=poll or stream)");
        }
        if (webhookUrl != null) {
            requireAbsoluteHttp("webhookUrl", webhookUrl);
        }
    }

    /** An operation the model does not have (multi with dev...) fails the start: there is no fal endpoint to call. */
    private void checkModelHas(FluxKontextOperation operation) {
        if (endpointId == null && operation.endpointId(model) == null) {
            throw new IllegalArgumentException("flux-kontext:" + operation + " with model=" + model + ": fal has no such endpoint;"
                                               + " models that have " + operation + ": " + KontextSchema.modelsOf(operation.task()));
        }
    }

    /**
     * The Kontext input fixed in the options (numImages=9, aspectRatio=16x9...) goes through the same validator as
     * every message, at start: a value that would fail every message fails the route's start instead, named as the
     * option, and so does a field the model does not have. The image options count only for the operations that take
     * them (the mapper ignores them elsewhere).
     *
     * @throws io.github.fluxkontext.camel.model.FluxKontextValidationException naming the option
     */
    private void checkFixedInput(FluxKontextOperation operation) {
        KontextRequestValidator.validateGiven(optionInput(operation.task()), schemaFor(operation), maxInlineImageSize,
                InputField::asOption);
    }

    /**
     * The Kontext input these options give a task: what a message's headers and body complete or override. The image
     * options count only for the tasks that take them (a component-wide imageUrl must not leak into text-to-image).
     *
     * @throws io.github.fluxkontext.camel.model.FluxKontextValidationException naming an option that cannot be read
     */
    public KontextRequest optionInput(KontextTask task) {
        KontextRequest.Builder input = KontextRequest.builder().prompt(prompt).seed(seed).guidanceScale(guidanceScale)
                .numImages(numImages).safetyTolerance(safetyTolerance).outputFormat(outputFormat).aspectRatio(aspectRatio)
                .enhancePrompt(enhancePrompt).syncMode(syncMode).numInferenceSteps(numInferenceSteps).acceleration(acceleration)
                .resolutionMode(resolutionMode).enableSafetyChecker(enableSafetyChecker).strength(strength);
        if (imageSize != null) {
            try {
                input.imageSize(KontextImageSize.parse(imageSize));
            } catch (IllegalArgumentException e) {
                throw new FluxKontextValidationException("option imageSize", imageSize, e.getMessage());
            }
        }
        if (loras != null) {
            input.loras(Arrays.stream(loras.split(",")).filter(l -> !l.isBlank()).map(KontextLora::parse).toList());
        }
        if (task == KontextTask.EDIT || task == KontextTask.INPAINT) {
            input.imageUrl(imageUrl);
        }
        if (task == KontextTask.INPAINT) {
            input.maskUrl(maskUrl).referenceImageUrl(referenceImageUrl);
        }
        return input.build();
    }

    /**
     * The endpoint whose rules a submit follows: the model's for the operation; with endpointId, the known endpoint of
     * that id when it does the operation's task, else none (only the fields every Kontext endpoint takes are checked).
     */
    public KontextSchema schemaFor(FluxKontextOperation operation) {
        if (endpointId == null) {
            return operation.schema(model);
        }
        KontextSchema known = KontextSchema.ofEndpointId(FalUrls.normalizeEndpointId(endpointId));
        return known != null && known.task() == operation.task() ? known : null;
    }

    /**
     * A key's entry must outlive everything its first delivery may still do: a message delivered again after the
     * entry expired would submit again. That is the wait (the timeout, which bounds the wait for a
     * maxConcurrentJobs place and for the job) plus the submit's own calls.
     */
    private void requireLedgerTtlOutlivesTheWait() {
        long submit = longestSubmitMillis();
        long floor = timeout + submit;
        if (ledgerTtl <= floor) {
            throw new IllegalArgumentException("Option ledgerTtl (" + ledgerTtl + " ms) must be longer than a submit and its wait can"
                                               + " take here, " + floor + " ms: timeout (" + timeout + " ms), which bounds the wait"
                                               + " for a maxConcurrentJobs place and for the job, plus the submit's own calls ("
                                               + submit + " ms: maxRetries (" + maxRetries + ") + 1 attempts of up to requestTimeout ("
                                               + requestTimeout + " ms) for a pooled connection, connectTimeout (" + connectTimeout
                                               + " ms) and requestTimeout for the answer, and maxRetries delays of up to the larger of"
                                               + " retryDelay (" + retryDelay + " ms) and maxRetryDelay (" + maxRetryDelay + " ms)"
                                               + (imageUpload == ImageUpload.FAL_STORAGE ? "; three times over with imageUpload=fal-storage" : "")
                                               + "). A message delivered again after its key's entry expired would submit again: set"
                                               + " ledgerTtl above " + floor + " ms (it defaults to 24h), or shorten those options");
        }
    }

    /**
     * The longest one submit takes here as far as options bound it, from its claim to fal's last answer: per attempt
     * the wait for a pooled connection (requestTimeout), the connect and the answer (requestTimeout, which an answer
     * trickling in can outlast: the lease covers that); the retry delays between attempts (Retry-After included,
     * capped at the larger of retryDelay and maxRetryDelay); with fal-storage the upload's two calls before it.
     */
    long longestSubmitMillis() {
        long attempt = 2 * requestTimeout + connectTimeout;
        long call = (maxRetries + 1L) * attempt + maxRetries * Math.max(retryDelay, maxRetryDelay);
        return imageUpload == ImageUpload.FAL_STORAGE ? 3 * call : call;
    }

    private void checkWebhookUserIds() {
        if (webhookUserIds == null) {
            return;
        }
        List<String> ids = webhookUserIdList();
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("Option webhookUserIds lists no fal user id ('" + webhookUserIds + "'): give one or"
                                               + " more, comma separated, or leave it unset");
        }
        for (String id : ids) {
            if (id.length() > MAX_USER_ID_LENGTH || id.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("Option webhookUserIds: '" + id + "' is not a fal user id (at most "
                                                   + MAX_USER_ID_LENGTH + " characters, no control characters)");
            }
        }
        if (!verifyWebhookSignature) {
            throw new IllegalArgumentException("Option webhookUserIds needs verifyWebhookSignature=true: the user id is to be"
                                               + " trusted only when fal's signature covers it. Without signatures, use webhookSecret");
        }
    }

    /** The fal endpoint id of an operation: the endpointId option, else the operation's for the model. */
    String falEndpointId(FluxKontextOperation operation) {
        return FalUrls.normalizeEndpointId(endpointId != null ? endpointId : operation.endpointId(model));
    }

    /**
     * The webhook URL fal is given: with waitMode=webhook (and waiting) it carries a marker telling the receiving
     * consumer that a producer waits for the job, so that it is not also routed (see {@link WebhookMarker}); with
     * webhookSecret, the token the consumer requires (see {@link WebhookToken}).
     */
    public SubmitOptions submitOptions() {
        String callback = webhookUrl;
        if (callback != null && waitForResult && waitMode == WaitMode.WEBHOOK) {
            callback = WebhookMarker.mark(callback);
        }
        if (callback != null && webhookSecret != null) {
            callback = new WebhookToken(webhookSecret).addTo(callback);
        }
        return new SubmitOptions(priority, startTimeout == null ? null : Duration.ofMillis(startTimeout), callback);
    }

    /** Which key goes to which origin, from these options. */
    KeyRouting keyRouting() {
        return new KeyRouting(baseUrl, apiKey, authScheme, imageUpload == ImageUpload.FAL_STORAGE, storageUrl, storageApiKey);
    }

    /** What the fal client needs: where, which credentials, how much, how to retry. */
    FalClientSettings clientSettings() {
        RetryPolicy retry = new RetryPolicy(maxRetries, Duration.ofMillis(retryDelay), Duration.ofMillis(maxRetryDelay), submitRetry);
        KeyRouting keys = keyRouting();
        return new FalClientSettings(baseUrl, keys.uploadUrl(), keys.credentials(), USER_AGENT,
                maxDownloadSize, retry, allowInsecureHttp);
    }

    private void checkUrl(String option, String url) {
        requireAbsoluteHttp(option, url);
        if (!FalUrls.isAllowedTarget(url, allowInsecureHttp)) {
            throw new IllegalArgumentException("Option " + option + " is plain http on a host other than loopback ('" + url
                                               + "'): the key would travel unencrypted. Use https, or set allowInsecureHttp=true"
                                               + " if you really mean it");
        }
    }

    private static void requireAbsoluteHttp(String option, String url) {
        String origin = url == null ? null : FalUrls.origin(url);
        if (origin == null || !(origin.startsWith("https://") || origin.startsWith("http://"))) {
            throw new IllegalArgumentException("Option " + option + " must be an absolute http(s) URL, was '" + url + "'");
        }
    }

    private static void positive(String option, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("Option " + option + " must be positive, was " + value);
        }
    }

    @Override
    public String toString() {
        // never the key: it is masked like Camel masks secret URI options
        return "FluxKontextConfiguration[model=" + model + ", endpointId=" + endpointId + ", baseUrl=" + baseUrl
               + ", apiKey=" + (apiKey == null ? "none" : "******") + ", storageApiKey=" + (storageApiKey == null ? "none" : "******")
               + ", webhookSecret=" + (webhookSecret == null ? "none" : "******")
               + ", authScheme=" + authScheme + ", waitForResult="
               + waitForResult + ", outputType=" + outputType + ", imageUpload=" + imageUpload + "]";
    }
}
