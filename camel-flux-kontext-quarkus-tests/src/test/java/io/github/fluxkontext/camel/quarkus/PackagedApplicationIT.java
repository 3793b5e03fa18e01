package io.github.fluxkontext.camel.quarkus;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.FalSimulator;
import io.github.fluxkontext.simulator.JournalEntry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The packaged application (target/quarkus-app/quarkus-run.jar, made by quarkus:build) started once as a process
 * of its own, in Quarkus' prod profile, as it is deployed: its key from FAL_KEY in its environment (the failsafe
 * configuration), fal's URL from the test resource (a system property of the process). Asked over HTTP for an
 * image, it answers with one that the simulator made.
 */
@QuarkusIntegrationTest
@WithTestResource(FalSimulatorResource.class)
class PackagedApplicationIT {

    @TestHTTPResource("/paint")
    URL paint;

    FalSimulator simulator;

    @Test
    void theRunningApplicationAnswersWithAnImage() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(paint.toURI()).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString("A lighthouse at dusk, packaged")).build();

        HttpResponse<byte[]> answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(200, answer.statusCode(), () -> new String(answer.body()));
        assertEquals("image/png", answer.headers().firstValue("Content-Type").orElse(""), "output-format=png from application.properties");
        TestImages.assertPng(answer.body(), 16, 9);
        List<JournalEntry> submits = simulator.journal().entries(FalOperation.SUBMIT);
        assertEquals(1, submits.size(), submits.toString());
        assertEquals("A lighthouse at dusk, packaged", submits.get(0).bodyAsJson().get("prompt"));
        assertEquals("Bearer " + FalSimulatorResource.KEY, submits.get(0).header("Authorization"),
                "the key from the process' FAL_KEY");
    }
}
