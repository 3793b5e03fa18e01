package io.github.fluxkontext.camel;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import io.github.fluxkontext.camel.model.ImageFormat;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.JobSnapshot;
import io.github.fluxkontext.simulator.JournalEntry;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Images in (files, bytes, uploads) and images out (bytes, URLs, data URIs), against the simulator. */
class ImagesInOutTest extends FluxKontextTestSupport {

    @TempDir
    static Path inbox;
    @TempDir
    static Path outbox;

    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("file:" + inbox + "?include=.*\\.png")
                        .setHeader(FluxKontextConstants.PROMPT, constant("make the sky purple"))
                        .to("flux-kontext:edit?outputType=bytes&outputFormat=png")
                        .to("file:" + outbox);
            }
        };
    }

    @Test
    void aFileRouteEditsDroppedImagesIntoTheOutbox() throws Exception {
        Files.write(inbox.resolve("square.png"), TestImages.png(64, 64));
        Files.write(inbox.resolve("wide.png"), TestImages.png(160, 90));

        await().atMost(Duration.ofSeconds(20)).until(() -> pngsIn(outbox).size() == 2);

        List<JobSnapshot> jobs = sim().jobs();
        assertEquals(2, jobs.size());
        for (JobSnapshot job : jobs) {
            Path written = outbox.resolve(job.requestId() + "-0.png");
            assertTrue(Files.exists(written), "named after the request id: " + written);
            BufferedImage image = ImageIO.read(written.toFile());
            assertNotNull(image, "decodable PNG");
            assertEquals(ImageFormat.PNG, ImageFormat.detect(Files.readAllBytes(written)));
            // the simulator keeps the input's aspect ratio for edits (1:1 -> 1024x1024, 16:9 -> 1392x752), at scale 1/8
            boolean square = inputWidth(job) == 64;
            assertEquals(square ? 128 : 174, image.getWidth());
            assertEquals(square ? 128 : 94, image.getHeight());
            assertArrayEquals(fetch(job.imageUrls().get(0)), Files.readAllBytes(written), "byte for byte what fal served");
        }
    }

    @Test
    void bytesOutputGivesOneByteArrayForOneImage() throws Exception {
        Exchange exchange = template.request("flux-kontext:text-to-image?outputType=bytes&outputFormat=jpeg&aspectRatio=16:9",
                e -> e.getMessage().setBody("a lighthouse"));

        byte[] image = exchange.getMessage().getBody(byte[].class);
        String requestId = exchange.getMessage().getHeader(FluxKontextConstants.REQUEST_ID, String.class);
        assertEquals(ImageFormat.JPEG, ImageFormat.detect(image));
        assertEquals("image/jpeg", exchange.getMessage().getHeader(Exchange.CONTENT_TYPE));
        assertEquals(requestId + "-0.jpg", exchange.getMessage().getHeader(Exchange.FILE_NAME));
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image));
        assertEquals(174, decoded.getWidth());
        assertEquals(94, decoded.getHeight());
        assertArrayEquals(fetch(sim().job(requestId).orElseThrow().imageUrls().get(0)), image);
    }

    @Test
    void severalImagesSentStraightToAFileFailSayingWhatToDo() throws Exception {
        Path folder = outbox.resolve("several");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:several").to("flux-kontext:text-to-image?outputType=bytes&numImages=2").to("file:" + folder);
            }
        });

        Exchange exchange = template.request("direct:several", e -> e.getMessage().setBody("two foxes"));

        assertTrue(exchange.isFailed(), "a List<byte[]> is no file");
        String requestId = exchange.getMessage().getHeader(FluxKontextConstants.REQUEST_ID, String.class);
        String messages = messages(exchange.getException());
        assertTrue(messages.contains("holds 2 images of job " + requestId), messages);
        assertTrue(messages.contains(".split(body())") && messages.contains("numImages=1"), "says what to do: " + messages);
        assertFalse(Files.exists(folder) && filesIn(folder) > 0, "nothing written");
        assertEquals(2, exchange.getMessage().getBody(List.class).size(), "the body is still the two images");
    }

    @Test
    void bytesOutputGivesAListForSeveralImagesAndDownloadsCarryNoCredentials() throws Exception {
        Exchange exchange = template.request("flux-kontext:text-to-image?outputType=bytes&numImages=4&outputFormat=png",
                e -> e.getMessage().setBody("four foxes"));

        @SuppressWarnings("unchecked")
        List<byte[]> images = exchange.getMessage().getBody(List.class);
        String requestId = exchange.getMessage().getHeader(FluxKontextConstants.REQUEST_ID, String.class);
        List<String> served = sim().job(requestId).orElseThrow().imageUrls();
        assertEquals(4, images.size());
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(fetch(served.get(i)), images.get(i), "image " + i);
        }
        assertEquals(List.of(requestId + "-0.png", requestId + "-1.png", requestId + "-2.png", requestId + "-3.png"),
                exchange.getMessage().getHeader(FluxKontextConstants.FILE_NAMES));
        assertNull(exchange.getMessage().getHeader(Exchange.FILE_NAME), "no single file name for a list");
        List<JournalEntry> downloads = sim().journal().entries(FalOperation.FILE).stream()
                .filter(e -> requestId.equals(e.requestId())).toList();
        assertEquals(4 + 4, downloads.size(), "four downloads by the component, four by this test");
        downloads.forEach(d -> assertNull(d.header("Authorization"), "an image download carries no credentials"));
    }

    @Test
    void syncModeImagesAreDecodedNotDownloaded() {
        Exchange exchange = template.request("flux-kontext:text-to-image?outputType=bytes&syncMode=true&numImages=2&outputFormat=png",
                e -> e.getMessage().setBody("inline foxes"));

        @SuppressWarnings("unchecked")
        List<byte[]> images = exchange.getMessage().getBody(List.class);
        assertEquals(2, images.size());
        images.forEach(image -> assertEquals(ImageFormat.PNG, ImageFormat.detect(image)));
        assertEquals(0, sim().journal().count(FalOperation.FILE), "nothing to download");
        assertEquals(List.of(), exchange.getMessage().getHeader(FluxKontextConstants.RESULT_IMAGE_URLS),
                "data URIs stay out of headers");
    }

    @Test
    void urlsOutputListsTheImageUrls() {
        Exchange exchange = template.request("flux-kontext:text-to-image?outputType=urls&numImages=3",
                e -> e.getMessage().setBody("three foxes"));

        String requestId = exchange.getMessage().getHeader(FluxKontextConstants.REQUEST_ID, String.class);
        assertEquals(sim().job(requestId).orElseThrow().imageUrls(), exchange.getMessage().getBody(List.class));
        assertEquals(0, sim().journal().count(FalOperation.FILE), "urls are not downloaded");
    }

    @Test
    void syncModeUrlsAreDataUris() {
        List<?> urls = template.requestBody("flux-kontext:text-to-image?outputType=urls&syncMode=true", "inline fox", List.class);

        assertEquals(1, urls.size());
        assertTrue(urls.get(0).toString().startsWith("data:image/jpeg;base64,"), urls.get(0).toString().substring(0, 30));
    }

    @Test
    void everyImageBodyTypeIsSentAsTheSameDataUri(@TempDir Path dir) throws Exception {
        byte[] png = TestImages.png(32, 32);
        Path path = Files.write(dir.resolve("in.png"), png);
        File file = path.toFile();
        for (Object body : List.of(png, new ByteArrayInputStream(png), file, path)) {
            sim().journal().clear();
            byte[] out = template.requestBodyAndHeader("flux-kontext:edit?outputType=bytes", body, FluxKontextConstants.PROMPT,
                    "blue", byte[].class);
            assertEquals("data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(png),
                    onlySubmit().bodyAsJson().get("image_url"), body.getClass().getSimpleName());
            assertEquals(ImageFormat.JPEG, ImageFormat.detect(out), "fal's default output format is jpeg");
        }
    }

    @Test
    void uploadsLocalImagesToFalStorageWhenAsked() throws Exception {
        byte[] png = TestImages.png(48, 48);
        byte[] out = template.requestBodyAndHeaders("flux-kontext:edit?imageUpload=fal-storage&outputType=bytes&outputFormat=png", png,
                Map.of(FluxKontextConstants.PROMPT, "blue", Exchange.FILE_NAME_ONLY, "kitchen.png"), byte[].class);

        JournalEntry initiate = sim().journal().entries(FalOperation.STORAGE_INITIATE).get(0);
        assertEquals("Key " + KEY, initiate.header("Authorization"));
        assertEquals(Map.of("content_type", "image/png", "file_name", "kitchen.png"), initiate.bodyAsJson());
        JournalEntry upload = sim().journal().entries(FalOperation.STORAGE_UPLOAD).get(0);
        assertNull(upload.header("Authorization"), "the signed upload URL needs no credentials");
        assertArrayEquals(png, upload.body());
        String imageUrl = (String) onlySubmit().bodyAsJson().get("image_url");
        assertTrue(imageUrl.startsWith(FAL.baseUrl() + "/files/"), imageUrl);
        assertArrayEquals(png, fetch(imageUrl), "the file URL serves the uploaded bytes");
        assertEquals(ImageFormat.PNG, ImageFormat.detect(out));
    }

    private byte[] fetch(String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), url);
        return response.body();
    }

    /** The width of the job's input image, read back from the data URI the component sent. */
    private static int inputWidth(JobSnapshot job) throws IOException {
        String dataUri = job.input().get("image_url").toString();
        byte[] bytes = java.util.Base64.getDecoder().decode(dataUri.substring(dataUri.indexOf(',') + 1));
        return ImageIO.read(new ByteArrayInputStream(bytes)).getWidth();
    }

    private static long filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    /** The messages of an exception and its causes: what the log of a failed exchange shows. */
    private static String messages(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append(" | ");
        }
        return text.toString();
    }

    private static List<Path> pngsIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".png")).toList();
        }
    }
}
