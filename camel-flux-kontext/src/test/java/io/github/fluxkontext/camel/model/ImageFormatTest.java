package io.github.fluxkontext.camel.model;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Input images are recognised by their leading bytes, as fal's accepted types (and nothing else). */
class ImageFormatTest {

    private static byte[] bytes(String ascii, int length) {
        byte[] data = new byte[length];
        byte[] head = ascii.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(head, 0, data, 0, head.length);
        return data;
    }

    @Test
    void recognisesEachAcceptedFormat() {
        assertEquals(ImageFormat.PNG, ImageFormat.detect(bytes("\u0089PNG\r\n\u001a\n", 32)));
        assertEquals(ImageFormat.JPEG, ImageFormat.detect(bytes("\u00ff\u00d8\u00ff\u00e0", 32)));
        assertEquals(ImageFormat.GIF, ImageFormat.detect(bytes("GIF89a", 32)));
        assertEquals(ImageFormat.GIF, ImageFormat.detect(bytes("GIF87a", 32)));
        assertEquals(ImageFormat.WEBP, ImageFormat.detect(bytes("RIFF\u0000\u0000\u0000\u0000WEBPVP8 ", 32)));
        // ISO-BMFF: box size 0x1c, 'ftyp', major brand 'avif'
        assertEquals(ImageFormat.AVIF, ImageFormat.detect(bytes("\u0000\u0000\u0000\u001cftypavif", 32)));
        // major brand 'mif1', 'avif' among the compatible brands
        assertEquals(ImageFormat.AVIF, ImageFormat.detect(bytes("\u0000\u0000\u0000\u0020ftypmif1\u0000\u0000\u0000\u0000mif1avif", 40)));
    }

    @Test
    void refusesWhatIsNotAnAcceptedImage() {
        assertNull(ImageFormat.detect("just some text, long enough".getBytes(StandardCharsets.UTF_8)));
        assertNull(ImageFormat.detect(bytes("\u0000\u0000\u0000\u001cftypisom", 32)), "an MP4 is no AVIF");
        assertNull(ImageFormat.detect(bytes("RIFF\u0000\u0000\u0000\u0000WAVEfmt ", 32)), "a WAV is no WEBP");
        assertNull(ImageFormat.detect(bytes("BM", 32)), "BMP is not accepted by fal");
        assertNull(ImageFormat.detect(new byte[4]), "too short");
        assertNull(ImageFormat.detect(null));
    }

    @Test
    void mapsMimeTypes() {
        assertEquals(ImageFormat.JPEG, ImageFormat.ofMimeType("image/jpg"));
        assertEquals(ImageFormat.PNG, ImageFormat.ofMimeType("IMAGE/PNG; charset=binary"));
        assertNull(ImageFormat.ofMimeType("image/bmp"));
    }
}
