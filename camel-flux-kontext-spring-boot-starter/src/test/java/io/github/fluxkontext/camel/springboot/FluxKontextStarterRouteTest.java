package io.github.fluxkontext.camel.springboot;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import io.github.fluxkontext.camel.FluxKontextComponent;
import io.github.fluxkontext.camel.FluxKontextConfiguration;
import io.github.fluxkontext.camel.FluxKontextConstants;
import io.github.fluxkontext.camel.FluxKontextModel;
import io.github.fluxkontext.camel.OutputType;
import io.github.fluxkontext.camel.client.AuthScheme;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.FalSimulator;
import io.github.fluxkontext.simulator.FalSimulatorExtension;
import io.github.fluxkontext.simulator.JournalEntry;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Spring Boot application with the starter, the component configured only through
 * {@code camel.component.flux-kontext.*} properties (relaxed names, durations and sizes as text), running routes end
 * to end against the fal simulator.
 */
@SpringBootTest(classes = FluxKontextStarterRouteTest.Application.class, properties = {
        "camel.component.flux-kontext.api-key=starter-key",
        "camel.component.flux-kontext.auth-scheme=Bearer",
        "camel.component.flux-kontext.poll-interval=20ms",
        "camel.component.flux-kontext.max-poll-interval=100ms",
        "camel.component.flux-kontext.timeout=30s",
        "camel.component.flux-kontext.output-type=bytes",
        "camel.component.flux-kontext.output-format=png",
        "camel.component.flux-kontext.aspect-ratio=16:9",
        "camel.component.flux-kontext.seed=42",
        "camel.component.flux-kontext.max-download-size=20MB",
        "camel.component.flux-kontext.retry-delay=50ms",
        "camel.component.flux-kontext.maxRetries=2", // camelCase works as well
        "spring.main.banner-mode=off"
})
@DirtiesContext
class FluxKontextStarterRouteTest {

    @RegisterExtension
    static final FalSimulatorExtension FAL = FalSimulatorExtension.create(b -> b.apiKey("starter-key")
            .queueTime(Duration.ofMillis(20)).runTime(Duration.ofMillis(50)).imageScale(0.25));

    @DynamicPropertySource
    static void falProperties(DynamicPropertyRegistry registry) {
        registry.add("camel.component.flux-kontext.base-url", FAL::baseUrl);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        @Bean
        RouteBuilder kontextRoutes() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:generate").to("flux-kontext:text-to-image");
                    from("direct:edit").to("flux-kontext:edit");
                }
            };
        }
    }

    @Autowired
    CamelContext camelContext;
    @Autowired
    ProducerTemplate template;

    @Test
    void componentIsConfiguredFromProperties() {
        FluxKontextConfiguration conf = camelContext.getComponent("flux-kontext", FluxKontextComponent.class)
                .getConfiguration();
        assertEquals(FAL.baseUrl(), conf.getBaseUrl());
        assertEquals("starter-key", conf.getApiKey());
        assertEquals(AuthScheme.BEARER, conf.getAuthScheme());
        assertEquals(20, conf.getPollInterval());
        assertEquals(100, conf.getMaxPollInterval());
        assertEquals(30_000, conf.getTimeout());
        assertEquals(50, conf.getRetryDelay());
        assertEquals(2, conf.getMaxRetries());
        assertEquals(20L * 1024 * 1024, conf.getMaxDownloadSize());
        assertEquals(OutputType.BYTES, conf.getOutputType());
        assertEquals(42L, conf.getSeed());
        // not set: the component's own defaults
        assertEquals(FluxKontextModel.PRO, conf.getModel());
        assertEquals(10_000, conf.getConnectTimeout());
    }

    @Test
    void textToImageThenEditThroughRoutes(FalSimulator sim) throws IOException {
        var generated = template.request("direct:generate", e -> e.getMessage().setBody("a lighthouse at dusk"));
        byte[] png = assertInstanceOf(byte[].class, generated.getMessage().getBody(),
                () -> "body: " + generated.getMessage().getBody() + ", exception: " + generated.getException());
        assertPng(png, 16, 9);
        assertNotNull(generated.getMessage().getHeader(FluxKontextConstants.REQUEST_ID));

        // the generated image as the input of edit: sent inline as a data URI (imageUpload=inline, the default)
        byte[] edited = template.requestBodyAndHeader("direct:edit", png, FluxKontextConstants.PROMPT,
                "make it night", byte[].class);
        assertPng(edited, 16, 9);
        assertFalse(java.util.Arrays.equals(png, edited), "edit returns a new image");

        List<JournalEntry> submits = sim.journal().entries(FalOperation.SUBMIT);
        assertEquals(2, submits.size());
        for (JournalEntry submit : submits) {
            assertEquals("Bearer starter-key", submit.header("Authorization"), "the simulator saw the key");
        }
        assertEquals("/fal-ai/flux-pro/kontext/text-to-image", submits.get(0).path());
        Map<String, Object> input = submits.get(0).bodyAsJson();
        assertEquals("a lighthouse at dusk", input.get("prompt"));
        assertEquals("png", input.get("output_format"));
        assertEquals("16:9", input.get("aspect_ratio"));
        assertEquals(42, ((Number) input.get("seed")).intValue());
        assertEquals("/fal-ai/flux-pro/kontext", submits.get(1).path());
        assertEquals("make it night", submits.get(1).bodyAsJson().get("prompt"));
        String imageUrl = (String) submits.get(1).bodyAsJson().get("image_url");
        assertTrue(imageUrl.startsWith("data:image/png;base64,"), imageUrl.substring(0, 40));
        assertEquals(2, sim.journal().count(FalOperation.STATUS_STREAM), "each job followed on its status stream (the default)");
    }

    @Test
    void sameSeedSamePromptSameImage() {
        byte[] first = template.requestBody("direct:generate", "a red fox", byte[].class);
        byte[] second = template.requestBody("direct:generate", "a red fox", byte[].class);
        assertArrayEquals(first, second);
    }

    private static void assertPng(byte[] bytes, int ratioW, int ratioH) throws IOException {
        assertNotNull(bytes);
        assertTrue(bytes.length > 8 && bytes[0] == (byte) 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G',
                "a PNG");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertNotNull(image, "the bytes decode as an image");
        double ratio = (double) image.getWidth() / image.getHeight();
        // fal's sizes round to multiples of 16 (16:9 is 1392x752), so only near the nominal ratio
        assertEquals((double) ratioW / ratioH, ratio, 0.1, image.getWidth() + "x" + image.getHeight());
    }
}
