package io.github.fluxkontext.camel;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import io.github.fluxkontext.camel.client.FalWebhookCallback;
import io.github.fluxkontext.camel.client.FalWebhookVerifier;
import io.github.fluxkontext.camel.client.Futures;
import io.github.fluxkontext.camel.model.FluxKontextException;
import io.github.fluxkontext.camel.model.FluxKontextWebhookException;
import io.github.fluxkontext.camel.model.KontextResult;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Message;
import org.apache.camel.Processor;
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
 * Each callback, in this order: not POST, 405; larger than {@code maxWebhookSize}, 413; a signature header
 * missing, given twice (a header and a query parameter of the same name arrive as a list), a timestamp outside
 * {@code webhookTolerance} or a signature that does not verify with fal's keys, 401 (unless
 * {@code verifyWebhookSignature=false}); fal's keys cannot be fetched, 503; a body that is not a callback (not
 * JSON, no request id), 400. Then its request id is claimed in the {@code idempotentRepository}: a request id
 * received before is answered 200 and goes no further. A callback that an exchange of this component waits for
 * (waitMode=webhook) completes that exchange; one marked as awaited by a producer elsewhere ({@link WebhookMarker})
 * is only acknowledged; any other starts an exchange with the job's output, body per {@code outputType} and the
 * headers of a producer's wait, or, for a job that failed, failed with a {@code FluxKontextJobFailedException}.
 * The answer is 200 once that exchange is done, also when it failed with the job's own failure (the delivery
 * succeeded), and 500 when the route failed otherwise: then the request id is released, so that fal's next
 * delivery reaches the route (once).
 * <p>
 * No thread of the component waits: verification needs fal's keys only when they are not cached (then the
 * callback goes on when they arrive), and image downloads ({@code outputType=bytes}) are asynchronous. Whether
 * the HTTP server's thread waits for the answer is the server's business (platform-http on Vert.x does wait,
 * on a worker thread).
 */
public class FluxKontextWebhookConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(FluxKontextWebhookConsumer.class);
    /** Request ids the default in-memory repository remembers (about 1 MB): fal delivers again within 2 hours. */
    static final int REMEMBERED_REQUEST_IDS = 10_000;
    /** Refused callbacks are logged at WARN at most this often (anyone can send them), else at DEBUG. */
    private static final long REFUSAL_WARN_EVERY_MS = 60_000;

    private final FluxKontextEndpoint endpoint;
    private final FluxKontextConfiguration config;
    private final AtomicLong routed = new AtomicLong();
    private final AtomicLong completedWaits = new AtomicLong();
    private final AtomicLong awaitedElsewhere = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong routeFailures = new AtomicLong();
    private final AtomicLong lastRefusalWarning = new AtomicLong();
    private volatile FalWebhookVerifier verifier;
    private volatile IdempotentRepository repository;
    private volatile boolean ownRepository;
    private volatile Consumer http;

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
        repository = config.getIdempotentRepository();
        ownRepository = repository == null;
        if (ownRepository) {
            repository = MemoryIdempotentRepository.memoryIdempotentRepository(REMEMBERED_REQUEST_IDS);
        }
        ServiceHelper.startService(repository);
        if (config.isVerifyWebhookSignature()) {
            verifier = endpoint.getClient().webhookVerifier(config.getJwksUrl(), Duration.ofMillis(config.getWebhookTolerance()));
        } else {
            verifier = null;
            LOG.warn("flux-kontext:webhook at {} accepts callbacks WITHOUT checking fal's signature (verifyWebhookSignature=false):"
                     + " anyone who can reach it can inject job results. Use it only behind a gateway that checks them, or for an"
                     + " aggregator that does not sign", config.getPath());
        }
        http = platformHttpEndpoint().createConsumer(new CallbackProcessor());
        ServiceHelper.startService(http);
        LOG.info("Receiving fal's webhook callbacks at {} (signature {})", config.getPath(),
                verifier != null ? "checked with the keys of " + config.getJwksUrl() : "NOT checked");
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
        return getEndpoint().getCamelContext().getEndpoint("platform-http:" + config.getPath() + "?httpMethodRestrict=POST");
    }

    /** Callbacks whose job went to the route. */
    public long getRoutedCallbacks() {
        return routed.get();
    }

    /** Callbacks that completed an exchange waiting in this CamelContext (waitMode=webhook). */
    public long getCallbacksCompletingWaits() {
        return completedWaits.get();
    }

    /** Callbacks marked as awaited by a producer elsewhere, only acknowledged here. */
    public long getCallbacksAwaitedElsewhere() {
        return awaitedElsewhere.get();
    }

    /** Callbacks whose request id was received before, acknowledged and dropped. */
    public long getDuplicateCallbacks() {
        return duplicates.get();
    }

    /** Callbacks refused (405, 413, 401, 400, 503). */
    public long getRefusedCallbacks() {
        return refused.get();
    }

    /** Callbacks answered 500 because the route failed (fal delivers them again). */
    public long getRouteFailures() {
        return routeFailures.get();
    }

    /** Answers the HTTP request asynchronously: the platform-http exchange is done when {@link Answer#send} is called. */
    private final class CallbackProcessor extends AsyncProcessorSupport {
        @Override
        public boolean process(Exchange request, AsyncCallback callback) {
            Answer answer = new Answer(request, callback);
            try {
                receive(request.getMessage(), answer);
            } catch (RuntimeException e) {
                answer.fail(e);
            }
            return false;
        }
    }

    private void receive(Message request, Answer answer) {
        String method = request.getHeader(Exchange.HTTP_METHOD, String.class);
        if (method != null && !"POST".equalsIgnoreCase(method)) {
            throw new FluxKontextWebhookException(405, "Webhook callbacks are POSTed; this was " + method, null, null);
        }
        long announced = announcedLength(request.getHeader("Content-Length"));
        if (announced > config.getMaxWebhookSize()) {
            throw tooLarge(announced);
        }
        byte[] body = request.getBody(byte[].class);
        if (body == null) {
            body = new byte[0]; // e.g. a form body, which platform-http has parsed into a map
        }
        if (body.length > config.getMaxWebhookSize()) {
            throw tooLarge(body.length);
        }
        boolean marked = WebhookMarker.isMarked(request);
        byte[] raw = body;
        if (verifier == null) {
            accept(raw, null, marked, answer);
            return;
        }
        String requestId = single(request, FalWebhookVerifier.REQUEST_ID_HEADER);
        CompletableFuture<Void> verified = verifier.verify(requestId, single(request, FalWebhookVerifier.USER_ID_HEADER),
                single(request, FalWebhookVerifier.TIMESTAMP_HEADER), single(request, FalWebhookVerifier.SIGNATURE_HEADER), raw);
        whenDone(verified, answer, (ok, error) -> {
            if (error != null) {
                answer.fail(error);
            } else {
                accept(raw, requestId, marked, answer);
            }
        });
    }

    /** The Content-Length header, or -1 when absent or unreadable (then the body's own length counts). */
    private static long announcedLength(Object header) {
        try {
            return header == null ? -1 : Long.parseLong(header.toString().trim());
        } catch (NumberFormatException unreadable) {
            return -1;
        }
    }

    private FluxKontextWebhookException tooLarge(long size) {
        return new FluxKontextWebhookException(413, "Webhook callback refused: " + size + " bytes, more than maxWebhookSize ("
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

    /** A verified (or unchecked) callback: once per request id, it completes a waiting exchange or goes to the route. */
    private void accept(byte[] body, String signedRequestId, boolean marked, Answer answer) {
        FalWebhookCallback callback = FalWebhookCallback.parse(body);
        if (signedRequestId != null && !callback.concerns(signedRequestId)) {
            throw new FluxKontextWebhookException(400, "Webhook callback refused: the signed request id " + signedRequestId
                                                       + " is not the body's (" + callback.requestId() + ")", callback.requestId(), null);
        }
        String id = callback.requestId();
        if (!repository.add(id)) {
            duplicates.incrementAndGet();
            LOG.debug("Webhook callback for job {} received before: acknowledged, not delivered again", id);
            answer.send(200, "Already received");
            return;
        }
        answer.claimed(id);
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
        FluxKontextOutput.jobHeaders(exchange.getMessage(), callback.job());
        // the job's own failure (or an output that cannot be read) is the outcome: fal delivering again cannot change it
        FluxKontextException jobFailure = callback.hasOutput() ? null : callback.failure();
        CompletableFuture<java.util.function.Consumer<Message>> output;
        if (jobFailure != null) {
            output = CompletableFuture.completedFuture(null);
        } else {
            KontextResult result;
            try {
                result = KontextResult.fromJson(callback.requestId(), callback.payload());
            } catch (FluxKontextException unreadable) {
                jobFailure = unreadable;
                result = null;
            }
            output = result == null ? CompletableFuture.completedFuture(null) : endpoint.output().prepare(result);
        }
        FluxKontextException outcome = jobFailure;
        whenDone(output, answer, (change, error) -> {
            if (outcome != null || error != null) {
                failed(exchange, outcome != null ? outcome : error);
            } else {
                try {
                    change.accept(exchange.getMessage());
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
            stage.whenComplete((value, error) -> endpoint.continueRoute(() -> guarded.accept(value, error)));
        }
    }

    /** The one answer to one HTTP request; it also confirms (200) or releases (otherwise) the request id claimed. */
    private final class Answer {
        private final Exchange request;
        private final AsyncCallback callback;
        private final AtomicBoolean sent = new AtomicBoolean();
        private volatile String claimedId;

        Answer(Exchange request, AsyncCallback callback) {
            this.request = request;
            this.callback = callback;
        }

        void claimed(String requestId) {
            claimedId = requestId;
        }

        void fail(Throwable error) {
            if (error instanceof FluxKontextWebhookException refusal) {
                refused.incrementAndGet();
                logRefusal(refusal);
                send(refusal.getStatusCode(), refusal.getMessage());
            } else {
                LOG.warn("Webhook callback{} could not be handled; answered 500 so that fal delivers it again", claimedId == null ? ""
                        : " for job " + claimedId, error);
                send(500, "Could not handle the callback; deliver again");
            }
        }

        void send(int status, String text) {
            if (!sent.compareAndSet(false, true)) {
                return;
            }
            try {
                String id = claimedId;
                if (id != null) {
                    if (status == 200) {
                        repository.confirm(id);
                    } else {
                        repository.remove(id); // so that fal's next delivery is not taken for a duplicate
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("The idempotent repository failed for job {}; fal may deliver it again", claimedId, e);
            } finally {
                Message message = request.getMessage();
                message.removeHeaders("*");
                message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
                message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
                if (status == 405) {
                    message.setHeader("Allow", "POST");
                }
                message.setBody(text);
                callback.done(false);
            }
        }
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
