package io.github.fluxkontext.camel.client;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;

import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.reactor.IOReactorStatus;
import org.apache.hc.core5.util.Timeout;

/**
 * Sends one request on the non-blocking HTTP client and hands the answer to the callback executor
 * (never to an I/O reactor thread, so slow work downstream cannot stall the client).
 * <p>
 * It is the only place that adds credentials, and it adds them only to a hop whose origin is the
 * request's {@code credentialsOrigin} (the base URL's for the queue API, the storage URL's for an upload):
 * a {@code status_url} on a foreign host, an image download, a redirect to another origin never carry
 * the key. Redirects are followed here, for GET only, so that this check applies to every hop, as does
 * the plain-http rule: every hop is https, or http to loopback, unless {@code allowInsecureHttp}.
 * <p>
 * Cancelling the returned future cancels the request under way.
 */
final class FalHttpTransport {

    private static final int MAX_REDIRECTS = 5;

    private final CloseableHttpAsyncClient http;
    private final FalCredentials credentials;
    private final String userAgent;
    private final Executor callbackExecutor;
    private final boolean allowInsecureHttp;

    FalHttpTransport(CloseableHttpAsyncClient http, FalCredentials credentials, String userAgent, Executor callbackExecutor,
                     boolean allowInsecureHttp) {
        this.http = http;
        this.credentials = credentials;
        this.userAgent = userAgent;
        this.callbackExecutor = callbackExecutor;
        this.allowInsecureHttp = allowInsecureHttp;
    }

    CompletableFuture<FalResponse> send(FalRequest request) {
        CompletableFuture<FalResponse> answer = new CompletableFuture<>();
        send(request, 0, answer);
        return answer;
    }

    private void send(FalRequest request, int redirects, CompletableFuture<FalResponse> answer) {
        if (!FalUrls.isAllowedTarget(request.url(), allowInsecureHttp)) {
            answer.completeExceptionally(new IllegalArgumentException("Refused to send " + request + ": only https, or plain http to"
                                                                      + " loopback, unless allowInsecureHttp=true"));
            return;
        }
        Future<FalResponse> underWay;
        try {
            underWay = http.execute(toProducer(request), new BoundedResponseConsumer(request.maxBytes()), new FutureCallback<>() {
                @Override
                public void completed(FalResponse response) {
                    String location = response.header("location");
                    if (isRedirect(response.statusCode()) && location != null && "GET".equals(request.method())
                        && redirects < MAX_REDIRECTS) {
                        redirect(request, location, redirects, answer);
                    } else {
                        deliver(answer, response, null);
                    }
                }

                @Override
                public void failed(Exception ex) {
                    deliver(answer, null, explained(ex, request));
                }

                @Override
                public void cancelled() {
                    deliver(answer, null, explained(new CancellationException("HTTP request cancelled: " + request), request));
                }
            });
        } catch (RuntimeException e) {
            answer.completeExceptionally(explained(e, request));
            return;
        }
        answer.whenComplete((response, error) -> {
            if (answer.isCancelled()) {
                underWay.cancel(true);
            }
        });
    }

    /**
     * Opens a long-lived GET (a status stream) whose answer goes to {@code consumer} as it arrives: no
     * redirects, no retries (the caller falls back to polling instead), and {@code idleTimeout} bounds the
     * silence between two reads. Cancel the returned future to close it.
     *
     * @throws IllegalArgumentException when the URL is not an allowed target
     */
    Future<Void> stream(FalRequest request, AsyncResponseConsumer<Void> consumer, Timeout idleTimeout, FutureCallback<Void> callback) {
        if (!FalUrls.isAllowedTarget(request.url(), allowInsecureHttp)) {
            throw new IllegalArgumentException("Refused to open " + request + ": only https, or plain http to loopback, unless"
                                               + " allowInsecureHttp=true");
        }
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(RequestConfig.custom().setResponseTimeout(idleTimeout).setConnectionRequestTimeout(idleTimeout).build());
        // a connection of its own, never shared (ConnectionPools says why); on a client the user handed in, the token
        // still keeps the stream off shared HTTP/2 connections: HttpClient shares them only among requests without one
        context.setUserToken(ConnectionPools.STATUS_STREAM);
        return http.execute(toProducer(request), consumer, null, context, new FutureCallback<>() {
            @Override
            public void completed(Void result) {
                callback.completed(result);
            }

            @Override
            public void failed(Exception ex) {
                callback.failed(explained(ex, request));
            }

            @Override
            public void cancelled() {
                callback.cancelled();
            }
        });
    }

    /**
     * HttpClient refuses a request (cancelled, "pool shut down", or thrown at once) when it was closed or never
     * started: then the request was not sent, and trying again cannot help, so the error says so.
     */
    private Exception explained(Exception error, FalRequest request) {
        if (http.getStatus() == IOReactorStatus.ACTIVE || error instanceof IOException) {
            return error; // an I/O failure may have happened after the request left: the caller must know that
        }
        return new IllegalStateException("The HTTP client is not running (" + http.getStatus() + "; closed or never started): "
                                         + request + " failed", error);
    }

    private void redirect(FalRequest request, String location, int redirects, CompletableFuture<FalResponse> answer) {
        String target;
        try {
            target = new URI(request.url()).resolve(location).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            deliver(answer, null, new IllegalStateException("Malformed redirect location '" + FalUrls.redact(location) + "' from "
                                                            + request, e));
            return;
        }
        send(request.redirectedTo(target), redirects + 1, answer);
    }

    private AsyncRequestProducer toProducer(FalRequest request) {
        AsyncRequestBuilder builder = AsyncRequestBuilder.create(request.method()).setUri(request.url());
        builder.addHeader("Accept", "application/json");
        if (userAgent != null) {
            builder.addHeader("User-Agent", userAgent);
        }
        for (Map.Entry<String, String> header : request.headers().entrySet()) {
            builder.setHeader(header.getKey(), header.getValue());
        }
        String authorization = mayAuthenticate(request) ? credentials.authorizationFor(request.credentialsOrigin()) : null;
        if (authorization != null) {
            builder.setHeader("Authorization", authorization);
        }
        if (request.body() != null) {
            builder.setEntity(AsyncEntityProducers.create(request.body(),
                    ContentType.parse(request.contentType() != null ? request.contentType() : "application/octet-stream")));
        }
        return builder.build();
    }

    /** Whether this hop of the request may carry the credentials. */
    private static boolean mayAuthenticate(FalRequest request) {
        return request.credentialsOrigin() != null && request.credentialsOrigin().equals(FalUrls.origin(request.url()));
    }

    /** Completes the answer on the callback executor; here, once that has shut down, so that nobody waits forever. */
    private void deliver(CompletableFuture<FalResponse> answer, FalResponse response, Throwable error) {
        RunOrHere.run(callbackExecutor, () -> {
            if (error != null) {
                answer.completeExceptionally(error);
            } else {
                answer.complete(response);
            }
        });
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }
}
