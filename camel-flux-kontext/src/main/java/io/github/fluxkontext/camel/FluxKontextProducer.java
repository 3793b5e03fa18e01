package io.github.fluxkontext.camel;

import java.util.concurrent.CompletionException;

import io.github.fluxkontext.camel.client.FalQueueClient;
import io.github.fluxkontext.camel.client.FalUrls;
import io.github.fluxkontext.camel.model.FluxKontextException;
import io.github.fluxkontext.camel.model.FluxKontextValidationException;
import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextRequest;
import io.github.fluxkontext.camel.model.KontextStatus;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * The asynchronous producer: submits Kontext jobs, waits for them without holding a thread, and
 * checks, fetches or cancels jobs by request id.
 */
public class FluxKontextProducer extends DefaultAsyncProducer {

    private final FluxKontextEndpoint endpoint;
    private final FluxKontextConfiguration config;
    private final FluxKontextOperation operation;

    public FluxKontextProducer(FluxKontextEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.config = endpoint.getConfiguration();
        this.operation = endpoint.getOperationKind();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        try {
            switch (operation) {
                case EDIT, TEXT_TO_IMAGE, MULTI -> submit(exchange, callback);
                case STATUS -> status(exchange, callback);
                case RESULT -> result(exchange, callback);
                case CANCEL -> cancel(exchange, callback);
                default -> throw new IllegalStateException("Unsupported operation " + operation);
            }
            return false;
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
    }

    private void submit(Exchange exchange, AsyncCallback callback) {
        // validation first, so bad input never costs an HTTP call
        KontextRequest request = new FluxKontextRequestMapper(config, operation.task()).map(exchange);
        String endpointId = endpoint.getFalEndpointId();
        FalQueueClient client = client();
        new InputImageResolver(client, "fal-storage".equals(config.getImageUpload())).toFalInput(request)
                .thenCompose(input -> client.submit(endpointId, input, endpoint.submitOptions()))
                .whenComplete((job, error) -> {
                    if (error != null) {
                        fail(exchange, callback, error);
                        return;
                    }
                    // the request id goes on the exchange before anything else can fail: a submitted job is never lost
                    FluxKontextOutput.jobHeaders(exchange.getMessage(), job);
                    if (config.isWaitForResult()) {
                        new JobWait(endpoint, output(), exchange, callback, job).start(JobWait.firstPollDelay(config));
                    } else {
                        exchange.getMessage().setBody(job);
                        callback.done(false);
                    }
                });
    }

    private void status(Exchange exchange, AsyncCallback callback) {
        KontextJob job = jobOf(exchange);
        client().status(job, config.isLogs()).whenComplete((update, error) -> {
            if (error != null) {
                fail(exchange, callback, error);
                return;
            }
            FluxKontextOutput.jobHeaders(exchange.getMessage(), update);
            exchange.getMessage().setBody(update);
            callback.done(false);
        });
    }

    /** With waitForResult the job is awaited (from its first status poll on); else it must have completed. */
    private void result(Exchange exchange, AsyncCallback callback) {
        KontextJob job = jobOf(exchange);
        FluxKontextOutput.jobHeaders(exchange.getMessage(), job);
        if (config.isWaitForResult()) {
            new JobWait(endpoint, output(), exchange, callback, job).start(0);
            return;
        }
        client().status(job, false).thenCompose(update -> {
            FluxKontextOutput.jobHeaders(exchange.getMessage(), update);
            if (update.status() != KontextStatus.COMPLETED) {
                throw new FluxKontextException("Job " + update.requestId() + " has not completed yet (status " + update.status()
                                               + "); call flux-kontext:result again later, or with waitForResult=true to wait",
                        update.requestId(), update.status(), null);
            }
            if (update.error() != null) {
                return JobWait.jobFailure(client(), update).thenAccept(failure -> {
                    throw failure;
                });
            }
            return client().result(update).thenCompose(result -> output().apply(exchange, result));
        }).whenComplete((done, error) -> {
            if (error != null) {
                fail(exchange, callback, error);
            } else {
                callback.done(false);
            }
        });
    }

    private void cancel(Exchange exchange, AsyncCallback callback) {
        KontextJob job = jobOf(exchange);
        client().cancel(job).whenComplete((cancellation, error) -> {
            if (error != null) {
                fail(exchange, callback, error);
                return;
            }
            Message message = exchange.getMessage();
            message.setHeader(FluxKontextConstants.REQUEST_ID, job.requestId());
            message.setHeader(FluxKontextConstants.CANCEL_STATUS, cancellation.status());
            message.setBody(cancellation);
            callback.done(false);
        });
    }

    /**
     * The job for status, result and cancel: request id from the header, else from a KontextJob or
     * String body; endpoint id from the header, else the KontextJob body, else the endpoint's.
     */
    private KontextJob jobOf(Exchange exchange) {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        KontextJob fromBody = body instanceof KontextJob j ? j : null;
        String requestId = InputValues.string(message.getHeader(FluxKontextConstants.REQUEST_ID), "header " + FluxKontextConstants.REQUEST_ID);
        if (requestId == null) {
            requestId = fromBody != null ? fromBody.requestId() : body instanceof CharSequence text ? text.toString().trim() : null;
        }
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
        if (fromBody != null && fromBody.requestId().equals(requestId)) {
            return new KontextJob(requestId, endpointId, fromBody.status(), fromBody.queuePosition(), fromBody.statusUrl(),
                    fromBody.responseUrl(), fromBody.cancelUrl(), fromBody.logs(), fromBody.error(), fromBody.errorType(),
                    fromBody.inferenceTime());
        }
        return KontextJob.of(endpointId, requestId);
    }

    private FalQueueClient client() {
        FalQueueClient client = endpoint.getClient();
        if (client == null) {
            throw new IllegalStateException(endpoint + " is not started");
        }
        return client;
    }

    private FluxKontextOutput output() {
        return new FluxKontextOutput(client(), config.getOutputType());
    }

    private static void fail(Exchange exchange, AsyncCallback callback, Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        exchange.setException(cause);
        callback.done(false);
    }
}
