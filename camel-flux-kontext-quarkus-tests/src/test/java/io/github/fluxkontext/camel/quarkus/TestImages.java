package io.github.fluxkontext.camel.quarkus;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Images for and from the tests. */
final class TestImages {

    private static final String PNG_DATA_URI = "data:image/png;base64,";

    private TestImages() {
    }

    /** Writes a small PNG of one colour to {@code file}, as a user's image on disk. */
    static Path writePng(Path file, Color colour) throws IOException {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, 64, 48);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    /** Asserts a PNG that decodes, near the given aspect ratio (fal's sizes round to multiples of 16). */
    static void assertPng(byte[] bytes, int ratioW, int ratioH) throws IOException {
        assertNotNull(bytes, "image bytes");
        assertTrue(bytes.length > 8 && bytes[0] == (byte) 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', "a PNG");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertNotNull(image, "the bytes decode as an image");
        assertEquals((double) ratioW / ratioH, (double) image.getWidth() / image.getHeight(), 0.1,
                image.getWidth() + "x" + image.getHeight());
    }

    /** Asserts that a data URI fal received carries exactly the bytes of the file. */
    static void assertDataUriOf(Path file, Object dataUri) throws IOException {
        String uri = String.valueOf(dataUri);
        assertTrue(uri.startsWith(PNG_DATA_URI), uri.substring(0, Math.min(40, uri.length())));
        assertEquals(Base64.getEncoder().encodeToString(Files.readAllBytes(file)), uri.substring(PNG_DATA_URI.length()),
                "the data URI is the file's content");
    }
}
