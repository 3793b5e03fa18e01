package io.github.fluxkontext.camel;

import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.util.concurrent.CamelThreadFactory;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/** Builds the non-blocking Apache HttpClient 5 an endpoint uses when none is handed in. */
final class FluxKontextHttpClients {

    /** Two I/O threads serve thousands of waiting jobs: they only move bytes, all other work runs elsewhere. */
    private static final int IO_THREADS = 2;

    private FluxKontextHttpClients() {
    }

    static CloseableHttpAsyncClient create(FluxKontextConfiguration configuration, CamelContext camelContext) throws Exception {
        Timeout connectTimeout = Timeout.ofMilliseconds(configuration.getConnectTimeout());
        Timeout requestTimeout = Timeout.ofMilliseconds(configuration.getRequestTimeout());
        PoolingAsyncClientConnectionManagerBuilder connections = PoolingAsyncClientConnectionManagerBuilder.create()
                .setMaxConnTotal(configuration.getMaxTotalConnections())
                .setMaxConnPerRoute(configuration.getConnectionsPerRoute())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(connectTimeout)
                        // a pooled connection the server has closed meanwhile must not take a submit with it
                        // (a POST on a dead connection ends with an unknown outcome and is not retried)
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .build());
        SSLContextParameters ssl = configuration.getSslContextParameters();
        if (ssl != null) {
            // DefaultClientTlsStrategy exists from HttpClient 5.1 on; ClientTlsStrategyBuilder.buildAsync() only from 5.5,
            // and Karaf's camel-karaf 4.14 ships HttpClient 5.4
            connections.setTlsStrategy(new DefaultClientTlsStrategy(ssl.createSSLContext(camelContext)));
        }
        String threadNames = camelContext.getExecutorServiceManager().getThreadNamePattern();
        HttpAsyncClientBuilder builder = HttpAsyncClients.custom()
                .setConnectionManager(connections.build())
                .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(IO_THREADS).build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(requestTimeout)
                        .setConnectionRequestTimeout(requestTimeout)
                        .build())
                .setThreadFactory(new CamelThreadFactory(threadNames, "FluxKontextHttp", true))
                // one retry policy (RetryPolicy) and one redirect rule (credentials stay on their origin)
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .evictExpiredConnections()
                .evictIdleConnections(TimeValue.ofSeconds(30));
        if (configuration.getProxyHost() != null) {
            builder.setProxy(new HttpHost(configuration.getProxyHost(), configuration.getProxyPort()));
        }
        return builder.build();
    }
}
