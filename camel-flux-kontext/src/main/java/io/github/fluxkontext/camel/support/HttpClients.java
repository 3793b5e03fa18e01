package io.github.fluxkontext.camel.support;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.fluxkontext.camel.FluxKontextConfiguration;
import io.github.fluxkontext.camel.client.ConnectionPools;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.util.concurrent.CamelThreadFactory;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.HttpsSupport;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.reactor.ssl.SSLBufferMode;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The non-blocking Apache HttpClient 5 clients of a component: one per distinct set of connection
 * options, shared by the endpoints that agree on them, reference counted (closed when the last endpoint
 * using it stops). A client of the user's own is handed out as it is, never closed.
 */
public final class HttpClients {

    /** Two I/O threads serve thousands of waiting jobs: they only move bytes, all other work runs elsewhere. */
    private static final int IO_THREADS = 2;
    /** How often idle and expired pooled connections are closed (on the component's scheduler, not a thread of its own). */
    private static final long EVICT_EVERY_SECONDS = 10;
    private static final TimeValue IDLE_LIMIT = TimeValue.ofSeconds(30);
    /** fal's header lines are short; a signed redirect location is a few kilobytes at most. */
    static final int MAX_HEADER_LINE = 16 * 1024;
    static final int MAX_HEADERS = 100;
    /**
     * Each HTTP/1.1 connection keeps three buffers of this size for as long as it lives (bytes read, bytes to
     * write, a body's bytes decoded), 8 KB each by default: 24 KB that an open status stream, idle between
     * its events, would hold for nothing. A status answer or event fits in one; longer bodies take more reads
     * (large uploads are written past the buffer), and a longer header line grows its connection's buffer.
     */
    static final int CONNECTION_BUFFER = 1024;

    /** The options that shape an HTTP client; endpoints that agree on them share one. */
    private record ConnectionSettings(long connectTimeout, long requestTimeout, int maxTotalConnections, int connectionsPerRoute,
                                      String proxyHost, Integer proxyPort, SSLContextParameters sslContextParameters) {

        static ConnectionSettings of(FluxKontextConfiguration c) {
            return new ConnectionSettings(c.getConnectTimeout(), c.getRequestTimeout(), c.getMaxTotalConnections(),
                    c.getConnectionsPerRoute(), c.getProxyHost(), c.getProxyPort(), c.getSslContextParameters());
        }
    }

    private static final class Shared {
        final CloseableHttpAsyncClient client;
        final Future<?> eviction;
        int users;

        Shared(CloseableHttpAsyncClient client, Future<?> eviction) {
            this.client = client;
            this.eviction = eviction;
        }
    }

    private final CamelContext camelContext;
    private final ScheduledExecutorService scheduler;
    private final int streamConnections;
    private final Map<ConnectionSettings, Shared> clients = new HashMap<>();

    /** @param streamConnections the most status streams open at once: the size of each client's pool of stream connections */
    public HttpClients(CamelContext camelContext, ScheduledExecutorService scheduler, int streamConnections) {
        this.camelContext = camelContext;
        this.scheduler = scheduler;
        this.streamConnections = streamConnections;
    }

    /**
     * The HTTP client for these options, started: the user's own (option httpClient), else one shared with the endpoints
     * that agree on the options; give it back with {@link #release}, which leaves a user's own client open.
     */
    public synchronized CloseableHttpAsyncClient acquire(FluxKontextConfiguration configuration) throws Exception {
        if (configuration.getHttpClient() != null) {
            return configuration.getHttpClient();
        }
        ConnectionSettings key = ConnectionSettings.of(configuration);
        Shared shared = clients.get(key);
        if (shared == null) {
            ConnectionPools connections = connectionPools(configuration);
            CloseableHttpAsyncClient client = client(configuration, connections);
            client.start();
            Future<?> eviction = scheduler.scheduleWithFixedDelay(() -> {
                connections.closeExpired();
                connections.closeIdle(IDLE_LIMIT);
            }, EVICT_EVERY_SECONDS, EVICT_EVERY_SECONDS, TimeUnit.SECONDS);
            shared = new Shared(client, eviction);
            clients.put(key, shared);
        }
        shared.users++;
        return shared.client;
    }

    public synchronized void release(CloseableHttpAsyncClient client) {
        clients.entrySet().removeIf(entry -> {
            Shared shared = entry.getValue();
            if (shared.client != client || --shared.users > 0) {
                return false;
            }
            close(shared);
            return true;
        });
    }

    /** How many HTTP clients are open (for tests and monitoring). */
    public synchronized int size() {
        return clients.size();
    }

    public synchronized void closeAll() {
        clients.values().forEach(HttpClients::close);
        clients.clear();
    }

    /**
     * Two pools (ConnectionPools says why): every request but status streams shares connections as configured,
     * over HTTP/2 where the server offers it; each status stream has a connection of its own, over HTTP/1.1, with
     * room for every stream the component lets open.
     */
    private ConnectionPools connectionPools(FluxKontextConfiguration configuration) throws Exception {
        TlsStrategy tls = tlsStrategy(configuration);
        PoolingAsyncClientConnectionManagerBuilder requests = pool(configuration, tls, HttpVersionPolicy.NEGOTIATE)
                .setMaxConnTotal(configuration.getMaxTotalConnections())
                .setMaxConnPerRoute(configuration.getConnectionsPerRoute());
        shareHttp2Connections(requests);
        int streams = Math.max(1, streamConnections); // 0 would mean HttpClient's default; with maxOpenStreams=0 none is leased
        PoolingAsyncClientConnectionManagerBuilder streamPool = pool(configuration, tls, HttpVersionPolicy.FORCE_HTTP_1)
                .setMaxConnTotal(streams)
                .setMaxConnPerRoute(streams);
        return new ConnectionPools(requests.build(), streamPool.build());
    }

    private static PoolingAsyncClientConnectionManagerBuilder pool(FluxKontextConfiguration configuration, TlsStrategy tls,
                                                                   HttpVersionPolicy versions) {
        return PoolingAsyncClientConnectionManagerBuilder.create()
                .setTlsStrategy(tls)
                // NEGOTIATE: HTTP/2 where the server offers it (ALPN on TLS); plain http is HTTP/1.1 anyway
                .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(versions).build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofMilliseconds(configuration.getConnectTimeout()))
                        // a pooled connection the server has closed meanwhile must not take a submit with it
                        // (a POST on a dead connection ends with an unknown outcome and is not retried)
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .build());
    }

    /**
     * TLS whose buffers are taken only while bytes pass (SSLBufferMode.DYNAMIC): HttpClient's default keeps three
     * of about 16 KB for as long as a connection lives, which a waiting stream's connection would hold for nothing.
     * Otherwise HttpClient's defaults: DefaultClientTlsStrategy.createDefault(), and new DefaultClientTlsStrategy(context)
     * for the user's SSLContextParameters. (This constructor exists from HttpClient 5.4 on, which camel-karaf 4.14 ships;
     * ClientTlsStrategyBuilder.buildAsync() only from 5.5.)
     */
    private TlsStrategy tlsStrategy(FluxKontextConfiguration configuration) throws Exception {
        SSLContextParameters ssl = configuration.getSslContextParameters();
        if (ssl == null) {
            return new DefaultClientTlsStrategy(SSLContexts.createDefault(), null, null, SSLBufferMode.DYNAMIC, HostnameVerificationPolicy.BOTH,
                    HttpsSupport.getDefaultHostnameVerifier());
        }
        return new DefaultClientTlsStrategy(ssl.createSSLContext(camelContext), null, null, SSLBufferMode.DYNAMIC,
                HostnameVerificationPolicy.CLIENT, HttpsSupport.getDefaultHostnameVerifier());
    }

    /**
     * Lets requests share an HTTP/2 connection (measured: 40 requests at once on one connection instead of 40).
     * HttpClient 5.5 has the switch; on 5.4 (camel-karaf 4.14) each request keeps a connection of its own,
     * which works too, so its absence is no error.
     */
    private static void shareHttp2Connections(PoolingAsyncClientConnectionManagerBuilder connections) {
        try {
            connections.setMessageMultiplexing(true);
        } catch (NoSuchMethodError olderHttpClient) {
            // HttpClient before 5.5: one connection per request, as on HTTP/1.1
        }
    }

    private CloseableHttpAsyncClient client(FluxKontextConfiguration configuration, ConnectionPools connections) {
        Timeout requestTimeout = Timeout.ofMilliseconds(configuration.getRequestTimeout());
        String threadNames = camelContext.getExecutorServiceManager().getThreadNamePattern();
        HttpAsyncClientBuilder builder = HttpAsyncClients.custom()
                .setConnectionManager(connections)
                .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(IO_THREADS).build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(requestTimeout)
                        .setConnectionRequestTimeout(requestTimeout)
                        .build())
                .setThreadFactory(new CamelThreadFactory(threadNames, "FluxKontextHttp", true))
                // answers' headers are bounded like their bodies: a server cannot fill the heap with them
                .setHttp1Config(Http1Config.custom().setMaxLineLength(MAX_HEADER_LINE).setMaxHeaderCount(MAX_HEADERS)
                        .setBufferSize(CONNECTION_BUFFER).build())
                .setH2Config(H2Config.custom().setMaxHeaderListSize(MAX_HEADER_LINE * MAX_HEADERS).build())
                // one retry policy (RetryPolicy) and one redirect rule (credentials stay on their origin)
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement();
        if (configuration.getProxyHost() != null) {
            builder.setProxy(new HttpHost(configuration.getProxyHost(), configuration.getProxyPort()));
        }
        return builder.build();
    }

    private static void close(Shared shared) {
        shared.eviction.cancel(false);
        // graceful: an immediate close can race the I/O reactor's own event loop (seen as a
        // ConcurrentModificationException in SingleCoreIOReactor)
        shared.client.close(CloseMode.GRACEFUL);
        try {
            shared.client.awaitShutdown(TimeValue.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
