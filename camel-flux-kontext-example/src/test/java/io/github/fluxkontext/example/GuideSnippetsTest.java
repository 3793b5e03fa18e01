package io.github.fluxkontext.example;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.fluxkontext.camel.FluxKontextComponent;
import io.github.fluxkontext.camel.FluxKontextConfiguration;
import io.github.fluxkontext.camel.ledger.FileSubmissionLedger;
import io.github.fluxkontext.camel.model.FluxKontextException;
import io.github.fluxkontext.camel.model.FluxKontextValidationException;
import io.github.fluxkontext.camel.model.KontextCancellation;
import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.FalSimulatorExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.util.function.ThrowingConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.github.fluxkontext.example.ExampleTestSupport.assertImage;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The route snippets of the guide, docs/guide.md (its "Using the component" section), run against the
 * simulator: each YAML block as it stands in the guide, and each Java block as written in this class (the
 * test checks that every line of every Java block of that section is in this file).
 */
class GuideSnippetsTest {

    private static final Path GUIDE = Path.of("..", "docs", "guide.md");
    private static final Path THIS_SOURCE = Path.of("src/test/java/io/github/fluxkontext/example/GuideSnippetsTest.java");

    @RegisterExtension
    static final FalSimulatorExtension FAL = FalSimulatorExtension.create(sim -> sim.runTime(Duration.ofMillis(50)));

    @TempDir
    Path dir;

    private DefaultCamelContext context;
    private ProducerTemplate template;

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
    }

    // ---- the guide's Java snippets, verbatim

    static class TextToImage extends RouteBuilder {
        @Override
        public void configure() {
            from("direct:generate")
                .to("flux-kontext:text-to-image?outputType=bytes&aspectRatio=16:9")
                .to("file:output");
        }
    }

    static class Edit extends RouteBuilder {
        @Override
        public void configure() {
            from("file:inbox?antInclude=*.jpg,*.png")
                .setHeader("CamelFluxKontextPrompt", constant("Turn it into a watercolour painting"))
                .to("flux-kontext:edit?outputType=bytes")
                .to("file:output");
        }
    }

    static class SeveralImages extends RouteBuilder {
        @Override
        public void configure() {
            from("direct:variants")
                .to("flux-kontext:text-to-image?outputType=bytes&numImages=4")
                .split(body())
                    .setHeader("CamelFileName", simple("${header.CamelFluxKontextRequestId}-${exchangeProperty.CamelSplitIndex}.jpg"))
                    .to("file:output");
        }
    }

    static class Multi extends RouteBuilder {
        @Override
        public void configure() {
            from("direct:combine")
                .setHeader("CamelFluxKontextPrompt", constant("Put the kite from the second image above the house"))
                .to("flux-kontext:multi?outputType=urls");
        }
    }

    static class HandleMode extends RouteBuilder {
        @Override
        public void configure() {
            from("direct:submit")
                .to("flux-kontext:text-to-image?waitForResult=false")
                .setBody(header("CamelFluxKontextRequestId"));

            from("direct:status")
                .to("flux-kontext:status")
                .choice()
                    .when(header("CamelFluxKontextQueuePosition").isNotNull())
                        .log("${header.CamelFluxKontextStatus}, queue position ${header.CamelFluxKontextQueuePosition}")
                    .otherwise()
                        .log("${header.CamelFluxKontextStatus}");

            from("direct:fetch")
                .to("flux-kontext:result?outputType=bytes")
                .to("file:output");

            from("direct:cancel")
                .to("flux-kontext:cancel")
                .log("${header.CamelFluxKontextCancelStatus}");
        }
    }

    static class WaitModes extends RouteBuilder {
        @Override
        public void configure() {
            from("direct:poster")
                .to("flux-kontext:text-to-image?outputType=bytes")
                .to("file:output");

            from("direct:aggregated")
                .to("flux-kontext:text-to-image?waitMode=poll&pollInterval=1s&outputType=urls");
        }
    }

    static class Webhooks extends RouteBuilder {
        @Override
        public void configure() {
            from("flux-kontext:webhook?path=/fal/webhook&outputType=bytes"
                 + "&webhookUserIds={{fal.user-id}}&webhookSecret={{webhook.secret}}")
                .to("file:output");

            from("direct:submit-for-callback")
                .to("flux-kontext:text-to-image?waitForResult=false&webhookUrl={{webhook.url}}&webhookSecret={{webhook.secret}}");

            from("direct:generate-and-wait")
                .to("flux-kontext:text-to-image?waitMode=webhook&webhookUrl={{webhook.url}}&webhookSecret={{webhook.secret}}"
                    + "&outputType=bytes")
                .to("file:output");
        }
    }

    static class Errors extends RouteBuilder {
        @Override
        public void configure() {
            onException(FluxKontextValidationException.class)
                .handled(true)
                .log(LoggingLevel.WARN, "Not sent: ${exception.message}");
            onException(FluxKontextException.class)
                .handled(true)
                .log(LoggingLevel.ERROR, "Job ${header.CamelFluxKontextRequestId} failed: ${exception.message}");

            from("direct:careful")
                .to("flux-kontext:text-to-image?outputType=urls");
        }
    }

    static class ExactlyOnce extends RouteBuilder {
        @Override
        public void configure() {
            from("file:inbox?move=.done&moveFailed=.failed")
                .setHeader("CamelFluxKontextIdempotencyKey", simple("${file:name}"))
                .to("flux-kontext:text-to-image?outputType=bytes")
                .to("file:output");
        }
    }

    /** The guide's "simulator in your own tests" snippet, verbatim (with the FAL field above). */
    private void pointTheComponentAtTheSimulator(CamelContext context) {
        FluxKontextConfiguration config = context.getComponent("flux-kontext", FluxKontextComponent.class).getConfiguration();
        config.setBaseUrl(FAL.baseUrl());
        config.setApiKey("any-key");
    }

    // ---- the checks

    @Test
    void everyLineOfTheReadmesJavaSnippetsIsInThisTest() throws Exception {
        String source = Files.readString(THIS_SOURCE).replaceAll("\\s+", " ");
        List<String> blocks = blocks("java");
        assertTrue(blocks.size() >= 6, "guide Java blocks: " + blocks.size());
        for (String block : blocks) {
            for (String line : block.split("\n")) {
                String code = line.replaceAll("\\s{2,}//.*$", "").trim().replaceAll("\\s+", " ");
                if (!code.isEmpty() && !code.startsWith("//")) {
                    assertTrue(source.contains(code), "guide line not tested: " + code);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "java", "yaml" })
    void textToImage(String dsl) throws Exception {
        start(dsl, new TextToImage(), "direct:generate");

        template.requestBody("direct:generate", "A lighthouse at dusk");

        Path image = onlyFile(dir.resolve("output"));
        assertTrue(image.getFileName().toString().endsWith("-0.jpg"), image.toString());
        assertImage(image, "jpeg", 1392, 752);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "java", "yaml" })
    void editFilesInFilesOut(String dsl) throws Exception {
        start(dsl, new Edit(), "file:inbox");

        Files.createDirectories(dir.resolve("inbox"));
        try (InputStream house = getClass().getResourceAsStream("/samples/edit/house.jpg")) {
            Files.copy(house, dir.resolve("inbox/house.jpg"));
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> files(dir.resolve("output")).size() == 1);
        assertImage(onlyFile(dir.resolve("output")), "jpeg", 1184, 880);
        assertEquals("Turn it into a watercolour painting", FAL.simulator().journal().entries(FalOperation.SUBMIT).get(0).bodyAsJson().get("prompt"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "java", "yaml" })
    void severalImagesAreSplitIntoFiles(String dsl) throws Exception {
        start(dsl, new SeveralImages(), "direct:variants");

        template.requestBody("direct:variants", "Four foxes");

        String requestId = FAL.simulator().journal().entries(FalOperation.SUBMIT).get(0).requestId();
        for (int i = 0; i < 4; i++) {
            assertImage(dir.resolve("output/" + requestId + "-" + i + ".jpg"), "jpeg", 1024, 1024);
        }
        assertEquals(4, files(dir.resolve("output")).size());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "java", "yaml" })
    void multi(String dsl) throws Exception {
        start(dsl, new Multi(), "direct:combine");

        List<?> urls = template.requestBody("direct:combine", List.of(sample("multi/1-house.jpg"), sample("multi/2-kite.png")), List.class);

        assertEquals(1, urls.size());
        assertTrue(String.valueOf(urls.get(0)).startsWith(FAL.baseUrl()), String.valueOf(urls.get(0)));
        assertEquals(2, ((List<?>) FAL.simulator().journal().entries(FalOperation.SUBMIT).get(0).bodyAsJson().get("image_urls")).size());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "java", "yaml" })
    void handleModeStatusResultCancel(String dsl) throws Exception {
        start(dsl, new HandleMode(), "direct:submit");

        String requestId = template.requestBody("direct:submit", "A teapot", String.class);
        assertNotNull(requestId);

        KontextJob status = template.requestBody("direct:status", requestId, KontextJob.class);
        assertEquals(requestId, status.requestId());
        assertNotNull(status.status());

        template.requestBody("direct:fetch", requestId);
        assertTrue(onlyFile(dir.resolve("output")).getFileName().toString().startsWith(requestId), "named after the job");
        try (LogCapture log = new LogCapture()) {
            template.requestBody("direct:status", requestId, KontextJob.class);
            // a job out of the queue has no queue position: the line says only its status
            assertEquals(List.of("COMPLETED"), log.messages(org.apache.logging.log4j.Level.INFO, "COMPLETED"));
        }

        Exchange cancelled = template.request("direct:cancel", e -> e.getMessage().setBody(requestId));
        assertInstanceOf(KontextCancellation.class, cancelled.getMessage().getBody());
        assertEquals("ALREADY_COMPLETED", cancelled.getMessage().getHeader("CamelFluxKontextCancelStatus"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "java", "yaml" })
    void errorsAreHandled(String dsl) throws Exception {
        start(dsl, new Errors(), "direct:careful");

        Exchange blank = template.request("direct:careful", e -> e.getMessage().setBody(" "));
        assertFalse(blank.isFailed(), "handled");
        assertEquals(0, FAL.simulator().journal().count(FalOperation.SUBMIT), "a blank prompt is not sent");

        FAL.simulator().faults().add(io.github.fluxkontext.simulator.Fault.on(FalOperation.JOB).failJob(503, "runner_disconnected", "Runner disconnected"));
        Exchange failed = template.request("direct:careful", e -> e.getMessage().setBody("A fox"));
        assertFalse(failed.isFailed(), "handled");
        assertInstanceOf(FluxKontextException.class, failed.getProperty(Exchange.EXCEPTION_CAUGHT));
        assertNotNull(failed.getMessage().getHeader("CamelFluxKontextRequestId"));

        List<?> urls = template.requestBody("direct:careful", "A fox", List.class);
        assertEquals(1, urls.size());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "java", "yaml" })
    void aFileReadAgainIsNotSubmittedAgain(String dsl) throws Exception {
        start(dsl, new ExactlyOnce(), "CamelFluxKontextIdempotencyKey");
        Path prompt = dir.resolve("inbox/lighthouse.txt");

        WatchModeTest.drop(prompt, "A lighthouse at dusk");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("inbox/.done/lighthouse.txt")));
        Path image = onlyFile(dir.resolve("output"));
        // the same file again, as after a crash: the job that exists, not a second one
        WatchModeTest.drop(prompt, "A lighthouse at dusk");
        await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(prompt));

        assertEquals(1, FAL.simulator().journal().count(FalOperation.SUBMIT));
        assertEquals(image, onlyFile(dir.resolve("output")), "the same job's image");
        String requestId = new FileSubmissionLedger(dir.resolve("ledger")).get("lighthouse.txt").orElseThrow().requestId();
        assertTrue(image.getFileName().toString().startsWith(requestId), image + " is the image of " + requestId);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "java", "yaml" })
    void streamByDefaultPollWhenAsked(String dsl) throws Exception {
        start(dsl, new WaitModes(), "direct:aggregated");

        template.requestBody("direct:poster", "A poster of a lighthouse");

        assertImage(onlyFile(dir.resolve("output")), "jpeg", 1024, 1024);
        assertEquals(1, FAL.simulator().journal().count(FalOperation.STATUS_STREAM), "the default follows the status stream");
        assertEquals(0, FAL.simulator().journal().count(FalOperation.STATUS), "and needs no status poll");

        FAL.simulator().journal().clear();
        List<?> urls = template.requestBody("direct:aggregated", "A lighthouse by night", List.class);

        assertEquals(1, urls.size());
        assertEquals(0, FAL.simulator().journal().count(FalOperation.STATUS_STREAM), "waitMode=poll opens no stream");
        assertTrue(FAL.simulator().journal().count(FalOperation.STATUS) >= 1, "it polls");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "java", "yaml" })
    void webhooks(String dsl) throws Exception {
        int port = ExampleTestSupport.freePort();
        start(dsl, new Webhooks(), "flux-kontext:webhook", camel -> {
            // what camel.server.enabled=true and camel.server.port do on Camel Main
            MainHttpServer server = new MainHttpServer();
            server.setCamelContext(camel);
            server.setPort(port);
            camel.addService(server);
            Properties properties = new Properties();
            properties.setProperty("webhook.url", "http://127.0.0.1:" + port + "/fal/webhook");
            properties.setProperty("webhook.secret", "the-readme-snippets-webhook-secret");
            properties.setProperty("fal.user-id", "sim-user"); // the simulator signs for this account
            camel.getPropertiesComponent().setInitialProperties(properties);
            camel.getComponent("flux-kontext", FluxKontextComponent.class).getConfiguration().setJwksUrl(FAL.simulator().jwksUrl());
        });

        // 2 then 1: submitted without waiting, finished by the consumer
        String id = template.requestBody("direct:submit-for-callback", "A fox", KontextJob.class).requestId();
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("output/" + id + "-0.jpg")));
        assertImage(dir.resolve("output/" + id + "-0.jpg"), "jpeg", 1024, 1024);

        // 3: the waiting exchange completes from its callback, which is not routed as well
        template.requestBody("direct:generate-and-wait", "A teapot");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> files(dir.resolve("output")).size() == 2);
        assertEquals(0, FAL.simulator().journal().count(FalOperation.RESULT), "both outputs came with their callbacks");
    }

    // ---- helpers

    /** A CamelContext with the snippet in the given DSL, folders under the test's directory. */
    private void start(String dsl, RoutesBuilder java, String marker) throws Exception {
        start(dsl, java, marker, camel -> {
        });
    }

    /** The same, with more set up on the context (before the routes are added). */
    private void start(String dsl, RoutesBuilder java, String marker, ThrowingConsumer<DefaultCamelContext, Exception> setUp) throws Exception {
        context = new DefaultCamelContext();
        pointTheComponentAtTheSimulator(context);
        setUp.accept(context);
        FluxKontextConfiguration fast = context.getComponent("flux-kontext", FluxKontextComponent.class).getConfiguration();
        fast.setPollInterval(20);
        fast.setRetryDelay(20);
        fast.setMaxRetryDelay(100);
        // the guide's ledger properties, with a folder of this test's
        fast.setLedger(new FileSubmissionLedger(dir.resolve("ledger")));
        if (dsl.equals("java")) {
            context.addRoutes(java);
        } else {
            String yaml = blocks("yaml").stream().filter(b -> b.contains(marker)).findFirst().orElseThrow(
                    () -> new AssertionError("no guide yaml block with " + marker));
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("readme.yaml", yaml));
        }
        // the snippets' relative folders, under this test's directory
        for (RouteDefinition route : context.getRouteDefinitions()) {
            route.getInput().setUri(route.getInput().getUri().replace("file:inbox", "file:" + dir.resolve("inbox")));
            redirectOutput(route.getOutputs());
        }
        context.start();
        template = context.createProducerTemplate();
    }

    /** Every file:output step, nested ones (in a split) too, writes under this test's directory. */
    private void redirectOutput(List<ProcessorDefinition<?>> steps) {
        for (ProcessorDefinition<?> step : steps) {
            if (step instanceof ToDefinition to && to.getUri().equals("file:output")) {
                to.setUri("file:" + dir.resolve("output"));
            }
            redirectOutput(step.getOutputs());
        }
    }

    /** The code blocks of the guide's "Using the component" section (other sections are free to show other code). */
    private static List<String> blocks(String language) throws Exception {
        String readme = Files.readString(GUIDE);
        int from = readme.indexOf("\n## Using the component");
        int to = readme.indexOf("\n## ", from + 1);
        assertTrue(from >= 0, "docs/guide.md has no 'Using the component' section");
        String section = readme.substring(from, to < 0 ? readme.length() : to);
        Matcher m = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(section);
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    private static byte[] sample(String name) throws Exception {
        try (InputStream in = GuideSnippetsTest.class.getResourceAsStream("/samples/" + name)) {
            return in.readAllBytes();
        }
    }

    private static List<Path> files(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.toString().contains("/.camel/")).toList();
        }
    }

    private static Path onlyFile(Path folder) throws Exception {
        List<Path> files = files(folder);
        assertEquals(1, files.size(), files.toString());
        return files.get(0);
    }
}
