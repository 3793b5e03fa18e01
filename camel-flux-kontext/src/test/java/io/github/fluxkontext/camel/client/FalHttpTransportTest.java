package io.github.fluxkontext.camel.client;

import java.util.Map;

import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.io.CloseMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Credentials stay on their origin, hop by hop. */
class FalHttpTransportTest {

    private static final String AUTH = "Key id:secret";

    private CloseableHttpAsyncClient http;
    private RecordingServer other;
    private RecordingServer api;

    @BeforeEach
    void start() {
        http = HttpAsyncClients.custom().disableRedirectHandling().build();
        http.start();
        other = new RecordingServer(exchange -> new RecordingServer.Answer(200, Map.of("Content-Type", "application/json"), "{\"ok\":true}"));
        api = new RecordingServer(exchange -> exchange.getRequestURI().getPath().startsWith("/away")
                ? new RecordingServer.Answer(302, Map.of("Location", other.baseUrl() + "/landed"), "")
                : new RecordingServer.Answer(302, Map.of("Location", "/here"), ""));
    }

    @AfterEach
    void stop() {
        http.close(CloseMode.IMMEDIATE);
        api.close();
        other.close();
    }

    private FalHttpTransport transport() {
        return new FalHttpTransport(http, FalCredentials.none().with(api.baseUrl(), AuthScheme.KEY, "id:secret"), "test", Runnable::run, false);
    }

    /** The credentials of a queue API call may go to the API's origin only. */
    private String apiOrigin() {
        return FalUrls.origin(api.baseUrl());
    }

    @Test
    void aRedirectToAnotherOriginLosesTheCredentials() {
        FalResponse response = transport().send(new FalRequest("GET", api.baseUrl() + "/away", null, null, Map.of(), apiOrigin(), 10_000)).join();

        assertEquals(200, response.statusCode());
        assertEquals(AUTH, api.received().get(0).authorization(), "the configured origin gets the key");
        assertEquals("/landed", other.received().get(0).path());
        assertNull(other.received().get(0).authorization(), "the other origin does not");
    }

    @Test
    void aRequestToAForeignUrlCarriesNoCredentials() {
        transport().send(new FalRequest("GET", other.baseUrl() + "/status", null, null, Map.of(), apiOrigin(), 10_000)).join();

        assertNull(other.received().get(0).authorization());
    }

    @Test
    void aDownloadCarriesNoCredentialsEvenOnTheConfiguredOrigin() {
        transport().send(new FalRequest("GET", api.baseUrl() + "/away", null, null, Map.of(), null, 10_000)).join();

        assertNull(api.received().get(0).authorization());
        assertNull(other.received().get(0).authorization());
    }

    @Test
    void aPostIsNeverRedirected() {
        FalResponse response = transport().send(new FalRequest("POST", api.baseUrl() + "/away", "{}".getBytes(), "application/json",
                Map.of(), apiOrigin(), 10_000)).join();

        assertEquals(302, response.statusCode());
        assertEquals(0, other.received().size());
    }

    @Test
    void redirectsAreBounded() {
        // /here redirects to /here forever
        FalResponse response = transport().send(new FalRequest("GET", api.baseUrl() + "/here", null, null, Map.of(), apiOrigin(), 10_000)).join();

        assertEquals(302, response.statusCode());
        assertEquals(6, api.received().size(), "the first request and five redirects");
    }
}
