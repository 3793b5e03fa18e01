package io.github.fluxkontext.camel;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fluxkontext.camel.model.ImageFormat;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.JournalEntry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kamelets the jar ships (kamelets/*.kamelet.yaml): used from YAML routes through kamelet: against the simulator,
 * and checked against the component's own metadata so that they cannot drift from its options.
 */
class KameletsTest extends FluxKontextTestSupport {

    private static final String TEXT_TO_IMAGE = "flux-kontext-text-to-image-action";
    private static final String EDIT = "flux-kontext-edit-action";

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getPropertiesComponent().addInitialProperty("fal.base-url", FAL.baseUrl());
        context.getPropertiesComponent().addInitialProperty("fal.api-key", KEY);
        return context;
    }

    /**
     * Only the test timings on the component: the base URL and key must come from the Kamelets' properties (the
     * component's defaults would go to fal with the FAL_KEY of the test environment, which the simulator refuses).
     */
    @Override
    protected void configure(FluxKontextConfiguration configuration) {
        super.configure(configuration);
        FluxKontextConfiguration defaults = new FluxKontextConfiguration();
        configuration.setBaseUrl(defaults.getBaseUrl());
        configuration.setStorageUrl(defaults.getStorageUrl());
        configuration.setApiKey(null);
        configuration.setAuthScheme(null);
    }

    @Override
    protected void doPostSetup() throws Exception {
        PluginHelper.getRoutesLoader(context)
                .loadRoutes(ResourceHelper.resolveMandatoryResource(context, "classpath:routes/kamelets.yaml"));
    }

    @Test
    void theTextToImageActionTurnsThePromptInTheBodyIntoImageBytes() throws Exception {
        MockEndpoint posters = getMockEndpoint("mock:posters");
        posters.expectedMessageCount(1);

        template.sendBody("direct:poster", "A lighthouse at dusk");

        posters.assertIsSatisfied();
        JournalEntry submit = onlySubmit();
        assertEquals("/fal-ai/flux-pro/kontext/max/text-to-image", submit.path(), "model=max");
        assertEquals("Key " + KEY, submit.header("Authorization"), "the Kamelet's apiKey and authScheme");
        assertEquals(Map.of("prompt", "A lighthouse at dusk", "aspect_ratio", "16:9", "output_format", "png", "seed", 42),
                submit.bodyAsJson(), "the Kamelet's properties; those not set are not sent");

        Message out = posters.getReceivedExchanges().get(0).getMessage();
        byte[] png = assertInstanceOf(byte[].class, out.getBody(), "outputType=bytes, the Kamelet's default");
        assertEquals(ImageFormat.PNG, ImageFormat.detect(png));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        // 16:9 is 1392x752 at the simulator, at the tests' image scale of 1/8
        assertEquals(174, image.getWidth());
        assertEquals(94, image.getHeight());
        String requestId = sim().jobs().get(0).requestId();
        assertEquals(requestId, out.getHeader(FluxKontextConstants.REQUEST_ID));
        assertEquals("image/png", out.getHeader(Exchange.CONTENT_TYPE));
        assertEquals(requestId + "-0.png", out.getHeader(Exchange.FILE_NAME));
        assertEquals(42L, out.getHeader(FluxKontextConstants.RESULT_SEED, Long.class));
    }

    @Test
    void theEditActionEditsTheImageInTheBodyFollowingItsPromptProperty() throws Exception {
        MockEndpoint edited = getMockEndpoint("mock:edited");
        edited.expectedMessageCount(1);

        template.sendBody("direct:watercolour", TestImages.png(160, 90));

        edited.assertIsSatisfied();
        JournalEntry submit = onlySubmit();
        assertEquals("/fal-ai/flux-pro/kontext", submit.path());
        assertEquals("Bearer " + KEY, submit.header("Authorization"));
        Map<String, Object> input = submit.bodyAsJson();
        assertEquals(Set.of("prompt", "image_url"), input.keySet());
        assertEquals("Turn it into a watercolour painting", input.get("prompt"));
        assertTrue(((String) input.get("image_url")).startsWith("data:image/png;base64,"), "the body, inlined");

        Message out = edited.getReceivedExchanges().get(0).getMessage();
        byte[] jpeg = assertInstanceOf(byte[].class, out.getBody());
        assertEquals(ImageFormat.JPEG, ImageFormat.detect(jpeg), "fal's default format");
        assertEquals("image/jpeg", out.getHeader(Exchange.CONTENT_TYPE));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertEquals(174, image.getWidth(), "the input's 16:9 kept");
        assertEquals(94, image.getHeight());
        assertEquals(sim().jobs().get(0).requestId(), out.getHeader(FluxKontextConstants.REQUEST_ID));
    }

    @Test
    void theEditActionWithModelDevEditsOnDevsEndpoint() throws Exception {
        getMockEndpoint("mock:dev-edited").expectedMessageCount(1);

        template.sendBody("direct:dev-edit", TestImages.png(64, 64));

        getMockEndpoint("mock:dev-edited").assertIsSatisfied();
        JournalEntry submit = onlySubmit();
        assertEquals("/fal-ai/flux-kontext/dev", submit.path());
        assertEquals(Set.of("prompt", "image_url"), submit.bodyAsJson().keySet());
    }

    @Test
    void theTextToImageActionWithModelLoraSendsItsWeights() throws Exception {
        getMockEndpoint("mock:lora-posters").expectedMessageCount(1);

        template.sendBody("direct:lora-poster", "A lighthouse in ink");

        getMockEndpoint("mock:lora-posters").assertIsSatisfied();
        JournalEntry submit = onlySubmit();
        assertEquals("/fal-ai/flux-kontext-lora/text-to-image", submit.path());
        assertEquals(Map.of("prompt", "A lighthouse in ink", "loras", List.of(Map.of("path", "https://example.com/w/ink.safetensors",
                "scale", 0.8), Map.of("path", "user/pen"))), submit.bodyAsJson());
    }

    @Test
    void thePromptHeaderOverridesTheEditActionsPromptForOneMessage() throws Exception {
        getMockEndpoint("mock:edited").expectedMessageCount(1);

        template.sendBodyAndHeader("direct:watercolour", TestImages.png(64, 64), FluxKontextConstants.PROMPT, "Make it night");

        getMockEndpoint("mock:edited").assertIsSatisfied();
        assertEquals("Make it night", onlySubmit().bodyAsJson().get("prompt"));
    }

    @Test
    void headersFromUpstreamDoNotOverrideTheKameletsProperties() throws Exception {
        getMockEndpoint("mock:posters").expectedMessageCount(1);
        getMockEndpoint("mock:edited").expectedMessageCount(1);

        // a message that went through another flux-kontext call upstream, or that someone shaped to spend more
        Map<String, Object> upstream = Map.of(FluxKontextConstants.NUM_IMAGES, 4, FluxKontextConstants.ASPECT_RATIO, "9:21",
                FluxKontextConstants.SEED, 7L, FluxKontextConstants.PROMPT, "Something else entirely");
        template.sendBodyAndHeaders("direct:poster", "A lighthouse at dusk", upstream);
        template.sendBodyAndHeaders("direct:watercolour", TestImages.png(64, 64), upstream);

        getMockEndpoint("mock:posters").assertIsSatisfied();
        getMockEndpoint("mock:edited").assertIsSatisfied();
        List<Map<String, Object>> inputs = sim().journal().entries(FalOperation.SUBMIT).stream().map(JournalEntry::bodyAsJson).toList();
        Map<String, Object> poster = inputs.stream().filter(i -> !i.containsKey("image_url")).findFirst().orElseThrow();
        assertEquals(Map.of("prompt", "A lighthouse at dusk", "aspect_ratio", "16:9", "output_format", "png", "seed", 42), poster,
                "the Kamelet's properties only, and the prompt of the body");
        Map<String, Object> edit = inputs.stream().filter(i -> i.containsKey("image_url")).findFirst().orElseThrow();
        assertEquals(Set.of("prompt", "image_url"), edit.keySet(), "no num_images, aspect_ratio or seed from upstream");
        assertEquals("Something else entirely", edit.get("prompt"), "the one header the edit action documents as an input");
    }

    @Test
    void anEndpointUriWithOutputTypeUrlsGivesTheImageUrls() {
        Object body = template.requestBody("direct:links", "A kite over a house");

        List<?> urls = assertInstanceOf(List.class, body);
        assertEquals(1, urls.size());
        assertEquals(sim().jobs().get(0).imageUrls(), urls);
        assertEquals(Map.of("prompt", "A kite over a house"), onlySubmit().bodyAsJson());
    }

    /** The reference page's Java routes (folders here are temporary ones), with the key and base URL on the component. */
    @Test
    void unsetPropertiesKeepTheComponentsSettings(@TempDir Path dir) throws Exception {
        FluxKontextConfiguration settings = context.getComponent("flux-kontext", FluxKontextComponent.class).getConfiguration();
        settings.setBaseUrl(FAL.baseUrl());
        settings.setApiKey(KEY);
        Path prompts = dir.resolve("prompts");
        Path posters = dir.resolve("posters");
        Path inbox = dir.resolve("inbox");
        Path outbox = dir.resolve("outbox");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("file:" + prompts + "?include=.*\\.txt")
                    .kamelet("flux-kontext-text-to-image-action?aspectRatio=16:9&outputFormat=png")
                    .to("file:" + posters);

                from("file:" + inbox + "?include=.*\\.(png|jpg)")
                    .to("kamelet:flux-kontext-edit-action?prompt=Turn it into a watercolour painting")
                    .to("file:" + outbox);
            }
        });
        Files.createDirectories(prompts);
        Files.createDirectories(inbox);
        Files.writeString(prompts.resolve("lighthouse.txt"), "A lighthouse at dusk");
        Files.write(inbox.resolve("house.png"), TestImages.png(64, 64));

        await().atMost(Duration.ofSeconds(20)).until(() -> filesIn(posters).size() == 1 && filesIn(outbox).size() == 1);
        assertEquals(2, sim().jobs().size());
        for (var job : sim().jobs()) {
            boolean poster = job.endpointId().endsWith("/text-to-image");
            Path written = (poster ? posters : outbox).resolve(job.requestId() + (poster ? "-0.png" : "-0.jpg"));
            assertTrue(Files.exists(written), "named after the request id: " + written);
            assertEquals(poster ? ImageFormat.PNG : ImageFormat.JPEG, ImageFormat.detect(Files.readAllBytes(written)));
        }
        Map<String, Object> edit = sim().journal().entries(FalOperation.SUBMIT).stream()
                .filter(e -> e.path().equals("/fal-ai/flux-pro/kontext")).findFirst().orElseThrow().bodyAsJson();
        assertEquals("Turn it into a watercolour painting", edit.get("prompt"));
    }

    private static List<Path> filesIn(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (var files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    /**
     * Each Kamelet against the component's metadata (flux-kontext.json): its properties are endpoint options of the
     * same type and values (model: those that have the Kamelet's operation), the secret is marked as one, the template passes every property to the endpoint (optional
     * ones as {{?name}}, so that unset ones keep the component's setting), and the Maven dependency is this jar.
     */
    @ParameterizedTest
    @ValueSource(strings = { TEXT_TO_IMAGE, EDIT })
    void theKameletFollowsTheConventionsAndTheComponentsOptions(String name) throws IOException {
        JsonNode component;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/io/github/fluxkontext/camel/flux-kontext.json")) {
            component = new ObjectMapper().readTree(in);
        }
        String version = component.get("component").get("version").asText();
        JsonNode options = component.get("properties");
        Map<String, Object> kamelet = yaml("kamelets/" + name + ".kamelet.yaml");
        // model: the values whose model has the Kamelet's operation (text-to-image has no dev)
        FluxKontextOperation operation = FluxKontextOperation.fromUri(name.substring("flux-kontext-".length(),
                name.length() - "-action".length()));

        assertEquals("camel.apache.org/v1", kamelet.get("apiVersion"));
        assertEquals("Kamelet", kamelet.get("kind"));
        Map<String, Object> metadata = map(kamelet, "metadata");
        assertEquals(name, metadata.get("name"));
        assertEquals("action", map(metadata, "labels").get("camel.apache.org/kamelet.type"));
        Map<String, Object> annotations = map(metadata, "annotations");
        assertEquals(version, annotations.get("camel.apache.org/catalog.version"));
        assertEquals(component.get("component").get("supportLevel").asText(), annotations.get("camel.apache.org/kamelet.support.level"));
        assertTrue(((String) annotations.get("camel.apache.org/kamelet.icon")).startsWith("data:image/svg+xml;base64,"));

        Map<String, Object> spec = map(kamelet, "spec");
        assertEquals(List.of("camel:core", "camel:kamelet", "mvn:io.github.fluxkontext:camel-flux-kontext:" + version),
                spec.get("dependencies"), "this jar, in this version");
        Map<String, Object> definition = map(spec, "definition");
        assertTrue(((String) definition.get("title")).startsWith("FLUX.1 Kontext "));
        assertTrue(((String) definition.get("description")).length() > 100);
        assertEquals("object", definition.get("type"));
        List<?> required = (List<?>) definition.getOrDefault("required", List.of());
        Map<String, Object> properties = map(definition, "properties");

        List<String> problems = new ArrayList<>();
        properties.forEach((property, value) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> p = (Map<String, Object>) value;
            JsonNode option = options.get(property);
            if (option == null) {
                problems.add(property + ": not an endpoint option");
                return;
            }
            if (!(p.get("title") instanceof String title) || title.isBlank()
                || !(p.get("description") instanceof String description) || description.length() < 20) {
                problems.add(property + ": needs a title and a description");
            }
            String expectedType = switch (option.get("type").asText()) {
                case "integer", "number", "boolean" -> option.get("type").asText();
                default -> "string"; // string, enum, duration (10m, 90s)
            };
            if (!expectedType.equals(p.get("type"))) {
                problems.add(property + ": type " + p.get("type") + ", the option's is " + expectedType);
            }
            Set<String> optionValues = new LinkedHashSet<>();
            option.path("enum").forEach(v -> optionValues.add(v.asText()));
            if (property.equals("model")) {
                optionValues.removeIf(model -> operation.endpointId(FluxKontextConverters.toModel(model)) == null);
            }
            Object values = p.get("enum");
            if (!optionValues.equals(values == null ? Set.of() : new LinkedHashSet<>((List<?>) values))) {
                problems.add(property + ": enum " + values + ", the option's is " + optionValues);
            }
            if (option.path("secret").asBoolean()
                && !("password".equals(p.get("format"))
                     && List.of("urn:camel:group:credentials").equals(p.get("x-descriptors")))) {
                problems.add(property + ": a secret needs format: password and the credentials x-descriptor");
            }
        });
        assertEquals(List.of(), problems);
        assertTrue(properties.containsKey("apiKey") && properties.containsKey("baseUrl"), "a key and where it goes");
        assertEquals("bytes", map(properties, "outputType").get("default"), "images out, not a Java object");

        Map<String, Object> from = map(map(spec, "template"), "from");
        assertEquals("kamelet:source", from.get("uri"));
        List<?> steps = (List<?>) from.get("steps");
        assertEquals(2, steps.size(), "two steps: the component's headers from upstream removed, then the endpoint");
        @SuppressWarnings("unchecked")
        Map<String, Object> removeHeaders = (Map<String, Object>) ((Map<String, Object>) steps.get(0)).get("removeHeaders");
        assertNotNull(removeHeaders, "first the headers");
        assertEquals("CamelFluxKontext*", removeHeaders.get("pattern"));
        assertEquals(EDIT.equals(name) ? "CamelFluxKontextPrompt" : null, removeHeaders.get("excludePattern"),
                "kept: the headers the Kamelet documents as inputs");
        if (removeHeaders.get("excludePattern") instanceof String kept) {
            assertTrue(((String) definition.get("description")).contains(kept), "documented as an input: " + kept);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> to = (Map<String, Object>) ((Map<String, Object>) steps.get(1)).get("to");
        assertEquals("flux-kontext:" + operation, to.get("uri"));
        Map<String, Object> parameters = map(to, "parameters");
        assertEquals(properties.keySet(), parameters.keySet(), "every property reaches the endpoint, nothing else");
        properties.forEach((property, value) -> {
            boolean mandatory = required.contains(property) || ((Map<?, ?>) value).containsKey("default");
            assertEquals(mandatory ? "{{" + property + "}}" : "{{?" + property + "}}", parameters.get(property), property);
        });
    }

    private static Map<String, Object> yaml(String resource) throws IOException {
        try (InputStream in = KameletsTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, resource + " on the class path");
            @SuppressWarnings("unchecked")
            Map<String, Object> document = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
            return document;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object child = parent.get(key);
        assertInstanceOf(Map.class, child, key);
        return (Map<String, Object>) child;
    }
}
