package io.github.fluxkontext.simulator;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {

    @Test
    void durationsAcceptUnitsAndPlainMillis() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(2), Durations.parse("2s"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
        assertEquals(Duration.ofMinutes(1), Durations.parse("1m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertEquals(Duration.ofMillis(250), Durations.parse("250"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("soon"));
    }

    @Test
    void optionsConfigureTheSimulator() {
        FalSimulatorBuilder b = FalSimulatorMain.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
                "--key", "k:s", "--queue-time", "10ms", "--run-time", "20ms", "--runners", "2",
                "--image-scale", "0.125", "--result-ttl", "1m", "--sse-keep-alive", "1s", "--validate-at-submit"});
        try (FalSimulator sim = b.start()) {
            assertEquals("k:s", sim.apiKey());
            SimHttp http = new SimHttp(sim, "Key k:s");
            assertEquals(422, http.post("/fal-ai/flux-pro/kontext/text-to-image", "{}").statusCode());
            String id = http.submitId("fal-ai/flux-pro/kontext/text-to-image", "{\"prompt\":\"cli\"}");
            assertEquals(128, SimHttp.images(SimHttp.json(http.result("fal-ai/flux-pro", id))).get(0).get("width"));
        }
        try (FalSimulator sim = FalSimulatorMain.parse(new String[] {"--key", "k", "--any-key"}).start()) {
            assertNull(sim.apiKey());
        }
    }

    @Test
    void webhookOptionsConfigureDeliveries() throws Exception {
        try (FalSimulator sim = FalSimulatorMain.parse(new String[] {"--queue-time", "0", "--run-time", "0",
                "--webhook-user-id", "cli-user", "--webhook-retry-delays", "10ms,20ms", "--webhook-timeout", "2s"}).start();
             WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(r -> 500);
            WebhookTest.submitWithWebhook(sim, receiver.url(), "cli");
            assertEquals("cli-user", receiver.next().header("X-Fal-Webhook-User-Id"));
            // the first attempt and two retries, then no more
            await().atMost(Duration.ofSeconds(5)).until(() -> sim.webhookDeliveries().size() == 3);
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> sim.webhookDeliveries().size() == 3);
        }
        try (FalSimulator sim = FalSimulatorMain.parse(new String[] {"--queue-time", "0", "--run-time", "0",
                "--webhook-retry-delays", "none"}).start();
             WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(r -> 500);
            WebhookTest.submitWithWebhook(sim, receiver.url(), "no retries");
            await().atMost(Duration.ofSeconds(5)).until(() -> sim.webhookDeliveries().size() == 1);
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> sim.webhookDeliveries().size() == 1);
        }
        assertThrows(IllegalArgumentException.class,
                () -> FalSimulatorMain.parse(new String[] {"--webhook-retry-delays", "10ms,soon"}));
    }

    @Test
    void theBannerGivesTheComponentPropertiesThatReachTheSimulator() throws Exception {
        try (FalSimulator sim = FalSimulatorMain.parse(new String[] {"--any-key"}).start()) {
            Properties component = componentLines(FalSimulatorMain.banner(sim.baseUrl(), sim.jwksUrl(), false));

            assertEquals(sim.baseUrl(), component.getProperty("camel.component.flux-kontext.base-url"));
            // the key the banner gives is accepted, and the JWKS URL serves the key the callbacks are signed with
            SimHttp http = new SimHttp(sim, "Key " + component.getProperty("camel.component.flux-kontext.api-key"));
            http.submitId("fal-ai/flux-pro/kontext/text-to-image", "{\"prompt\":\"banner\"}");
            HttpResponse<String> jwks = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(component.getProperty("camel.component.flux-kontext.jwks-url"))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, jwks.statusCode());
            assertTrue(jwks.body().contains("\"Ed25519\""), jwks.body());
        }
    }

    @Test
    void theReadmeShowsTheBannerAsPrinted() throws Exception {
        String banner = FalSimulatorMain.banner("http://127.0.0.1:8765", "http://127.0.0.1:8765/.well-known/jwks.json", false)
                .replace(System.lineSeparator(), "\n");

        assertTrue(Files.readString(Path.of("README.md")).contains("```\n" + banner + "```"), "README.md shows:\n" + banner);
    }

    private static Properties componentLines(String banner) throws Exception {
        Properties properties = new Properties();
        properties.load(new StringReader(banner.lines().map(String::trim).filter(l -> l.startsWith("camel.component."))
                .reduce("", (a, b) -> a + b + "\n")));
        assertEquals(3, properties.size(), banner);
        return properties;
    }

    @Test
    void badOptionsAndHelp() {
        assertNull(FalSimulatorMain.parse(new String[] {"--help"}));
        assertThrows(IllegalArgumentException.class, () -> FalSimulatorMain.parse(new String[] {"--port"}));
        assertThrows(IllegalArgumentException.class, () -> FalSimulatorMain.parse(new String[] {"--port", "x"}));
        assertThrows(IllegalArgumentException.class, () -> FalSimulatorMain.parse(new String[] {"--bogus"}));
    }
}
