package io.github.fluxkontext.camel.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;

/**
 * Sends one request on the non-blocking HTTP client and hands the answer to the callback executor
 * (never to an I/O reactor thread, so slow work downstream cannot stall the client).
 * <p>
 * It is the only place that adds credentials, and it adds them only to a hop whose origin is the
 * request's {@code credentialsOrigin} (the base URL's for the queue API, the storage URL's for an upload):
 * a {@code status_url} on a foreign host, an image download, a redirect to another origin never carry
 * the key. Redirects are followed here, for GET only, so that this check applies to every hop.
 */
final class FalHttpTransport {

    private static final int MAX_REDIRECTS = 5;

    private final CloseableHttpAsyncClient http;
    private final String authorization;
    private final String userAgent;
    private final Executor callbackExecutor;

    /**
     * @param authorization the full Authorization header value, or null to send none
     */
    FalHttpTransport(CloseableHttpAsyncClient http, String authorization, String userAgent, Executor callbackExecutor) {
        this.http = http;
        this.authorization = authorization;
        this.userAgent = userAgent;
        this.callbackExecutor = callbackExecutor;
    }

    CompletableFuture<FalResponse> send(FalRequest request) {
        CompletableFuture<FalResponse> answer = new CompletableFuture<>();
        send(request, 0, answer);
        return answer;
    }

    /** Whether this hop of the request may carry the credentials. */
    private static boolean mayAuthenticate(FalRequest request) {
        return request.credentialsOrigin() != null && request.credentialsOrigin().equals(FalUrls.origin(request.url()));
    }

    private void send(FalRequest request, int redirects, CompletableFuture<FalResponse> answer) {
        AsyncRequestProducer producer;
        try {
            producer = toProducer(request);
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
            return;
        }
        http.execute(producer, new BoundedResponseConsumer(request.maxBytes()), new FutureCallback<>() {
            @Override
            public void completed(FalResponse response) {
                String location = response.header("location");
                if (isRedirect(response.statusCode()) && location != null && "GET".equals(request.method())
                    && redirects < MAX_REDIRECTS) {
                    String target;
                    try {
                        target = new URI(request.url()).resolve(location).toString();
                    } catch (URISyntaxException | IllegalArgumentException e) {
                        deliver(answer, null, new IllegalStateException("Malformed redirect location '" + location + "' from " + request.url(), e));
                        return;
                    }
                    send(request.redirectedTo(target), redirects + 1, answer);
                    return;
                }
                deliver(answer, response, null);
            }

            @Override
            public void failed(Exception ex) {
                deliver(answer, null, ex);
            }

            @Override
            public void cancelled() {
                deliver(answer, null, new CancellationException("HTTP request cancelled: " + request));
            }
        });
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
        if (authorization != null && mayAuthenticate(request)) {
            builder.setHeader("Authorization", authorization);
        }
        if (request.body() != null) {
            builder.setEntity(AsyncEntityProducers.create(request.body(),
                    ContentType.parse(request.contentType() != null ? request.contentType() : "application/octet-stream")));
        }
        return builder.build();
    }

    private void deliver(CompletableFuture<FalResponse> answer, FalResponse response, Throwable error) {
        try {
            callbackExecutor.execute(() -> {
                if (error != null) {
                    answer.completeExceptionally(error);
                } else {
                    answer.complete(response);
                }
            });
        } catch (RejectedExecutionException stopped) {
            // the executor is shutting down: complete here so nobody waits forever
            answer.completeExceptionally(error != null ? error : stopped);
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }
}
