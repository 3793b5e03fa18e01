package io.github.fluxkontext.example;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Settings that make the example fast and offline in tests, and image checks. */
final class ExampleTestSupport {

    /** The simulator's images at 1/8 of fal's size: 1:1 is 128x128, 4:3 (the sample house) 148x110. */
    static final String IMAGE_SCALE = "0.125";

    private ExampleTestSupport() {
    }

    /** The example against the simulator (whatever the environment holds), with short timings. */
    static Properties fastSettings(String routes, Path output, Path input) {
        Properties p = new Properties();
        p.setProperty("example.routes", routes);
        p.setProperty("example.output-dir", output.toString());
        p.setProperty("example.input-dir", input.toString());
        p.setProperty("example.simulator", "always");
        p.setProperty("example.simulator.queue-time", "20ms");
        p.setProperty("example.simulator.run-time", "50ms");
        p.setProperty("example.simulator.runners", "4");
        p.setProperty("example.simulator.image-scale", IMAGE_SCALE);
        p.setProperty("camel.component.flux-kontext.poll-interval", "20ms");
        p.setProperty("camel.component.flux-kontext.max-poll-interval", "100ms");
        p.setProperty("camel.component.flux-kontext.timeout", "30s");
        return p;
    }

    /** A port nobody listens on now. */
    static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** No FAL_KEY, no base URL: what a fresh machine has. */
    static Map<String, String> noKeyEnvironment() {
        return Map.of();
    }

    /** Asserts that the file is an image of that format ("jpeg" or "png") and size, decodable by ImageIO. */
    static void assertImage(Path file, String format, int width, int height) throws IOException {
        assertTrue(Files.isRegularFile(file), "no file " + file);
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            assertTrue(readers.hasNext(), file + " is no image ImageIO knows");
            assertEquals(format, readers.next().getFormatName().toLowerCase(java.util.Locale.ROOT), "format of " + file);
        }
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file + " does not decode");
        assertEquals(width + "x" + height, image.getWidth() + "x" + image.getHeight(), "size of " + file);
    }
}
