package io.github.fluxkontext.example;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.github.fluxkontext.camel.FluxKontextComponent;
import io.github.fluxkontext.camel.FluxKontextConfiguration;
import io.github.fluxkontext.camel.FluxKontextWebhookConsumer;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.FalSimulator;
import io.github.fluxkontext.simulator.JournalEntry;
import io.github.fluxkontext.simulator.WebhookDelivery;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.github.fluxkontext.example.ExampleTestSupport.assertImage;
import static io.github.fluxkontext.example.ExampleTestSupport.fastSettings;
import static io.github.fluxkontext.example.ExampleTestSupport.freePort;
import static io.github.fluxkontext.example.ExampleTestSupport.noKeyEnvironment;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhook mode ({@code --webhook}): the samples wait for the simulator's signed callbacks, which the example's
 * flux-kontext:webhook consumer receives on Camel Main's HTTP server (camel.server.*) and which complete them;
 * nothing polls fal.
 */
class WebhookModeTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} routes")
    @ValueSource(strings = { "java", "yaml" })
    void theSamplesCompleteFromTheirCallbacks(String routes) throws Exception {
        Path out = dir.resolve("output");
        int port = freePort();
        Properties settings = fastSettings(routes, out, dir.resolve("input"));
        settings.putAll(FluxKontextExample.parse(new String[] { "--webhook", "--camel.server.port=" + port }));
        // a poll only after a minute: within the test, only the callbacks can complete the jobs
        settings.setProperty("camel.component.flux-kontext.max-poll-interval", "60s");
        try (ExampleApplication app = new ExampleApplication(settings, noKeyEnvironment())) {
            app.start();
            SamplesEndToEndTest.assertRouteSet(app, routes);

            List<SampleJobs.Outcome> outcomes = app.runSamples(Duration.ofSeconds(30));

            outcomes.forEach(o -> assertTrue(o.succeeded(), o.job().name() + " failed: " + o.failure()));
            assertImage(out.resolve("text-to-image/fox-1.jpg"), "jpeg", 128, 128);
            assertImage(out.resolve("edit/house-1.jpg"), "jpeg", 148, 110);
            assertImage(out.resolve("multi/kite-over-house-1.jpg"), "jpeg", 148, 110);

            FalSimulator sim = app.backend().simulator();
            // our own callbacks only: the simulator's account, and the token of this run's webhook secret in each URL
            FluxKontextConfiguration configuration = app.context().getComponent("flux-kontext", FluxKontextComponent.class)
                    .getConfiguration();
            assertEquals(Backend.SIMULATOR_USER_ID, configuration.getWebhookUserIds());
            assertTrue(configuration.getWebhookSecret().length() >= 32, "a random secret for the run");
            String callbackUrl = "http://localhost:" + port + "/fal/webhook?fluxKontextWaiting=true&fluxKontextToken=";
            for (JournalEntry submit : sim.journal().entries(FalOperation.SUBMIT)) {
                assertTrue(submit.query().contains("fal_webhook=" + URLEncoder.encode(callbackUrl, StandardCharsets.UTF_8)), submit.query());
                assertFalse(submit.query().contains(URLEncoder.encode(configuration.getWebhookSecret(), StandardCharsets.UTF_8)),
                        "the token, never the secret");
            }
            // the simulator notes a delivery once it has the answer, which comes after the exchange went on
            await().atMost(Duration.ofSeconds(5)).until(() -> sim.webhookDeliveries().size() == 5);
            assertTrue(sim.webhookDeliveries().stream().allMatch(WebhookDelivery::delivered), sim.webhookDeliveries().toString());
            assertEquals(0, sim.journal().count(FalOperation.STATUS) + sim.journal().count(FalOperation.RESULT), "nothing polled");
            FluxKontextWebhookConsumer consumer = (FluxKontextWebhookConsumer) app.context().getRoute("webhook").getConsumer();
            assertEquals(5, consumer.getCallbacksCompletingWaits());
        }
    }

    @ParameterizedTest(name = "{0} routes")
    @ValueSource(strings = { "java", "yaml" })
    void withItsPortTakenWebhookModeStopsAndSaysWhy(String routes) throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Properties settings = fastSettings(routes, dir.resolve("output"), dir.resolve("input"));
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            String[] args = { "--webhook", "--camel.server.port=" + taken.getLocalPort() };

            int exit = FluxKontextExample.run(withSettings(args, settings), noKeyEnvironment(), new PrintStream(printed, true, StandardCharsets.UTF_8));

            String output = printed.toString(StandardCharsets.UTF_8);
            assertEquals(1, exit, output);
            assertTrue(output.contains("Cannot start the example: --webhook needs Camel Main's HTTP server, and it cannot listen on port "
                                       + taken.getLocalPort()), output);
            assertFalse(output.contains("jobs succeeded"), "no jobs run: " + output);
        }
    }

    /** Program arguments that also carry the test's settings (as --key=value). */
    private static String[] withSettings(String[] args, Properties settings) {
        List<String> all = new ArrayList<>(List.of(args));
        settings.forEach((key, value) -> all.add("--" + key + "=" + value));
        return all.toArray(String[]::new);
    }
}
