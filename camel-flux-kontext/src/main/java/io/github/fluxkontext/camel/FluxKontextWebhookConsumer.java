package io.github.fluxkontext.camel;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import io.github.fluxkontext.camel.client.FalUrls;
import io.github.fluxkontext.camel.client.FalWebhookCallback;
import io.github.fluxkontext.camel.client.FalWebhookVerifier;
import io.github.fluxkontext.camel.client.Futures;
import io.github.fluxkontext.camel.mapping.ResultMapping;
import io.github.fluxkontext.camel.model.FluxKontextException;
import io.github.fluxkontext.camel.model.FluxKontextWebhookException;
import io.github.fluxkontext.camel.model.KontextResult;
import io.github.fluxkontext.camel.support.ComponentThreads;
import io.github.fluxkontext.camel.webhook.WebhookBody;
import io.github.fluxkontext.camel.webhook.WebhookMarker;
import io.github.fluxkontext.camel.webhook.WebhookQuery;
import io.github.fluxkontext.camel.webhook.WebhookToken;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer of fal's completion callbacks: {@code from("flux-kontext:webhook?path=/fal/webhook")}. It starts
 * no server: it receives the requests through a {@code platform-http} consumer on {@code path}, so they reach the
 * runtime's HTTP server (Camel Main's {@code camel.server.*}, Spring Boot's web server, Quarkus, JBang).
 * <p>
 * Each callback, in this order: not POST, 405; with {@code webhookSecret}, a URL without the producer's token (or
 * with another one, or with it twice), 401; larger than {@code maxWebhookSize}, 413, read no further than that
 * where the server lets the consumer read the body ({@link WebhookBody}); a signature header missing, given twice
 * (a header and a query parameter of the same name arrive as a list), a timestamp outside {@code webhookTolerance}
 * or a signature that does not verify with fal's keys, 401 (unless {@code verifyWebhookSignature=false}); fal's
 * keys cannot be fetched, 503; with {@code webhookUserIds}, the callback of another fal account, 401; a body that
 * is not a callback (not JSON, no request id), 400. Refused callers get fixed answer texts: what was wrong goes to
 * the log only.
 * <p>
 * Then its request id: one that this consumer is handling at the moment is answered 409, so that fal delivers it
 * again later (fal stops at the first 2xx: acknowledging it now would lose the job if the first delivery's route
 * failed); one the {@code idempotentRepository} remembers is answered 200 and goes no further. A callback that an
 * exchange of this component waits for (waitMode=webhook) completes that exchange; one marked as awaited by a
 * producer elsewhere ({@link WebhookMarker}) is only acknowledged; any other starts an exchange with the job's
 * output, body per {@code outputType} and the headers of a producer's wait, or, for a job that failed, failed with
 * a {@code FluxKontextJobFailedException}. The answer is 200 once that exchange is done, also when it failed with
 * the job's own failure (the delivery succeeded), and only then is the request id added to the repository; 500
 * when the route failed otherwise, leaving the request id free, so that fal's next delivery reaches the route.
 * The claim on a request id being handled is this consumer's own, in memory: a shared repository never holds an
 * id whose exchange did not finish (an instance that dies mid-route leaves nothing behind), at the price that two
 * deliveries of one job racing on two instances may both reach the route: at least once, never zero times while
 * fal delivers again.
 * <p>
 * No thread of the component waits: the body is read as it arrives on Vert.x, verification needs fal's keys only
 * when they are not cached (then the callback goes on when they arrive), and image downloads
 * ({@code outputType=bytes}) are asynchronous. Whether the HTTP server's thread waits for the answer is the
 * server's business (platform-http on Vert.x does wait, on a worker thread).
 */
@ManagedResource(description = "flux-kontext:webhook consumer: fal's callbacks routed, completing waits, duplicate, refused")
public class FluxKontextWebhookConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(FluxKontextWebhookConsumer.class);
    /** Request ids the default in-memory repository remembers (about 1 MB): fal delivers again within 2 hours. */
    static final int REMEMBERED_REQUEST_IDS = 10_000;
    /** Refused callbacks are logged at WARN at most this often (anyone can send them), else at DEBUG. */
    private static final long REFUSAL_WARN_EVERY_MS = 60_000;
    /** A hint to deliver a callback again no sooner than this (fal keeps its own schedule). */
    private static final String RETRY_AFTER_SECONDS = "30";
    /** The answer text of a 413, also given by the Spring Boot starter's filter that bounds reading on servlet servers. */
    public static final String TOO_LARGE_TEXT = "Payload Too Large";
    /** The component's own query parameters, which go no further than the consumer. */
    private static final Set<String> OWN_PARAMETERS = Set.of(WebhookToken.PARAMETER, WebhookMarker.PARAMETER);

    private final FluxKontextEndpoint endpoint;
    private final FluxKontextConfiguration config;
    private final AtomicLong routed = new AtomicLong();
    private final AtomicLong completedWaits = new AtomicLong();
    private final AtomicLong awaitedElsewhere = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong repeatsInFlight = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong routeFailures = new AtomicLong();
    private final AtomicLong lastRefusalWarning = new AtomicLong();
    /** The request ids whose callback is being handled here now; never shared, see the class comment. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private volatile FalWebhookVerifier verifier;
    private volatile WebhookToken token;
    private volatile Set<String> userIds;
    private volatile IdempotentRepository repository;
    private volatile boolean ownRepository;
    private volatile Consumer http;
    private volatile ComponentThreads threads;
    private volatile ResultMapping output;

    public FluxKontextWebhookConsumer(FluxKontextEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.config = endpoint.getConfiguration();
    }

    @Override
    public FluxKontextEndpoint getEndpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        ServiceHelper.startService(endpoint); // its HTTP client fetches fal's keys and, with outputType=bytes, the images
        threads = endpoint.getComponent().threads();
        output = new ResultMapping(endpoint.getClient().storage(), config.getOutputType(), endpoint.jobFigures().statistics());
        repository = config.getIdempotentRepository();
        ownRepository = repository == null;
        if (ownRepository) {
            repository = MemoryIdempotentRepository.memoryIdempotentRepository(REMEMBERED_REQUEST_IDS);
        }
        ServiceHelper.startService(repository);
        token = config.getWebhookSecret() == null ? null : new WebhookToken(config.getWebhookSecret());
        userIds = Set.copyOf(config.webhookUserIdList());
        verifier = config.isVerifyWebhookSignature()
                ? endpoint.getClient().webhookVerifier(config.getJwksUrl(), Duration.ofMillis(config.getWebhookTolerance()))
                : null;
        warnWhenAnyoneCanSend();
        http = platformHttpEndpoint().createConsumer(new CallbackProcessor());
        ServiceHelper.startService(http);
        LOG.info("Receiving fal's webhook callbacks at {} (signature {}; {}; {})", config.getPath(),
                verifier != null ? "checked with the keys of " + FalUrls.redact(config.getJwksUrl()) : "NOT checked",
                userIds.isEmpty() ? "from any fal user" : "from fal users " + userIds,
                token != null ? "the webhookSecret token required" : "no token required");
    }

    /** Says at start what anyone can do to a consumer that accepts callbacks from anyone. */
    private void warnWhenAnyoneCanSend() {
        if (verifier == null && token == null) {
            LOG.warn("flux-kontext:webhook at {} accepts callbacks WITHOUT checking fal's signature (verifyWebhookSignature=false)"
                     + " and without a webhookSecret: anyone who can reach it can inject job results. Set webhookSecret (on"
                     + " this consumer and on the producers that submit with webhookUrl), or use it only behind a gateway"
                     + " that checks the callbacks", config.getPath());
        } else if (verifier == null) {
            LOG.warn("flux-kontext:webhook at {} does not check fal's signature (verifyWebhookSignature=false): it trusts"
                     + " any callback that carries the webhookSecret token; use it only for an aggregator that does not sign",
                    config.getPath());
        } else if (userIds.isEmpty() && token == null) {
            LOG.warn("flux-kontext:webhook at {} accepts a callback of ANY fal account: fal signs every customer's callbacks"
                     + " with the same keys, so anyone with a fal account can submit a cheap job with fal_webhook pointing"
                     + " here and have this route take images of their choice (with outputType=bytes, download URLs of"
                     + " their choice). Set webhookUserIds (your fal user id) and webhookSecret (shared with the producers)",
                    config.getPath());
        }
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(http);
        http = null;
        if (ownRepository) {
            ServiceHelper.stopService(repository);
        }
        super.doStop();
    }

    private Endpoint platformHttpEndpoint() {
        if (getEndpoint().getCamelContext().getComponent("platform-http") == null) {
            throw new IllegalStateException("flux-kontext:webhook is served by Camel's platform-http, which is not on the classpath:"
                                            + " add camel-platform-http-main (Camel Main, with camel.server.enabled=true),"
                                            + " camel-platform-http-starter (Spring Boot) or camel-platform-http-vertx");
        }
        // useBodyHandler=false: platform-http's Vert.x server then leaves the body unread, for WebhookBody to read no
        // further than maxWebhookSize (other servers ignore it, and have read the body already)
        return getEndpoint().getCamelContext().getEndpoint("platform-http:" + config.getPath()
                                                           + "?httpMethodRestrict=POST&useBodyHandler=false");
    }

    @ManagedAttribute(description = "Callbacks whose job went to the route")
    public long getRoutedCallbacks() {
        return routed.get();
    }

    @ManagedAttribute(description = "Callbacks that completed an exchange waiting in this CamelContext (waitMode=webhook)")
    public long getCallbacksCompletingWaits() {
        return completedWaits.get();
    }

    @ManagedAttribute(description = "Callbacks marked as awaited by a producer elsewhere, only acknowledged here")
    public long getCallbacksAwaitedElsewhere() {
        return awaitedElsewhere.get();
    }

    @ManagedAttribute(description = "Callbacks whose request id was received before, acknowledged and dropped")
    public long getDuplicateCallbacks() {
        return duplicates.get();
    }

    @ManagedAttribute(description = "Callbacks answered 409: their request id was being handled here (fal delivers them again later)")
    public long getRepeatsWhileHandled() {
        return repeatsInFlight.get();
    }

    @ManagedAttribute(description = "Callbacks refused (405, 401, 413, 400, 503)")
    public long getRefusedCallbacks() {
        return refused.get();
    }

    @ManagedAttribute(description = "Callbacks answered 500 because the route failed (fal delivers them again)")
    public long getRouteFailures() {
        return routeFailures.get();
    }

    /** Answers the HTTP request asynchronously: the platform-http exchange is done when {@link Answer#send} is called. */
    private final class CallbackProcessor extends AsyncProcessorSupport {
        @Override
        public boolean process(Exchange request, AsyncCallback callback) {
            Answer answer = new Answer(request, callback);
            try {
                receive(request, answer);
            } catch (RuntimeException e) {
                answer.fail(e);
            }
            return false;
        }
    }

    private void receive(Exchange exchange, Answer answer) {
        WebhookBody body = WebhookBody.of(exchange); // first: on Vert.x, a body left unread then ends the connection
        Message request = exchange.getMessage();
        WebhookQuery query = WebhookQuery.of(request);
        WebhookQuery.scrub(request, OWN_PARAMETERS);
        String method = request.getHeader(Exchange.HTTP_METHOD, String.class);
        if (method != null && !"POST".equalsIgnoreCase(method)) {
            throw new FluxKontextWebhookException(405, "Webhook callback refused: callbacks are POSTed; this was " + method, null, null);
        }
        checkToken(query);
        long announced = announcedLength(request.getHeader("Content-Length"));
        if (announced > config.getMaxWebhookSize()) {
            throw tooLarge("announces " + announced + " bytes");
        }
        whenDone(body.read(config.getMaxWebhookSize(), read -> tooLarge("has at least " + read + " bytes")), answer,
                (raw, error) -> {
                    if (error instanceof FluxKontextWebhookException refusal) {
                        answer.fail(refusal);
                    } else if (error != null) {
                        // the caller broke the request off (or sent a broken one): its problem, logged as a refusal
                        answer.fail(new FluxKontextWebhookException(400, "Webhook callback refused: its body could not be read ("
                                                                         + error + ")", null, error));
                    } else {
                        verify(request, raw, query, answer);
                    }
                });
    }

    /**
     * With webhookSecret, the token of the producers must be in the URL, once: a callback of a job that was not
     * submitted with the secret (by someone else's fal account, say) is refused before its body is even read.
     */
    private void checkToken(WebhookQuery query) {
        if (token == null) {
            return;
        }
        List<String> presented = query.values(WebhookToken.PARAMETER);
        if (presented.size() != 1 || !token.matches(presented.get(0))) {
            throw new FluxKontextWebhookException(401, "Webhook callback refused: its URL carries " + (presented.isEmpty()
                    ? "no " + WebhookToken.PARAMETER
                    : presented.size() > 1 ? WebhookToken.PARAMETER + " " + presented.size() + " times"
                    : "a " + WebhookToken.PARAMETER + " that is not webhookSecret's")
                                                       + ": its job was not submitted with this consumer's webhookSecret", null, null);
        }
    }

    private void verify(Message request, byte[] raw, WebhookQuery query, Answer answer) {
        if (verifier == null) {
            accept(raw, null, query, answer);
            return;
        }
        String requestId = single(request, FalWebhookVerifier.REQUEST_ID_HEADER);
        String userId = single(request, FalWebhookVerifier.USER_ID_HEADER);
        CompletableFuture<Void> verified = verifier.verify(requestId, userId, single(request, FalWebhookVerifier.TIMESTAMP_HEADER),
                single(request, FalWebhookVerifier.SIGNATURE_HEADER), raw);
        whenDone(verified, answer, (ok, error) -> {
            if (error != null) {
                answer.fail(error);
            } else {
                LOG.debug("Webhook callback for job {} verified: signed by fal for fal user {}", requestId, userId);
                checkUserId(userId, requestId);
                accept(raw, requestId, query, answer);
            }
        });
    }

    /** With webhookUserIds, only those fal accounts' callbacks; the user id is trusted as fal's signature covers it. */
    private void checkUserId(String userId, String requestId) {
        if (!userIds.isEmpty() && !userIds.contains(userId)) {
            throw new FluxKontextWebhookException(401, "Webhook callback refused: it is the callback of fal user '" + userId
                                                       + "', which is not one of webhookUserIds " + userIds
                                                       + " (a job submitted by another fal account with this consumer's URL)", requestId, null);
        }
    }

    /** The Content-Length header, or -1 when absent or unreadable (then the body's own length counts). */
    private static long announcedLength(Object header) {
        try {
            return header == null ? -1 : Long.parseLong(header.toString().trim());
        } catch (NumberFormatException unreadable) {
            return -1;
        }
    }

    private FluxKontextWebhookException tooLarge(String what) {
        return new FluxKontextWebhookException(413, "Webhook callback refused: its body " + what + ", more than maxWebhookSize ("
                                                    + config.getMaxWebhookSize() + ")", null, null);
    }

    /**
     * A header's one value. platform-http maps query parameters to headers too, so a header also given as a query
     * parameter arrives as a list: refused, rather than guessing which one the signature is about.
     */
    private static String single(Message request, String name) {
        Object value = request.getHeader(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new FluxKontextWebhookException(401, "Webhook callback refused: " + name + " was given more than once (as a header"
                                                   + " and as a query parameter?)", null, null);
    }

    /**
     * A verified (or unchecked) callback: once per request id, it completes a waiting exchange or goes to the route.
     * A repeat of one being handled is not acknowledged (409): the first may yet fail.
     */
    private void accept(byte[] body, String signedRequestId, WebhookQuery query, Answer answer) {
        FalWebhookCallback callback = FalWebhookCallback.parse(body);
        if (signedRequestId != null && !callback.concerns(signedRequestId)) {
            throw new FluxKontextWebhookException(400, "Webhook callback refused: the signed request id " + signedRequestId
                                                       + " is not the body's (" + callback.requestId() + ")", callback.requestId(), null);
        }
        boolean marked = WebhookMarker.isMarked(query);
        String id = callback.requestId();
        if (!inFlight.add(id)) {
            repeatsInFlight.incrementAndGet();
            LOG.debug("Webhook callback for job {} came again while the first is handled: answered 409, fal delivers it again", id);
            answer.send(409, "Conflict: this callback is being handled; deliver it again later");
            return;
        }
        answer.claimed(id);
        if (repository.contains(id)) {
            duplicates.incrementAndGet();
            LOG.debug("Webhook callback for job {} received before: acknowledged, not delivered again", id);
            answer.send(200, "Already received");
            return;
        }
        answer.rememberWhenDone();
        if (endpoint.getComponent().awaitedWebhooks().deliver(callback)) {
            completedWaits.incrementAndGet();
            LOG.debug("Webhook callback for job {} completed the exchange waiting for it", id);
            answer.send(200, "Completed the waiting exchange");
        } else if (marked) {
            awaitedElsewhere.incrementAndGet();
            LOG.debug("Webhook callback for job {} is awaited by a producer elsewhere: not routed", id);
            answer.send(200, "Awaited elsewhere");
        } else {
            route(callback, answer);
        }
    }

    /** Starts an exchange with the job's output (or failure) and answers once the route is done with it. */
    private void route(FalWebhookCallback callback, Answer answer) {
        Exchange exchange = createExchange(false);
        ResultMapping.jobHeaders(exchange.getMessage(), callback.job());
        // the job's own failure (or an output that cannot be read) is the outcome: fal delivering again cannot change it
        FluxKontextException jobFailure = callback.hasOutput() ? null : callback.failure();
        CompletableFuture<java.util.function.Consumer<Message>> change;
        if (jobFailure != null) {
            change = CompletableFuture.completedFuture(null);
        } else {
            KontextResult result;
            try {
                result = KontextResult.fromJson(callback.requestId(), callback.payload());
            } catch (FluxKontextException unreadable) {
                jobFailure = unreadable;
                result = null;
            }
            change = result == null ? CompletableFuture.completedFuture(null) : output.prepare(result);
        }
        FluxKontextException outcome = jobFailure;
        whenDone(change, answer, (apply, error) -> {
            if (outcome != null || error != null) {
                failed(exchange, outcome != null ? outcome : error);
            } else {
                try {
                    apply.accept(exchange.getMessage());
                } catch (RuntimeException e) {
                    failed(exchange, e);
                }
            }
            getAsyncProcessor().process(exchange, doneSync -> {
                try {
                    Exception left = exchange.getException();
                    if ((left == null || left == outcome) && !exchange.isRollbackOnly()) {
                        routed.incrementAndGet();
                        answer.send(200, "OK");
                    } else {
                        routeFailures.incrementAndGet();
                        answer.send(500, "The route failed; deliver again");
                    }
                } finally {
                    releaseExchange(exchange, false);
                }
            });
        });
    }

    /**
     * The exchange reaches the route failed, as an exception a consumer hands to the route's error handler
     * (like bridgeErrorHandler does): onException sees it; no redelivery is attempted.
     */
    private static void failed(Exchange exchange, Throwable error) {
        exchange.setException(error);
        exchange.setProperty(ExchangePropertyKey.EXCEPTION_CAUGHT, error);
        exchange.setProperty(ExchangePropertyKey.ERRORHANDLER_BRIDGE, true);
        exchange.getExchangeExtension().setRedeliveryExhausted(true);
    }

    /**
     * Runs {@code next} when the stage is done: here at once if it is (the usual case: keys cached, no download),
     * else on a route thread (never on the HTTP client's or the component's own threads, as the route may block).
     */
    private <T> void whenDone(CompletableFuture<T> stage, Answer answer, BiConsumer<T, Throwable> next) {
        BiConsumer<T, Throwable> guarded = (value, error) -> {
            try {
                next.accept(value, error == null ? null : Futures.unwrap(error));
            } catch (RuntimeException e) {
                answer.fail(e);
            }
        };
        if (stage.isDone()) {
            stage.whenComplete(guarded);
        } else {
            stage.whenComplete((value, error) -> threads.continueRoute(() -> guarded.accept(value, error)));
        }
    }

    /**
     * The one answer to one HTTP request. It also settles the request id claimed: added to the repository on 200
     * (only once the exchange is done: a crash before leaves nothing a later delivery would be taken for), and no
     * longer in flight, whatever the answer.
     */
    private final class Answer {
        private final Exchange request;
        private final AsyncCallback callback;
        private final AtomicBoolean sent = new AtomicBoolean();
        private volatile String claimedId;
        private volatile boolean remember;

        Answer(Exchange request, AsyncCallback callback) {
            this.request = request;
            this.callback = callback;
        }

        void claimed(String requestId) {
            claimedId = requestId;
        }

        /** A 200 is to add the claimed request id to the repository (not for one it holds already). */
        void rememberWhenDone() {
            remember = true;
        }

        /** A refused callback gets a fixed text: its caller may be anyone, the detail goes to the log. */
        void fail(Throwable error) {
            if (error instanceof FluxKontextWebhookException refusal) {
                refused.incrementAndGet();
                logRefusal(refusal);
                send(refusal.getStatusCode(), refusalText(refusal.getStatusCode()));
            } else {
                LOG.warn("Webhook callback{} could not be handled; answered 500 so that fal delivers it again", claimedId == null ? ""
                        : " for job " + claimedId, error);
                send(500, "Could not handle the callback; deliver it again");
            }
        }

        void send(int status, String text) {
            if (!sent.compareAndSet(false, true)) {
                return;
            }
            String id = claimedId;
            try {
                if (id != null && remember && status == 200) {
                    repository.add(id);
                    repository.confirm(id);
                }
            } catch (RuntimeException e) {
                LOG.warn("The idempotent repository failed for job {}; fal may deliver it again", id, e);
            } finally {
                if (id != null) {
                    inFlight.remove(id); // after the repository has it: a repeat now is a duplicate, not routed again
                }
                Message message = request.getMessage();
                message.removeHeaders("*");
                message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
                message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
                if (status == 405) {
                    message.setHeader("Allow", "POST");
                }
                if (status == 409 || status == 503) {
                    message.setHeader("Retry-After", RETRY_AFTER_SECONDS);
                }
                message.setBody(text);
                callback.done(false);
            }
        }
    }

    private static String refusalText(int status) {
        return switch (status) {
            case 400 -> "Bad Request: not a webhook callback";
            case 401 -> "Unauthorized";
            case 405 -> "Method Not Allowed: webhook callbacks are POSTed";
            case 413 -> TOO_LARGE_TEXT;
            case 503 -> "Service Unavailable: deliver it again later";
            default -> "Refused";
        };
    }

    private void logRefusal(FluxKontextWebhookException refusal) {
        long now = System.currentTimeMillis();
        long last = lastRefusalWarning.get();
        if (now - last >= REFUSAL_WARN_EVERY_MS && lastRefusalWarning.compareAndSet(last, now)) {
            LOG.warn("{} (answered {}; {} callbacks refused so far, the next ones within a minute are logged at DEBUG)",
                    refusal.getMessage(), refusal.getStatusCode(), refused.get());
        } else {
            LOG.debug("{} (answered {})", refusal.getMessage(), refusal.getStatusCode());
        }
    }
}
