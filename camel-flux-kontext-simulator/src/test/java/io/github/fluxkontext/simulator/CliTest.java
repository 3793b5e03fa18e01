package io.github.fluxkontext.simulator;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    void badOptionsAndHelp() {
        assertNull(FalSimulatorMain.parse(new String[] {"--help"}));
        assertThrows(IllegalArgumentException.class, () -> FalSimulatorMain.parse(new String[] {"--port"}));
        assertThrows(IllegalArgumentException.class, () -> FalSimulatorMain.parse(new String[] {"--port", "x"}));
        assertThrows(IllegalArgumentException.class, () -> FalSimulatorMain.parse(new String[] {"--bogus"}));
    }
}
