package io.github.fluxkontext.camel;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.fluxkontext.simulator.JournalEntry;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference page's examples of the Kontext family (model=dev, model=lora, inpaint) run against the simulator: each
 * YAML block as it stands on the page, and each Java block as written in this class (the test checks that every line
 * of those Java blocks is in this file).
 */
class KontextFamilyExamplesTest extends FluxKontextTestSupport {

    private static final Path PAGE = Path.of("src/main/docs/flux-kontext-component.adoc");
    private static final Path THIS_SOURCE = Path.of("src/test/java/io/github/fluxkontext/camel/KontextFamilyExamplesTest.java");
    private static final List<String> SECTIONS = List.of("=== Edit at a lower price (model=dev)", "=== Your own style (model=lora)",
            "=== Repaint part of an image (inpaint)");

    @TempDir
    Path dir;

    // ---- the page's Java blocks, verbatim

    static class DevEdit extends RouteBuilder {
        @Override
        public void configure() {
            from("direct:dev-edit")
                .setHeader("CamelFluxKontextPrompt", constant("Make it a winter scene"))
                .to("flux-kontext:edit?model=dev&numInferenceSteps=20&acceleration=regular&resolutionMode=match_input&outputType=bytes")
                .to("mock:winter");
        }
    }

    static class LoraPoster extends RouteBuilder {
        @Override
        public void configure() {
            from("direct:lora-poster")
                .to("flux-kontext:text-to-image?model=lora&imageSize=1280x720&outputType=urls"
                    + "&loras=https://huggingface.co/acme/ink-style/resolve/main/ink.safetensors:0.8")
                .to("mock:posters");
        }
    }

    static class Inpaint extends RouteBuilder {
        @Override
        public void configure() {
            from("direct:inpaint")
                .setHeader("CamelFluxKontextPrompt", constant("A red wooden door"))
                .setHeader("CamelFluxKontextMaskUrl", header("maskFile"))
                .setHeader("CamelFluxKontextReferenceImageUrl", header("referenceFile"))
                .to("flux-kontext:inpaint?model=lora&strength=0.9&outputType=bytes")
                .to("mock:doors");
        }
    }

    @Test
    void everyLineOfThePagesJavaBlocksIsInThisClass() throws Exception {
        String source = Files.readString(THIS_SOURCE);
        List<String> missing = new ArrayList<>();
        for (String block : blocks("java")) {
            block.lines().map(String::strip).filter(l -> !l.isEmpty()).filter(l -> !source.contains(l)).forEach(missing::add);
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void theJavaRoutesRunOnTheirModelsEndpoints() throws Exception {
        context.addRoutes(new DevEdit());
        context.addRoutes(new LoraPoster());
        context.addRoutes(new Inpaint());
        runsDevEdit();
        runsLoraPoster();

        File mask = dir.resolve("mask.png").toFile();
        Files.write(mask.toPath(), png());
        mockExpects("mock:doors");
        template.sendBodyAndHeaders("direct:inpaint", png(), Map.of("maskFile", mask, "referenceFile", dir.resolve("mask.png")));
        MockEndpoint.assertIsSatisfied(context);
        Map<String, Object> sent = submitTo("/fal-ai/flux-kontext-lora/inpaint");
        assertEquals(0.9, sent.get("strength"));
        assertTrue(sent.get("mask_url").toString().startsWith("data:image/png;base64,"), "the File, inlined");
        assertTrue(sent.get("reference_image_url").toString().startsWith("data:image/png;base64,"), "the Path, inlined");
        assertInstanceOf(byte[].class, getMockEndpoint("mock:doors").getReceivedExchanges().get(0).getMessage().getBody());
    }

    @Test
    void theYamlRoutesRunOnTheirModelsEndpoints() throws Exception {
        for (String yaml : blocks("yaml")) {
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("family.yaml", yaml));
        }
        runsDevEdit();
        runsLoraPoster();

        mockExpects("mock:doors");
        template.sendBody("direct:inpaint-urls", png());
        MockEndpoint.assertIsSatisfied(context);
        Map<String, Object> sent = submitTo("/fal-ai/flux-kontext-lora/inpaint");
        assertEquals("https://example.com/house-door-mask.png", sent.get("mask_url"));
        assertEquals("https://example.com/red-door.jpg", sent.get("reference_image_url"));
        assertEquals(0.9, sent.get("strength"));
        assertTrue(sent.get("image_url").toString().startsWith("data:image/png;base64,"), "the body, inlined");
    }

    private void runsDevEdit() throws Exception {
        mockExpects("mock:winter");
        template.sendBody("direct:dev-edit", png());
        MockEndpoint.assertIsSatisfied(context);
        Map<String, Object> sent = submitTo("/fal-ai/flux-kontext/dev");
        assertEquals(20, sent.get("num_inference_steps"));
        assertEquals("regular", sent.get("acceleration"));
        assertEquals("match_input", sent.get("resolution_mode"));
        assertInstanceOf(byte[].class, getMockEndpoint("mock:winter").getReceivedExchanges().get(0).getMessage().getBody());
    }

    private void runsLoraPoster() throws Exception {
        mockExpects("mock:posters");
        template.sendBody("direct:lora-poster", "A lighthouse in ink");
        MockEndpoint.assertIsSatisfied(context);
        Map<String, Object> sent = submitTo("/fal-ai/flux-kontext-lora/text-to-image");
        assertEquals(Map.of("width", 1280, "height", 720), sent.get("image_size"));
        assertEquals(List.of(Map.of("path", "https://huggingface.co/acme/ink-style/resolve/main/ink.safetensors", "scale", 0.8)),
                sent.get("loras"));
        assertInstanceOf(List.class, getMockEndpoint("mock:posters").getReceivedExchanges().get(0).getMessage().getBody());
    }

    private void mockExpects(String uri) {
        MockEndpoint.resetMocks(context);
        getMockEndpoint(uri).expectedMessageCount(1);
        sim().journal().clear();
    }

    private static Map<String, Object> submitTo(String path) {
        JournalEntry submit = onlySubmit();
        assertEquals(path, submit.path());
        return submit.bodyAsJson();
    }

    /** The source blocks of a language in the family's example sections of the page. */
    private static List<String> blocks(String language) throws Exception {
        String page = Files.readString(PAGE);
        List<String> blocks = new ArrayList<>();
        for (String section : SECTIONS) {
            int start = page.indexOf(section);
            assertTrue(start >= 0, "missing section " + section);
            int end = page.indexOf("\n=== ", start + 1);
            Matcher m = Pattern.compile("\\[source," + language + "]\n----\n(.*?)\n----\n", Pattern.DOTALL)
                    .matcher(page.substring(start, end));
            int found = 0;
            while (m.find()) {
                blocks.add(m.group(1));
                found++;
            }
            assertEquals(1, found, "one " + language + " block in " + section);
        }
        return blocks;
    }

    private static byte[] png() {
        return TestImages.png(48, 32);
    }
}
