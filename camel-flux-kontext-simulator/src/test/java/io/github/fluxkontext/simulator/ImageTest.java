package io.github.fluxkontext.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageTest {

    private static final String T2I = "fal-ai/flux-pro/kontext/text-to-image";
    private static final String EDIT = "fal-ai/flux-pro/kontext";
    private static final String MULTI = "fal-ai/flux-pro/kontext/max/multi";
    private static final String DEV = "fal-ai/flux-kontext/dev";
    private static final String LORA = "fal-ai/flux-kontext-lora";
    private static final String LORA_T2I = "fal-ai/flux-kontext-lora/text-to-image";
    private static final String INPAINT = "fal-ai/flux-kontext-lora/inpaint";
    private static final double SCALE = 0.25;

    @RegisterExtension
    static final FalSimulatorExtension FAL = FalSimulatorExtension.create(b -> b
            .queueTime(Duration.ZERO).runTime(Duration.ZERO).imageScale(SCALE));

    private static Map<String, Object> run(String endpoint, String input) {
        SimHttp http = new SimHttp(FAL.simulator());
        String id = http.submitId(endpoint, input);
        HttpResponse<byte[]> r = http.result(EndpointId.parse(endpoint).orElseThrow().appId(), id);
        assertEquals(200, r.statusCode(), () -> new String(r.body()));
        return SimHttp.json(r);
    }

    private static HttpResponse<byte[]> download(Map<String, Object> result, int index) {
        return new SimHttp(FAL.simulator()).get((String) SimHttp.images(result).get(index).get("url"));
    }

    @ParameterizedTest
    @CsvSource({"21:9,1568,672", "16:9,1392,752", "4:3,1184,880", "3:2,1248,832", "1:1,1024,1024",
            "2:3,832,1248", "3:4,880,1184", "9:16,752,1392", "9:21,672,1568"})
    void sizeFollowsTheAspectRatioTimesTheScale(String ratio, int w, int h) {
        Map<String, Object> out = run(T2I, "{\"prompt\":\"ratio " + ratio + "\",\"aspect_ratio\":\"" + ratio + "\"}");
        Map<String, Object> img = SimHttp.images(out).get(0);
        int ew = (int) Math.round(w * SCALE);
        int eh = (int) Math.round(h * SCALE);
        assertEquals(ew, img.get("width"));
        assertEquals(eh, img.get("height"));
        BufferedImage decoded = TestImages.decode(download(out, 0).body());
        assertEquals(ew, decoded.getWidth());
        assertEquals(eh, decoded.getHeight());
    }

    @Test
    void jpegByDefaultPngOnRequestWithRightHeaders() {
        HttpResponse<byte[]> jpeg = download(run(T2I, "{\"prompt\":\"jpeg\"}"), 0);
        assertEquals("image/jpeg", jpeg.headers().firstValue("content-type").orElseThrow());
        assertEquals(jpeg.body().length, Integer.parseInt(jpeg.headers().firstValue("content-length").orElseThrow()));
        assertEquals((byte) 0xFF, jpeg.body()[0]);
        assertEquals((byte) 0xD8, jpeg.body()[1]);
        TestImages.decode(jpeg.body());

        Map<String, Object> out = run(T2I, "{\"prompt\":\"png\",\"output_format\":\"png\"}");
        assertEquals("image/png", SimHttp.images(out).get(0).get("content_type"));
        assertTrue(((String) SimHttp.images(out).get(0).get("url")).endsWith("/0.png"));
        HttpResponse<byte[]> png = download(out, 0);
        assertEquals("image/png", png.headers().firstValue("content-type").orElseThrow());
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png.body(), 4));
        TestImages.decode(png.body());
    }

    @Test
    void fourImagesAllDifferent() {
        Map<String, Object> out = run(T2I, "{\"prompt\":\"four\",\"num_images\":4,\"seed\":5}");
        List<Map<String, Object>> images = SimHttp.images(out);
        assertEquals(4, images.size());
        assertEquals(List.of(false, false, false, false), out.get("has_nsfw_concepts"));
        byte[][] bytes = new byte[4][];
        for (int i = 0; i < 4; i++) {
            assertTrue(((String) images.get(i).get("url")).endsWith("/" + i + ".jpeg"));
            bytes[i] = download(out, i).body();
            TestImages.decode(bytes[i]);
        }
        for (int i = 1; i < 4; i++) {
            assertFalse(Arrays.equals(bytes[0], bytes[i]), "image " + i + " equals image 0");
        }
    }

    @Test
    void sameSeedGivesTheSameBytesAndAnotherSeedDoesNot() {
        String input = "{\"prompt\":\"determinism\",\"seed\":123,\"output_format\":\"png\"}";
        byte[] a = download(run(T2I, input), 0).body();
        byte[] b = download(run(T2I, input), 0).body();
        byte[] c = download(run(T2I, input.replace("123", "124")), 0).body();
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    @Test
    void syncModeReturnsDataUris() {
        Map<String, Object> jpeg = run(T2I, "{\"prompt\":\"sync\",\"sync_mode\":true,\"num_images\":2}");
        for (Map<String, Object> img : SimHttp.images(jpeg)) {
            String url = (String) img.get("url");
            assertTrue(url.startsWith("data:image/jpeg;base64,"), url.substring(0, 30));
            byte[] bytes = Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1));
            assertEquals(bytes.length, img.get("file_size"));
            assertEquals(img.get("width"), TestImages.decode(bytes).getWidth());
        }
        Map<String, Object> png = run(T2I, "{\"prompt\":\"sync\",\"sync_mode\":true,\"output_format\":\"png\"}");
        assertTrue(((String) SimHttp.images(png).get(0).get("url")).startsWith("data:image/png;base64,"));
    }

    @Test
    void editDerivesFromADataUriInput() {
        Color input = new Color(200, 30, 30);
        String uri = TestImages.dataUri(TestImages.png(64, 48, input), "image/png");
        Map<String, Object> out = run(EDIT, "{\"prompt\":\"make it blue\",\"image_url\":\"" + uri
                + "\",\"seed\":9,\"output_format\":\"png\"}");
        Map<String, Object> img = SimHttp.images(out).get(0);
        // no aspect_ratio: the input's 4:3 is kept
        assertEquals((int) Math.round(1184 * SCALE), img.get("width"));
        assertEquals((int) Math.round(880 * SCALE), img.get("height"));
        BufferedImage edited = TestImages.decode(download(out, 0).body());
        int expected = ImageRenderer.shiftColour(input.getRGB() & 0xFFFFFF, ImageRenderer.hueShift(9, 0));
        int actual = edited.getRGB(edited.getWidth() / 2, edited.getHeight() / 4) & 0xFFFFFF;
        assertColourClose(expected, actual);
        assertTrue(TestImages.saturated(actual), "placeholder is grey, this must not be");
        assertTrue(edited.getRGB(0, 0) != new Color(200, 30, 30).getRGB(), "the colours were shifted");

        Map<String, Object> plain = run(T2I, "{\"prompt\":\"make it blue\",\"seed\":9,\"output_format\":\"png\","
                + "\"aspect_ratio\":\"4:3\"}");
        assertFalse(Arrays.equals(download(plain, 0).body(), download(out, 0).body()));
    }

    @Test
    void multiPutsTheInputsSideBySide() {
        String red = TestImages.dataUri(TestImages.png(32, 32, new Color(220, 20, 20)), "image/png");
        String green = TestImages.dataUri(TestImages.png(32, 32, new Color(20, 200, 20)), "image/png");
        Map<String, Object> out = run(MULTI, "{\"prompt\":\"combine\",\"image_urls\":[\"" + red + "\",\"" + green
                + "\"],\"seed\":4,\"output_format\":\"png\"}");
        BufferedImage img = TestImages.decode(download(out, 0).body());
        float shift = ImageRenderer.hueShift(4, 0);
        assertColourClose(ImageRenderer.shiftColour(0xDC1414, shift), img.getRGB(img.getWidth() / 4, 10) & 0xFFFFFF);
        assertColourClose(ImageRenderer.shiftColour(0x14C814, shift), img.getRGB(img.getWidth() * 3 / 4, 10) & 0xFFFFFF);
    }

    @Test
    void unreadableInputsGiveThePlaceholder() {
        String webp = "data:image/webp;base64," + Base64.getEncoder().encodeToString("RIFF....WEBPVP8 ".getBytes());
        for (String url : List.of("https://v3.fal.media/files/rabbit/rmgBxhwGYb2d3pl3x9sKf_output.png", webp)) {
            Map<String, Object> out = run(EDIT, "{\"prompt\":\"p\",\"image_url\":\"" + url + "\",\"output_format\":\"png\"}");
            BufferedImage img = TestImages.decode(download(out, 0).body());
            assertEquals(256, img.getWidth()); // unknown input size: 1:1
            int corner = img.getRGB(1, 1) & 0xFFFFFF;
            assertFalse(TestImages.saturated(corner), "placeholder stripes are grey: " + Integer.toHexString(corner));
        }
    }

    @Test
    void editOfAnEarlierOutputUsesItAsInput() {
        Map<String, Object> first = run(T2I, "{\"prompt\":\"source\",\"seed\":1,\"aspect_ratio\":\"16:9\",\"output_format\":\"png\"}");
        String url = (String) SimHttp.images(first).get(0).get("url");
        Map<String, Object> edited = run(EDIT, "{\"prompt\":\"night\",\"image_url\":\"" + url + "\"}");
        assertEquals((int) Math.round(1392 * SCALE), SimHttp.images(edited).get(0).get("width"));
        BufferedImage img = TestImages.decode(download(edited, 0).body());
        assertTrue(TestImages.saturated(img.getRGB(2, 2) & 0xFFFFFF));
    }

    @Test
    void theBandSaysWhatWasAskedAndWhichLorasWereUsed() {
        assertEquals("Combine: Put the kite above the house", ImageRenderer.caption(spec(EndpointId.Kind.MULTI, "Put the kite above the house", List.of())));
        assertEquals("Edit: Paint the door blue", ImageRenderer.caption(spec(EndpointId.Kind.EDIT, "Paint the door blue", List.of())));
        List<String> loras = KontextModel.loraLabels(SimHttp.MAPPER.valueToTree(List.of(
                Map.of("path", "https://huggingface.co/a/b/resolve/main/ghibli.safetensors?download=true", "scale", 0.8),
                Map.of("path", "owner/repo"))));
        assertEquals(List.of("ghibli.safetensors x0.8", "repo x1.0"), loras);
        assertEquals("Edit: Paint the door blue - LoRA ghibli.safetensors x0.8, repo x1.0",
                ImageRenderer.caption(spec(EndpointId.Kind.EDIT, "Paint the door blue", loras)));
    }

    @Test
    void lorasChangeTheImage() {
        String plain = "{\"prompt\":\"style\",\"seed\":3}";
        String styled = "{\"prompt\":\"style\",\"seed\":3,\"loras\":[{\"path\":\"owner/style\"}]}";
        assertFalse(Arrays.equals(download(run(LORA_T2I, plain), 0).body(), download(run(LORA_T2I, styled), 0).body()));
    }

    private static ImageSpec spec(EndpointId.Kind kind, String prompt, List<String> loras) {
        return new ImageSpec("fal-ai/flux-pro/kontext", kind, prompt, 1, 0, 1, 64, 64, ImageFormat.JPEG, List.of(),
                loras, KontextModel.DEFAULT_STRENGTH);
    }

    // --- the dev and LoRA endpoints -----------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"square_hd,1024,1024", "square,512,512", "portrait_4_3,768,1024", "portrait_16_9,576,1024",
            "landscape_4_3,1024,768", "landscape_16_9,1024,576"})
    void loraTextToImageSizeFollowsTheImageSizePreset(String preset, int w, int h) {
        assertSize(run(LORA_T2I, "{\"prompt\":\"" + preset + "\",\"image_size\":\"" + preset + "\"}"),
                (int) Math.round(w * SCALE), (int) Math.round(h * SCALE));
    }

    @Test
    void loraTextToImageIsLandscape43ByDefaultAndTakesACustomSize() {
        assertSize(run(LORA_T2I, "{\"prompt\":\"default\"}"), 256, 192);
        assertSize(run(LORA_T2I, "{\"prompt\":\"custom\",\"image_size\":{\"width\":600,\"height\":200}}"), 150, 50);
        // each side left out is 512
        assertSize(run(LORA_T2I, "{\"prompt\":\"half custom\",\"image_size\":{\"height\":256}}"), 128, 64);
    }

    @Test
    void aCustomSizeBeyondTheSimulatorsLimitIsScaledDownKeepingItsRatio() {
        try (FalSimulator sim = FalSimulator.builder().queueTime(Duration.ZERO).runTime(Duration.ZERO).start()) {
            SimHttp http = new SimHttp(sim);
            String id = http.submitId(LORA_T2I, "{\"prompt\":\"huge\",\"image_size\":{\"width\":14142,\"height\":7071}}");
            Map<String, Object> img = SimHttp.images(SimHttp.json(http.result("fal-ai/flux-kontext-lora", id))).get(0);
            int w = (int) img.get("width");
            int h = (int) img.get("height");
            assertTrue((long) w * h <= OutputSize.MAX_PIXELS, w + "x" + h);
            assertTrue(Math.abs((double) w / h - 2.0) < 0.01, w + "x" + h);
        }
    }

    @Test
    void loraIsPngByDefaultDevIsJpegAndOutputFormatDecides() {
        assertEquals("image/png", SimHttp.images(run(LORA_T2I, "{\"prompt\":\"p\"}")).get(0).get("content_type"));
        assertEquals("image/jpeg", SimHttp.images(run(LORA_T2I, "{\"prompt\":\"p\",\"output_format\":\"jpeg\"}"))
                .get(0).get("content_type"));
        String red = TestImages.dataUri(TestImages.png(64, 48, new Color(200, 30, 30)), "image/png");
        assertEquals("image/jpeg", SimHttp.images(run(DEV, "{\"prompt\":\"p\",\"image_url\":\"" + red + "\"}"))
                .get(0).get("content_type"));
        Map<String, Object> png = run(DEV, "{\"prompt\":\"p\",\"image_url\":\"" + red + "\",\"output_format\":\"png\"}");
        assertEquals("image/png", download(png, 0).headers().firstValue("content-type").orElseThrow());
    }

    @Test
    void devAndLoraEditsChangeTheInputAndSizeItByResolutionMode() {
        Color input = new Color(200, 30, 30);
        String uri = TestImages.dataUri(TestImages.png(256, 192, input), "image/png");
        for (String endpoint : List.of(DEV, LORA)) {
            // match_input (the default): the input's own size, times the scale
            Map<String, Object> out = run(endpoint, "{\"prompt\":\"make it blue\",\"image_url\":\"" + uri
                    + "\",\"seed\":9,\"output_format\":\"png\"}");
            assertSize(out, 64, 48);
            BufferedImage edited = TestImages.decode(download(out, 0).body());
            int expected = ImageRenderer.shiftColour(input.getRGB() & 0xFFFFFF, ImageRenderer.hueShift(9, 0));
            assertColourClose(expected, edited.getRGB(edited.getWidth() / 2, edited.getHeight() / 4) & 0xFFFFFF);
            // a ratio of the list, 4:5 included (pro/max do not have it)
            assertSize(run(endpoint, "{\"prompt\":\"p\",\"image_url\":\"" + uri + "\",\"resolution_mode\":\"4:5\"}"),
                    224, 280);
            // auto: the listed ratio nearest to the input's
            assertSize(run(endpoint, "{\"prompt\":\"p\",\"image_url\":\"" + uri + "\",\"resolution_mode\":\"auto\"}"),
                    296, 220);
        }
    }

    @Test
    void inpaintChangesTheMaskedAreaAndNothingElse() {
        Color red = new Color(200, 30, 30);
        String image = TestImages.dataUri(TestImages.png(64, 48, red), "image/png");
        String mask = TestImages.dataUri(TestImages.encode(maskWithWhite(64, 48, 16, 12, 32, 24), "png"), "image/png");
        String reference = TestImages.dataUri(TestImages.png(32, 32, new Color(30, 60, 210)), "image/png");
        Map<String, Object> out = run(INPAINT, "{\"prompt\":\"a blue patch\",\"image_url\":\"" + image
                + "\",\"mask_url\":\"" + mask + "\",\"reference_image_url\":\"" + reference + "\",\"seed\":2}");
        // inpaint keeps the input's size (imageScale does not apply) and is png, as LoRA endpoints are
        assertSize(out, 64, 48);
        BufferedImage img = TestImages.decode(download(out, 0).body());
        long blueInside = 0;
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                int rgb = img.getRGB(x, y) & 0xFFFFFF;
                boolean inMask = x >= 16 && x < 48 && y >= 12 && y < 36;
                if (inMask) {
                    assertTrue(rgb != (red.getRGB() & 0xFFFFFF), "unchanged inside the mask at " + x + "," + y);
                    blueInside += rgb & 0xFF;
                } else {
                    assertEquals(red.getRGB() & 0xFFFFFF, rgb, "changed outside the mask at " + x + "," + y);
                }
            }
        }
        String green = TestImages.dataUri(TestImages.png(32, 32, new Color(30, 210, 60)), "image/png");
        BufferedImage withGreen = TestImages.decode(download(run(INPAINT, "{\"prompt\":\"a blue patch\",\"image_url\":\""
                + image + "\",\"mask_url\":\"" + mask + "\",\"reference_image_url\":\"" + green + "\",\"seed\":2}"), 0).body());
        long blueInsideWithGreen = 0;
        for (int y = 12; y < 36; y++) {
            for (int x = 16; x < 48; x++) {
                blueInsideWithGreen += withGreen.getRGB(x, y) & 0xFF;
            }
        }
        assertTrue(blueInside > blueInsideWithGreen + 50L * 32 * 24, "the fill comes from the reference image: blue "
                + blueInside / (32 * 24) + " with a blue reference, " + blueInsideWithGreen / (32 * 24) + " with a green one");

        Map<String, Object> weaker = run(INPAINT, "{\"prompt\":\"a blue patch\",\"image_url\":\"" + image
                + "\",\"mask_url\":\"" + mask + "\",\"reference_image_url\":\"" + reference + "\",\"seed\":2,"
                + "\"strength\":0.3}");
        BufferedImage weak = TestImages.decode(download(weaker, 0).body());
        assertTrue(change(weak, red) < change(img, red), "a lower strength changes less");
    }

    /** How far the pixels of the whole image are from a colour, summed over the channels. */
    private static long change(BufferedImage img, Color from) {
        long sum = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                sum += Math.abs(((rgb >> 16) & 0xFF) - from.getRed()) + Math.abs(((rgb >> 8) & 0xFF) - from.getGreen())
                        + Math.abs((rgb & 0xFF) - from.getBlue());
            }
        }
        return sum;
    }

    @Test
    void inpaintWithAnUnreadableMaskGivesThePlaceholder() {
        String image = TestImages.dataUri(TestImages.png(64, 48, new Color(200, 30, 30)), "image/png");
        Map<String, Object> out = run(INPAINT, "{\"prompt\":\"p\",\"image_url\":\"" + image
                + "\",\"mask_url\":\"https://example.com/mask.png\",\"reference_image_url\":\"" + image + "\"}");
        BufferedImage img = TestImages.decode(download(out, 0).body());
        assertFalse(TestImages.saturated(img.getRGB(1, 1) & 0xFFFFFF), "placeholder stripes are grey");
    }

    private static BufferedImage maskWithWhite(int w, int h, int x, int y, int rw, int rh) {
        BufferedImage mask = TestImages.solid(w, h, Color.BLACK);
        java.awt.Graphics2D g = mask.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(x, y, rw, rh);
        g.dispose();
        return mask;
    }

    private static void assertSize(Map<String, Object> out, int w, int h) {
        Map<String, Object> img = SimHttp.images(out).get(0);
        assertEquals(w, img.get("width"));
        assertEquals(h, img.get("height"));
        BufferedImage decoded = TestImages.decode(download(out, 0).body());
        assertEquals(w, decoded.getWidth());
        assertEquals(h, decoded.getHeight());
    }

    private static void assertColourClose(int expected, int actual) {
        for (int shift : new int[] {16, 8, 0}) {
            int e = (expected >> shift) & 0xFF;
            int a = (actual >> shift) & 0xFF;
            assertTrue(Math.abs(e - a) <= 12, "expected ~" + Integer.toHexString(expected) + " got " + Integer.toHexString(actual));
        }
    }
}
