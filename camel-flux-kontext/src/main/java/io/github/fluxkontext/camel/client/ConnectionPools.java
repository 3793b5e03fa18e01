package io.github.fluxkontext.camel.client;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.nio.AsyncClientConnectionManager;
import org.apache.hc.client5.http.nio.AsyncConnectionEndpoint;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.ConnectionInitiator;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The connections of one HTTP client in two pools: one for status streams, one for every other request. A
 * request goes to the streams' pool when its context carries {@link #STATUS_STREAM} as its user token, which
 * {@link FalHttpTransport} sets on each status stream (the token is the state HttpClient leases and releases
 * a connection with).
 * <p>
 * A status stream holds its connection for as long as its job waits, so it must neither share one nor take
 * one that others need. Shared over HTTP/2, HttpClient 5 would queue a stream beyond the peer's
 * {@code SETTINGS_MAX_CONCURRENT_STREAMS} on the connection, unsent until another stream ends (HttpClient
 * does not tell its caller that limit, so no caller can keep under it), and the submits, polls and
 * result requests behind it would wait too. In a pool of their own the streams cannot delay those, and
 * the streams' pool does not share connections: each stream has a connection of its own, which no peer limit
 * (at least 1) can hold back. The streams' pool is also where a stream's connection can be made cheap
 * (HTTP/1.1 even on a host that offers HTTP/2: a single stream gains nothing from HTTP/2's framing, whose
 * buffers cost 32 KB a connection), while the other pool keeps HTTP/2 for everything else.
 * <p>
 * Each connection goes back to the pool it came from; {@link #closeIdle} and {@link #closeExpired} reach both.
 */
public final class ConnectionPools implements AsyncClientConnectionManager {

    /** The user token of a status stream's request: it sends the request to the streams' pool. */
    public static final Object STATUS_STREAM = new Object() {
        @Override
        public String toString() {
            return "status stream";
        }
    };

    private final PoolingAsyncClientConnectionManager requests;
    private final PoolingAsyncClientConnectionManager streams;
    /** The connections leased from the streams' pool and not released yet. */
    private final Set<AsyncConnectionEndpoint> leasedForStreams = ConcurrentHashMap.newKeySet();

    /**
     * @param requests the pool of every request but status streams
     * @param streams  the pool of status streams: connections not shared (no HTTP/2 multiplexing), as many as
     *                 streams may be open at once
     */
    public ConnectionPools(PoolingAsyncClientConnectionManager requests, PoolingAsyncClientConnectionManager streams) {
        this.requests = requests;
        this.streams = streams;
    }

    @Override
    public Future<AsyncConnectionEndpoint> lease(String id, HttpRoute route, Object state, Timeout requestTimeout,
                                                 FutureCallback<AsyncConnectionEndpoint> callback) {
        if (state != STATUS_STREAM) {
            return requests.lease(id, route, state, requestTimeout, callback);
        }
        return streams.lease(id, route, state, requestTimeout, new FutureCallback<>() {
            @Override
            public void completed(AsyncConnectionEndpoint endpoint) {
                leasedForStreams.add(endpoint); // before anyone can use it, so its release finds its pool
                if (callback != null) {
                    callback.completed(endpoint);
                }
            }

            @Override
            public void failed(Exception ex) {
                if (callback != null) {
                    callback.failed(ex);
                }
            }

            @Override
            public void cancelled() {
                if (callback != null) {
                    callback.cancelled();
                }
            }
        });
    }

    @Override
    public void release(AsyncConnectionEndpoint endpoint, Object newState, TimeValue validDuration) {
        (leasedForStreams.remove(endpoint) ? streams : requests).release(endpoint, newState, validDuration);
    }

    @Override
    public Future<AsyncConnectionEndpoint> connect(AsyncConnectionEndpoint endpoint, ConnectionInitiator connectionInitiator, Timeout connectTimeout,
                                                   Object attachment, HttpContext context, FutureCallback<AsyncConnectionEndpoint> callback) {
        return poolOf(endpoint).connect(endpoint, connectionInitiator, connectTimeout, attachment, context, callback);
    }

    @Override
    public void upgrade(AsyncConnectionEndpoint endpoint, Object attachment, HttpContext context) {
        poolOf(endpoint).upgrade(endpoint, attachment, context);
    }

    @Override
    public void upgrade(AsyncConnectionEndpoint endpoint, Object attachment, HttpContext context, FutureCallback<AsyncConnectionEndpoint> callback) {
        poolOf(endpoint).upgrade(endpoint, attachment, context, callback);
    }

    /** Closes the connections of both pools that have been idle for longer than {@code idleTime}. */
    public void closeIdle(TimeValue idleTime) {
        requests.closeIdle(idleTime);
        streams.closeIdle(idleTime);
    }

    /** Closes the connections of both pools whose time to live is over. */
    public void closeExpired() {
        requests.closeExpired();
        streams.closeExpired();
    }

    @Override
    public void close(CloseMode closeMode) {
        try {
            streams.close(closeMode);
        } finally {
            requests.close(closeMode);
        }
    }

    @Override
    public void close() {
        close(CloseMode.GRACEFUL);
    }

    private PoolingAsyncClientConnectionManager poolOf(AsyncConnectionEndpoint endpoint) {
        return leasedForStreams.contains(endpoint) ? streams : requests;
    }
}
