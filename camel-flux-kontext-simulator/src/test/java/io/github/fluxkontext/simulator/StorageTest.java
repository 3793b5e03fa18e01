package io.github.fluxkontext.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.awt.Color;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageTest {

    @RegisterExtension
    static final FalSimulatorExtension FAL = FalSimulatorExtension.create(b -> b
            .queueTime(Duration.ZERO).runTime(Duration.ZERO).imageScale(0.125).apiKey("k:s"));

    @Test
    void initiatePutGetRoundTripIsByteExact() {
        SimHttp http = new SimHttp(FAL.simulator(), "Key k:s");
        byte[] bytes = new byte[70_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        HttpResponse<byte[]> init = http.post("/storage/upload/initiate?storage_type=fal-cdn-v3",
                "{\"content_type\":\"application/x-test\",\"file_name\":\"my file.bin\"}");
        assertEquals(200, init.statusCode());
        Map<String, Object> urls = SimHttp.json(init);
        String uploadUrl = (String) urls.get("upload_url");
        String fileUrl = (String) urls.get("file_url");
        assertTrue(uploadUrl.startsWith(FAL.baseUrl() + "/storage/upload/"), uploadUrl);
        assertTrue(fileUrl.startsWith(FAL.baseUrl() + "/files/uploads/") && fileUrl.endsWith("/my%20file.bin"), fileUrl);
        assertEquals(404, SimHttpNoAuth.get(FAL.simulator(), fileUrl).statusCode()); // not uploaded yet

        HttpResponse<byte[]> put = SimHttpNoAuthPut.put(uploadUrl, bytes, "application/x-test");
        assertEquals(200, put.statusCode());
        HttpResponse<byte[]> got = SimHttpNoAuth.get(FAL.simulator(), fileUrl);
        assertEquals(200, got.statusCode());
        assertEquals("application/x-test", got.headers().firstValue("content-type").orElseThrow());
        assertArrayEquals(bytes, got.body());
    }

    @Test
    void initiateNeedsAuthButTheSignedPutDoesNot() {
        assertEquals(401, SimHttpNoAuth.post(FAL.simulator(), "/storage/upload/initiate", "{}").statusCode());
        SimHttp http = new SimHttp(FAL.simulator(), "Key k:s");
        String uploadUrl = (String) SimHttp.json(http.post("/storage/upload/initiate", "{}")).get("upload_url");
        assertEquals(403, SimHttpNoAuthPut.put(uploadUrl.replaceAll("signature=.*", "signature=forged"), new byte[1],
                "application/octet-stream").statusCode());
        assertEquals(200, SimHttpNoAuthPut.put(uploadUrl, new byte[1], "application/octet-stream").statusCode());
    }

    @Test
    void anUploadedImageIsUsableAsImageUrl() {
        SimHttp http = new SimHttp(FAL.simulator(), "Key k:s");
        Map<String, Object> urls = SimHttp.json(http.post("/storage/upload/initiate?storage_type=fal-cdn-v3",
                "{\"content_type\":\"image/png\",\"file_name\":\"in.png\"}"));
        assertEquals(200, SimHttpNoAuthPut.put((String) urls.get("upload_url"),
                TestImages.png(30, 60, new Color(10, 40, 220)), "image/png").statusCode());
        String id = http.submitId("fal-ai/flux-pro/kontext", "{\"prompt\":\"p\",\"image_url\":\"" + urls.get("file_url")
                + "\",\"output_format\":\"png\"}");
        Map<String, Object> out = SimHttp.json(http.result("fal-ai/flux-pro", id));
        Map<String, Object> img = SimHttp.images(out).get(0);
        assertEquals(94, img.get("width")); // 1:2 input -> nearest 9:16 (752x1392) * 0.125
        assertEquals(174, img.get("height"));
        int pixel = TestImages.decode(http.get((String) img.get("url")).body()).getRGB(40, 20) & 0xFFFFFF;
        assertTrue(TestImages.saturated(pixel), Integer.toHexString(pixel));
    }
}
