package io.github.fluxkontext.camel;

import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;

import javax.imageio.ImageIO;

import io.github.fluxkontext.camel.model.KontextResult;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Against the real fal (billed: a few cents per run). Runs in {@code mvn verify} only when FAL_KEY
 * is set; skipped otherwise, and in CI, which has no key and no way out.
 */
class RealFalIT extends CamelTestSupport {

    @BeforeEach
    void needsAKey() {
        assumeTrue(System.getenv("FAL_KEY") != null && !System.getenv("FAL_KEY").isBlank(), "FAL_KEY is not set");
    }

    @Test
    void textToImageOnFal() throws Exception {
        Exchange exchange = template.request("flux-kontext:text-to-image?outputType=bytes&outputFormat=png&aspectRatio=1:1&timeout=3m",
                e -> e.getMessage().setBody("A small red fox sitting in fresh snow, watercolour"));

        if (exchange.getException() != null) {
            throw exchange.getException();
        }
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(exchange.getMessage().getBody(byte[].class)));
        assertNotNull(image, "a decodable PNG");
        assertEquals(image.getWidth(), image.getHeight(), "1:1");
        assertNotNull(exchange.getMessage().getHeader(FluxKontextConstants.REQUEST_ID));
    }

    @Test
    void editOnFal() {
        KontextResult result = template.requestBodyAndHeader(
                "flux-kontext:edit?timeout=3m&imageUrl=https://v3.fal.media/files/rabbit/rmgBxhwGYb2d3pl3x9sKf_output.png",
                "Put a donut next to the flour.", FluxKontextConstants.SEED, 42L, KontextResult.class);

        assertEquals(1, result.images().size());
        assertEquals(42L, result.seed());
    }
}
