package io.github.fluxkontext.camel;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.github.fluxkontext.camel.client.FalUrls;
import io.github.fluxkontext.camel.client.SubmitOptions;
import io.github.fluxkontext.camel.client.Futures;
import io.github.fluxkontext.camel.mapping.InputValues;
import io.github.fluxkontext.camel.mapping.RequestControls;
import io.github.fluxkontext.camel.mapping.RequestMapping;
import io.github.fluxkontext.camel.mapping.ResultMapping;
import io.github.fluxkontext.camel.model.FluxKontextValidationException;
import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextRequest;
import io.github.fluxkontext.camel.support.ComponentThreads;
import io.github.fluxkontext.camel.support.ExchangeCompletion;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.WritableHealthCheckRepository;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * The asynchronous producer: submits Kontext jobs and waits for them without holding a thread
 * ({@link io.github.fluxkontext.camel.wait.JobWaiter}), and checks, fetches or cancels jobs by request id. Every operation ends its
 * exchange through one {@link ExchangeCompletion}.
 */
public class FluxKontextProducer extends DefaultAsyncProducer {

    private final FluxKontextEndpoint endpoint;
    private final FluxKontextConfiguration config;
    private final FluxKontextOperation operation;
    private ComponentThreads threads;
    private RequestControls controls;
    private WritableHealthCheckRepository healthChecks;
    private FluxKontextHealthCheck healthCheck;

    public FluxKontextProducer(FluxKontextEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.config = endpoint.getConfiguration();
        this.operation = endpoint.getOperation();
    }

    /**
     * Registers this producer's readiness check in Camel's "producers" health repository, when there is one; enabled
     * unless the component's healthCheckProducerEnabled is false (Camel runs producer checks only with
     * camel.health.producersEnabled=true).
     */
    @Override
    protected void doStart() throws Exception {
        super.doStart();
        threads = endpoint.getComponent().threads(); // exchanges are handed back on its route threads
        if (operation.submits()) {
            // a falHeaders or mediaExpiration option that every message would fail with fails the route's start instead
            controls = new RequestControls(config, config.keyRouting().credentials());
        }
        healthChecks = HealthCheckHelper.getHealthCheckRepository(getEndpoint().getCamelContext(), "producers",
                WritableHealthCheckRepository.class);
        if (healthChecks != null) {
            healthCheck = new FluxKontextHealthCheck(endpoint, "producer:flux-kontext-" + endpoint.getOperation() + "-"
                                                                + Integer.toHexString(System.identityHashCode(this)));
            healthCheck.setEnabled(endpoint.getComponent().isHealthCheckProducerEnabled());
            healthChecks.addHealthCheck(healthCheck);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (healthChecks != null && healthCheck != null) {
            healthChecks.removeHealthCheck(healthCheck);
        }
        super.doStop();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        ExchangeCompletion completion = new ExchangeCompletion(threads, exchange, callback);
        try {
            switch (operation) {
                case EDIT, TEXT_TO_IMAGE, MULTI, INPAINT -> submit(completion);
                case STATUS -> completion.completeWhenDone(status(exchange));
                case RESULT -> result(completion);
                case CANCEL -> completion.completeWhenDone(cancel(exchange));
            }
            return false;
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
    }

    private void submit(ExchangeCompletion completion) {
        Exchange exchange = completion.exchange();
        // validation first, so bad input never costs an HTTP call (nor waits for a place)
        KontextRequest request = new RequestMapping(config, operation).map(exchange);
        SubmitOptions options = controls.submitOptions(exchange.getMessage());
        endpoint.submitter().submit(exchange.getMessage(), request, options).whenComplete((submission, error) -> {
            if (error != null) {
                completion.complete(null, Futures.unwrap(error));
                return;
            }
            KontextJob job = submission.job();
            // the request id goes on the exchange before anything else can fail: a submitted job is never lost
            ResultMapping.jobHeaders(exchange.getMessage(), job);
            if (config.isWaitForResult()) {
                endpoint.waiter().await(completion, job, submission.place(), submission.justSubmitted());
            } else {
                submission.place().release(); // the job goes on without this component watching it
                completion.complete(message -> message.setBody(job), null);
            }
        });
    }

    private CompletableFuture<Consumer<Message>> status(Exchange exchange) {
        return endpoint.getClient().queue().status(jobOf(exchange), config.isLogs()).thenApply(update -> message -> {
            ResultMapping.jobHeaders(message, update);
            message.setBody(update);
        });
    }

    /** With waitForResult the job is awaited, holding a maxConcurrentJobs place; else it must have completed. */
    private void result(ExchangeCompletion completion) {
        KontextJob job = jobOf(completion.exchange());
        ResultMapping.jobHeaders(completion.exchange().getMessage(), job);
        if (config.isWaitForResult()) {
            endpoint.waiter().awaitSubmitted(completion, job);
        } else {
            endpoint.waiter().fetchOnce(completion, job);
        }
    }

    private CompletableFuture<Consumer<Message>> cancel(Exchange exchange) {
        KontextJob job = jobOf(exchange);
        return endpoint.getClient().queue().cancel(job).thenApply(cancellation -> message -> {
            message.setHeader(FluxKontextConstants.REQUEST_ID, job.requestId());
            message.setHeader(FluxKontextConstants.CANCEL_STATUS, cancellation.status());
            message.setBody(cancellation);
        });
    }

    /**
     * The job for status, result and cancel. The request id comes from the header or the body (a
     * KontextJob or a String); when both are there they must agree, so that an id left over from an
     * earlier call never silently redirects this one. The endpoint id comes from the header, else the
     * KontextJob body, else the endpoint.
     */
    private KontextJob jobOf(Exchange exchange) {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        KontextJob fromBody = body instanceof KontextJob j ? j : null;
        String header = InputValues.string(message.getHeader(FluxKontextConstants.REQUEST_ID), "header " + FluxKontextConstants.REQUEST_ID);
        String inBody = fromBody != null ? fromBody.requestId() : body instanceof CharSequence text ? text.toString().trim() : null;
        if (header != null && inBody != null && !inBody.isBlank() && !header.equals(inBody)) {
            throw new FluxKontextValidationException("request id", "header " + header + " and body " + inBody,
                    "give the job's id once, or the same id in both: remove the header " + FluxKontextConstants.REQUEST_ID
                    + " left by an earlier call, or set it to the body's id");
        }
        String requestId = header != null ? header : inBody;
        if (requestId == null || requestId.isBlank()) {
            throw new FluxKontextValidationException("request id", body == null ? null : body.getClass().getSimpleName() + " body",
                    operation + " needs the job's request id: header " + FluxKontextConstants.REQUEST_ID + ", a KontextJob body or a String body");
        }
        try {
            FalUrls.checkRequestId(requestId);
        } catch (IllegalArgumentException e) {
            throw new FluxKontextValidationException("request id", requestId, e.getMessage());
        }
        String endpointId = InputValues.string(message.getHeader(FluxKontextConstants.ENDPOINT_ID), "header " + FluxKontextConstants.ENDPOINT_ID);
        if (endpointId == null && fromBody != null) {
            endpointId = fromBody.endpointId();
        }
        if (endpointId == null) {
            endpointId = endpoint.getFalEndpointId();
        }
        try {
            endpointId = FalUrls.normalizeEndpointId(endpointId);
        } catch (IllegalArgumentException e) {
            throw new FluxKontextValidationException("endpoint id", endpointId, e.getMessage());
        }
        return fromBody != null ? fromBody.withIds(requestId, endpointId) : KontextJob.of(endpointId, requestId);
    }
}
