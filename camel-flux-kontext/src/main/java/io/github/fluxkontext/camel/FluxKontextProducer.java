package io.github.fluxkontext.camel;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.github.fluxkontext.camel.client.FalQueueClient;
import io.github.fluxkontext.camel.client.Futures;
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
 * checks, fetches or cancels jobs by request id. Each operation builds the change it makes to the
 * message asynchronously; {@link #complete} applies it and hands the exchange back, exactly once.
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
                case STATUS -> complete(exchange, callback, status(exchange));
                case RESULT -> result(exchange, callback);
                case CANCEL -> complete(exchange, callback, cancel(exchange));
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
        FalQueueClient client = endpoint.getClient();
        new InputImageResolver(client, "fal-storage".equals(config.getImageUpload())).toFalInput(request)
                .thenCompose(input -> client.submit(endpointId, input, endpoint.submitOptions()))
                .whenComplete((job, error) -> {
                    if (error != null) {
                        complete(exchange, callback, CompletableFuture.failedFuture(error));
                        return;
                    }
                    // the request id goes on the exchange before anything else can fail: a submitted job is never lost
                    FluxKontextOutput.jobHeaders(exchange.getMessage(), job);
                    if (!config.isWaitForResult()) {
                        complete(exchange, callback, CompletableFuture.completedFuture(message -> message.setBody(job)));
                        return;
                    }
                    // start() ends the wait itself on any error, exactly once
                    new JobWait(endpoint, output(client), exchange, callback, job).start(JobWait.firstPollDelay(config));
                });
    }

    private CompletableFuture<Consumer<Message>> status(Exchange exchange) {
        return endpoint.getClient().status(jobOf(exchange), config.isLogs()).thenApply(update -> message -> {
            FluxKontextOutput.jobHeaders(message, update);
            message.setBody(update);
        });
    }

    /** With waitForResult the job is awaited (from its first status poll on); else it must have completed. */
    private void result(Exchange exchange, AsyncCallback callback) {
        KontextJob job = jobOf(exchange);
        FalQueueClient client = endpoint.getClient();
        FluxKontextOutput.jobHeaders(exchange.getMessage(), job);
        if (config.isWaitForResult()) {
            new JobWait(endpoint, output(client), exchange, callback, job).start(0);
            return;
        }
        complete(exchange, callback, client.status(job, false).thenCompose(update -> {
            if (update.status() != KontextStatus.COMPLETED) {
                return CompletableFuture.completedFuture(message -> {
                    FluxKontextOutput.jobHeaders(message, update);
                    throw new FluxKontextException("Job " + update.requestId() + " has not completed yet (status "
                                                   + update.status() + "); call flux-kontext:result again later, or with"
                                                   + " waitForResult=true to wait", update.requestId(), update.status(), null);
                });
            }
            if (update.error() != null) {
                return JobWait.jobFailure(client, update).thenApply(failure -> message -> {
                    throw failure;
                });
            }
            return client.result(update).thenCompose(output(client)::prepare);
        }));
    }

    private CompletableFuture<Consumer<Message>> cancel(Exchange exchange) {
        KontextJob job = jobOf(exchange);
        return endpoint.getClient().cancel(job).thenApply(cancellation -> message -> {
            message.setHeader(FluxKontextConstants.REQUEST_ID, job.requestId());
            message.setHeader(FluxKontextConstants.CANCEL_STATUS, cancellation.status());
            message.setBody(cancellation);
        });
    }

    /**
     * Ends the exchange once the change is ready: applies it to the message (a change may also throw,
     * which fails the exchange), or sets the error; then hands the exchange back to Camel, on a thread
     * of the route-continuation pool.
     */
    private void complete(Exchange exchange, AsyncCallback callback, CompletableFuture<Consumer<Message>> change) {
        change.whenComplete((apply, error) -> {
            Runnable continuation = () -> {
                try {
                    if (error != null) {
                        exchange.setException(Futures.unwrap(error));
                    } else {
                        apply.accept(exchange.getMessage());
                    }
                } catch (RuntimeException e) {
                    exchange.setException(e);
                } finally {
                    callback.done(false);
                }
            };
            endpoint.continueRoute(continuation);
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
        if (fromBody != null) {
            return new KontextJob(requestId, endpointId, fromBody.status(), fromBody.queuePosition(), fromBody.statusUrl(),
                    fromBody.responseUrl(), fromBody.cancelUrl(), fromBody.logs(), fromBody.error(), fromBody.errorType(),
                    fromBody.inferenceTime());
        }
        return KontextJob.of(endpointId, requestId);
    }

    private FluxKontextOutput output(FalQueueClient client) {
        return new FluxKontextOutput(client, config.getOutputType());
    }
}
