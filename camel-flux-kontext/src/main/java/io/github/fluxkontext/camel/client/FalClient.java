package io.github.fluxkontext.camel.client;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;

/**
 * A fal client on a non-blocking HTTP client, made of the {@link #queue()} and the {@link #storage()}
 * (as fal's JS client's {@code createFalClient} is). They share one retry loop; {@link #close()} ends
 * every call under way. Knows nothing of Camel.
 */
public final class FalClient implements AutoCloseable {

    private final FalCalls calls;
    private final FalQueueClient queue;
    private final FalStorage storage;

    /**
     * @param http             a started async client; the caller owns it (starts and closes it)
     * @param scheduler        runs the retry delays
     * @param callbackExecutor completes the futures (so callers never run on I/O threads)
     */
    public FalClient(FalClientSettings settings, CloseableHttpAsyncClient http, ScheduledExecutorService scheduler,
                     Executor callbackExecutor, ObjectMapper mapper) {
        FalHttpTransport transport = new FalHttpTransport(http, settings.credentials(), settings.userAgent(), callbackExecutor,
                settings.allowInsecureHttp());
        FalResponseReader reader = new FalResponseReader(mapper, settings.retryPolicy(), settings.credentials());
        this.calls = new FalCalls(transport, settings.retryPolicy(), scheduler);
        this.queue = new FalQueueClient(settings, calls, reader, callbackExecutor);
        this.storage = new FalStorage(settings, calls, reader, callbackExecutor);
    }

    /** Submit, status, result, cancel. */
    public FalQueueClient queue() {
        return queue;
    }

    /** Uploads of input images, downloads of generated ones. */
    public FalStorage storage() {
        return storage;
    }

    /**
     * A verifier of fal's webhook callbacks whose keys come from {@code jwksUrl}, fetched through this client
     * without credentials (one attempt each, bounded in size) and cached.
     *
     * @param tolerance how far a callback's timestamp may be from now, either way
     */
    public FalWebhookVerifier webhookVerifier(String jwksUrl, Duration tolerance) {
        FalWebhookKeys keys = new FalWebhookKeys(jwksUrl, request -> calls.send(CallKind.JWKS, request), Clock.systemUTC(),
                FalWebhookVerifier.MIN_REFETCH_INTERVAL);
        return new FalWebhookVerifier(keys, tolerance, Clock.systemUTC());
    }

    /** Retries made so far, over all calls. */
    public long retryCount() {
        return calls.retryCount();
    }

    /** Calls under way (sent, or waiting to be retried). */
    public int pendingCalls() {
        return calls.pendingCalls();
    }

    /**
     * Ends every call under way: a call waiting for its retry is not sent again (for a submit: no job
     * was created by it), a call in flight fails as broken (for a submit: a job may exist). New calls
     * fail at once. Does not close the HTTP client.
     */
    @Override
    public void close() {
        calls.close();
    }
}
