package io.github.fluxkontext.simulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValidationTest {

    private static final String EDIT = "fal-ai/flux-pro/kontext";
    private static final String MAX_EDIT = "fal-ai/flux-pro/kontext/max";
    private static final String T2I = "fal-ai/flux-pro/kontext/text-to-image";
    private static final String MAX_T2I = "fal-ai/flux-pro/kontext/max/text-to-image";
    private static final String MULTI = "fal-ai/flux-pro/kontext/multi";
    private static final String MAX_MULTI = "fal-ai/flux-pro/kontext/max/multi";
    private static final String DEV = "fal-ai/flux-kontext/dev";
    private static final String LORA = "fal-ai/flux-kontext-lora";
    private static final String LORA_T2I = "fal-ai/flux-kontext-lora/text-to-image";
    private static final String INPAINT = "fal-ai/flux-kontext-lora/inpaint";
    private static final String IMG = "\"image_url\":\"https://example.com/a.png\"";
    private static final String MASK = "\"mask_url\":\"https://example.com/m.png\"";
    private static final String REF = "\"reference_image_url\":\"https://example.com/r.png\"";

    static FalSimulator atSubmit;
    static FalSimulator queued;

    @BeforeAll
    static void start() {
        atSubmit = FalSimulator.builder().validateAtSubmit(true).queueTime(Duration.ZERO).runTime(Duration.ZERO)
                .imageScale(0.125).start();
        queued = FalSimulator.builder().queueTime(Duration.ZERO).runTime(Duration.ZERO).imageScale(0.125).start();
    }

    @AfterAll
    static void stop() {
        atSubmit.close();
        queued.close();
    }

    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of(T2I, "{}", List.of("body", "prompt"), "value_error.missing"),
                Arguments.of(MAX_T2I, "{\"prompt\":5}", List.of("body", "prompt"), "type_error.str"),
                Arguments.of(T2I, "{\"prompt\":null}", List.of("body", "prompt"), "type_error.none.not_allowed"),
                Arguments.of(EDIT, "{\"prompt\":\"p\"}", List.of("body", "image_url"), "value_error.missing"),
                Arguments.of(MAX_EDIT, "{\"prompt\":\"p\",\"image_url\":\"ftp://x/y.png\"}", List.of("body", "image_url"),
                        "value_error.url.scheme"),
                Arguments.of(EDIT, "{\"prompt\":\"p\",\"image_url\":3}", List.of("body", "image_url"), "type_error.str"),
                Arguments.of(MULTI, "{\"prompt\":\"p\"}", List.of("body", "image_urls"), "value_error.missing"),
                Arguments.of(MAX_MULTI, "{\"prompt\":\"p\",\"image_urls\":[]}", List.of("body", "image_urls"),
                        "value_error.list.min_items"),
                Arguments.of(MULTI, "{\"prompt\":\"p\",\"image_urls\":\"https://x/a.png\"}", List.of("body", "image_urls"),
                        "type_error.list"),
                Arguments.of(MULTI, "{\"prompt\":\"p\",\"image_urls\":[1]}", List.of("body", "image_urls", 0),
                        "type_error.str"),
                Arguments.of(T2I, "{\"prompt\":\"p\",\"seed\":\"5\"}", List.of("body", "seed"), "type_error.integer"),
                Arguments.of(T2I, "{\"prompt\":\"p\",\"seed\":1.5}", List.of("body", "seed"), "type_error.integer"),
                Arguments.of(T2I, "{\"prompt\":\"p\",\"guidance_scale\":\"high\"}", List.of("body", "guidance_scale"),
                        "type_error.float"),
                Arguments.of(T2I, "{\"prompt\":\"p\",\"guidance_scale\":0.5}", List.of("body", "guidance_scale"),
                        "value_error.number.not_ge"),
                Arguments.of(EDIT, "{\"prompt\":\"p\"," + IMG + ",\"guidance_scale\":20.5}",
                        List.of("body", "guidance_scale"), "value_error.number.not_le"),
                Arguments.of(T2I, "{\"prompt\":\"p\",\"num_images\":0}", List.of("body", "num_images"),
                        "value_error.number.not_ge"),
                Arguments.of(T2I, "{\"prompt\":\"p\",\"num_images\":5}", List.of("body", "num_images"),
                        "value_error.number.not_le"),
                Arguments.of(T2I, "{\"prompt\":\"p\",\"num_images\":2.5}", List.of("body", "num_images"),
                        "type_error.integer"),
                Arguments.of(T2I, "{\"prompt\":\"p\",\"safety_tolerance\":2}", List.of("body", "safety_tolerance"),
                        "type_error.str"),
                Arguments.of(T2I, "{\"prompt\":\"p\",\"safety_tolerance\":\"7\"}", List.of("body", "safety_tolerance"),
                        "type_error.enum"),
                Arguments.of(T2I, "{\"prompt\":\"p\",\"output_format\":\"gif\"}", List.of("body", "output_format"),
                        "type_error.enum"),
                Arguments.of(MULTI, "{\"prompt\":\"p\",\"image_urls\":[\"https://x/a.png\"],\"aspect_ratio\":\"5:4\"}",
                        List.of("body", "aspect_ratio"), "type_error.enum"),
                Arguments.of(T2I, "{\"prompt\":\"p\",\"enhance_prompt\":\"yes\"}", List.of("body", "enhance_prompt"),
                        "type_error.bool"),
                Arguments.of(T2I, "{\"prompt\":\"p\",\"sync_mode\":1}", List.of("body", "sync_mode"), "type_error.bool"),
                Arguments.of(T2I, "{\"prompt\":", List.of("body"), "value_error.jsondecode"),
                Arguments.of(EDIT, "[1,2]", List.of("body"), "type_error.dict"));
    }

    /** The dev and LoRA endpoints' own schemas (fal-protocol §8b). */
    static Stream<Arguments> familyRules() {
        return Stream.of(
                // required fields
                Arguments.of(DEV, "{" + IMG + "}", List.of("body", "prompt"), "value_error.missing"),
                Arguments.of(DEV, "{\"prompt\":\"p\"}", List.of("body", "image_url"), "value_error.missing"),
                Arguments.of(LORA, "{\"prompt\":\"p\"}", List.of("body", "image_url"), "value_error.missing"),
                Arguments.of(LORA_T2I, "{}", List.of("body", "prompt"), "value_error.missing"),
                Arguments.of(INPAINT, "{" + IMG + "," + MASK + "," + REF + "}", List.of("body", "prompt"),
                        "value_error.missing"),
                Arguments.of(INPAINT, "{\"prompt\":\"p\"," + MASK + "," + REF + "}", List.of("body", "image_url"),
                        "value_error.missing"),
                Arguments.of(INPAINT, "{\"prompt\":\"p\"," + IMG + "," + REF + "}", List.of("body", "mask_url"),
                        "value_error.missing"),
                Arguments.of(INPAINT, "{\"prompt\":\"p\"," + IMG + "," + MASK + "}",
                        List.of("body", "reference_image_url"), "value_error.missing"),
                Arguments.of(INPAINT, "{\"prompt\":\"p\"," + IMG + "," + REF + ",\"mask_url\":\"ftp://x/m.png\"}",
                        List.of("body", "mask_url"), "value_error.url.scheme"),
                Arguments.of(INPAINT, "{\"prompt\":\"p\"," + IMG + "," + MASK + ",\"reference_image_url\":7}",
                        List.of("body", "reference_image_url"), "type_error.str"),
                // enums
                Arguments.of(DEV, dev("\"acceleration\":\"turbo\""), List.of("body", "acceleration"), "type_error.enum"),
                Arguments.of(DEV, dev("\"resolution_mode\":\"5:3\""), List.of("body", "resolution_mode"),
                        "type_error.enum"),
                Arguments.of(LORA, lora("\"resolution_mode\":\"original\""), List.of("body", "resolution_mode"),
                        "type_error.enum"),
                Arguments.of(LORA, lora("\"output_format\":\"webp\""), List.of("body", "output_format"),
                        "type_error.enum"),
                Arguments.of(LORA_T2I, t2i("\"image_size\":\"huge\""), List.of("body", "image_size"), "type_error.enum"),
                Arguments.of(LORA_T2I, t2i("\"acceleration\":1"), List.of("body", "acceleration"), "type_error.str"),
                Arguments.of(INPAINT, inpaint("\"acceleration\":\"max\""), List.of("body", "acceleration"),
                        "type_error.enum"),
                // types and ranges
                Arguments.of(DEV, dev("\"guidance_scale\":0.5"), List.of("body", "guidance_scale"),
                        "value_error.number.not_ge"),
                Arguments.of(LORA, lora("\"guidance_scale\":20.5"), List.of("body", "guidance_scale"),
                        "value_error.number.not_le"),
                Arguments.of(DEV, dev("\"num_inference_steps\":9"), List.of("body", "num_inference_steps"),
                        "value_error.number.not_ge"),
                Arguments.of(LORA_T2I, t2i("\"num_inference_steps\":51"), List.of("body", "num_inference_steps"),
                        "value_error.number.not_le"),
                Arguments.of(DEV, dev("\"num_inference_steps\":\"28\""), List.of("body", "num_inference_steps"),
                        "type_error.integer"),
                Arguments.of(LORA_T2I, t2i("\"num_images\":5"), List.of("body", "num_images"), "value_error.number.not_le"),
                Arguments.of(DEV, dev("\"enable_safety_checker\":\"yes\""), List.of("body", "enable_safety_checker"),
                        "type_error.bool"),
                Arguments.of(INPAINT, inpaint("\"strength\":0"), List.of("body", "strength"), "value_error.number.not_ge"),
                Arguments.of(INPAINT, inpaint("\"strength\":1.5"), List.of("body", "strength"), "value_error.number.not_le"),
                Arguments.of(INPAINT, inpaint("\"strength\":\"high\""), List.of("body", "strength"), "type_error.float"),
                Arguments.of(LORA_T2I, t2i("\"image_size\":{\"width\":0}"), List.of("body", "image_size", "width"),
                        "value_error.number.not_ge"),
                Arguments.of(LORA_T2I, t2i("\"image_size\":{\"width\":512,\"height\":14143}"),
                        List.of("body", "image_size", "height"), "value_error.number.not_le"),
                Arguments.of(LORA_T2I, t2i("\"image_size\":{\"width\":\"512\"}"), List.of("body", "image_size", "width"),
                        "type_error.integer"),
                Arguments.of(LORA_T2I, t2i("\"image_size\":5"), List.of("body", "image_size"), "type_error.dict"),
                // loras
                Arguments.of(LORA, lora("\"loras\":\"style.safetensors\""), List.of("body", "loras"), "type_error.list"),
                Arguments.of(LORA, lora("\"loras\":[\"style.safetensors\"]"), List.of("body", "loras", 0),
                        "type_error.dict"),
                Arguments.of(LORA_T2I, t2i("\"loras\":[{\"scale\":1}]"), List.of("body", "loras", 0, "path"),
                        "value_error.missing"),
                Arguments.of(INPAINT, inpaint("\"loras\":[{\"path\":\"a\"},{\"path\":3}]"),
                        List.of("body", "loras", 1, "path"), "type_error.str"),
                Arguments.of(LORA, lora("\"loras\":[{\"path\":\"a\",\"scale\":4.5}]"), List.of("body", "loras", 0, "scale"),
                        "value_error.number.not_le"),
                Arguments.of(LORA, lora("\"loras\":[{\"path\":\"a\",\"force\":\"yes\"}]"),
                        List.of("body", "loras", 0, "force"), "type_error.bool"),
                // a field of another Kontext endpoint is refused (pydantic extra=forbid), not ignored
                Arguments.of(DEV, dev("\"aspect_ratio\":\"16:9\""), List.of("body", "aspect_ratio"), "value_error.extra"),
                Arguments.of(LORA, lora("\"safety_tolerance\":\"2\""), List.of("body", "safety_tolerance"),
                        "value_error.extra"),
                Arguments.of(LORA_T2I, t2i("\"enhance_prompt\":false"), List.of("body", "enhance_prompt"),
                        "value_error.extra"),
                Arguments.of(INPAINT, inpaint("\"aspect_ratio\":\"1:1\""), List.of("body", "aspect_ratio"),
                        "value_error.extra"),
                Arguments.of(DEV, dev("\"loras\":[]"), List.of("body", "loras"), "value_error.extra"),
                Arguments.of(LORA, lora("\"image_size\":\"square\""), List.of("body", "image_size"), "value_error.extra"),
                Arguments.of(LORA_T2I, t2i("\"resolution_mode\":\"auto\""), List.of("body", "resolution_mode"),
                        "value_error.extra"),
                Arguments.of(LORA, lora("\"strength\":0.5"), List.of("body", "strength"), "value_error.extra"),
                Arguments.of(EDIT, "{\"prompt\":\"p\"," + IMG + ",\"loras\":[]}", List.of("body", "loras"),
                        "value_error.extra"),
                Arguments.of(T2I, "{\"prompt\":\"p\",\"num_inference_steps\":28}", List.of("body", "num_inference_steps"),
                        "value_error.extra"));
    }

    private static String dev(String field) {
        return "{\"prompt\":\"p\"," + IMG + "," + field + "}";
    }

    private static String lora(String field) {
        return dev(field);
    }

    private static String t2i(String field) {
        return "{\"prompt\":\"p\"," + field + "}";
    }

    private static String inpaint(String field) {
        return "{\"prompt\":\"p\"," + IMG + "," + MASK + "," + REF + "," + field + "}";
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource({"rules", "familyRules"})
    void validateAtSubmitAnswers422WithTheDetailList(String endpoint, String body, List<Object> loc, String type) {
        HttpResponse<byte[]> r = new SimHttp(atSubmit).post("/" + endpoint, body);
        assertEquals(422, r.statusCode());
        assertHasError(SimHttp.json(r), loc, type);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource({"rules", "familyRules"})
    void byDefaultTheJobIsAcceptedAndCompletesWith422(String endpoint, String body, List<Object> loc, String type) {
        SimHttp http = new SimHttp(queued);
        HttpResponse<byte[]> submitted = http.post("/" + endpoint, body);
        assertEquals(200, submitted.statusCode());
        String id = (String) SimHttp.json(submitted).get("request_id");
        String app = EndpointId.parse(endpoint).orElseThrow().appId();
        Map<String, Object> status = http.awaitCompleted(app, id);
        assertEquals("Invalid status code: 422", status.get("error"));
        assertEquals("validation_error", status.get("error_type"));
        HttpResponse<byte[]> result = http.get("/" + app + "/requests/" + id);
        assertEquals(422, result.statusCode());
        assertHasError(SimHttp.json(result), loc, type);
    }

    @Test
    void validInputWithUnknownFieldsIsAccepted() {
        HttpResponse<byte[]> r = new SimHttp(atSubmit).post("/" + EDIT, "{\"prompt\":\"p\"," + IMG
                + ",\"seed\":1,\"guidance_scale\":3.5,\"num_images\":4,\"safety_tolerance\":\"6\",\"output_format\":\"png\","
                + "\"aspect_ratio\":\"21:9\",\"enhance_prompt\":false,\"sync_mode\":false,\"future_field\":{\"x\":1}}");
        assertEquals(200, r.statusCode());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFamilyInputs")
    void everyFieldOfADevOrLoraEndpointIsAccepted(String endpoint, String body) {
        HttpResponse<byte[]> r = new SimHttp(atSubmit).post("/" + endpoint, body);
        assertEquals(200, r.statusCode(), () -> new String(r.body()));
    }

    static Stream<Arguments> validFamilyInputs() {
        String shared = "\"seed\":1,\"num_images\":4,\"output_format\":\"jpeg\",\"sync_mode\":false,"
                + "\"num_inference_steps\":10,\"acceleration\":\"high\",\"enable_safety_checker\":false,\"future_field\":1";
        String loras = "\"loras\":[{\"path\":\"https://huggingface.co/a/b/resolve/main/style.safetensors\",\"scale\":0,"
                + "\"force\":true},{\"path\":\"owner/repo\"},{\"path\":\"c\",\"scale\":4}]";
        return Stream.of(
                Arguments.of(DEV, dev(shared + ",\"guidance_scale\":1,\"resolution_mode\":\"4:5\"")),
                Arguments.of(LORA, lora(shared + ",\"guidance_scale\":0,\"resolution_mode\":\"auto\"," + loras)),
                Arguments.of(LORA_T2I, t2i(shared + ",\"guidance_scale\":20,\"image_size\":{\"width\":14142,\"height\":1},"
                        + loras)),
                Arguments.of(LORA_T2I, t2i("\"image_size\":\"portrait_16_9\",\"loras\":[]")),
                Arguments.of(LORA_T2I, t2i("\"image_size\":{}")),
                Arguments.of(INPAINT, inpaint(shared + ",\"guidance_scale\":0.5,\"strength\":0.01," + loras)));
    }

    @Test
    void aNestedLoraErrorAndARefusedFieldHaveFalsShape() {
        Map<String, Object> body = SimHttp.json(new SimHttp(atSubmit).post("/" + DEV,
                "{\"prompt\":\"p\"," + IMG + ",\"aspect_ratio\":\"1:1\"}"));
        assertEquals(List.of(Map.of("loc", List.of("body", "aspect_ratio"), "msg", "extra fields not permitted",
                "type", "value_error.extra")), body.get("detail"));
        body = SimHttp.json(new SimHttp(atSubmit).post("/" + LORA_T2I,
                "{\"prompt\":\"p\",\"loras\":[{\"path\":\"a\"},{\"scale\":2}]}"));
        assertEquals(List.of(Map.of("loc", List.of("body", "loras", 1, "path"), "msg", "field required",
                "type", "value_error.missing")), body.get("detail"));
        body = SimHttp.json(new SimHttp(atSubmit).post("/" + INPAINT, inpaint("\"strength\":0.001")));
        @SuppressWarnings("unchecked")
        Map<String, Object> strength = ((List<Map<String, Object>>) body.get("detail")).get(0);
        assertEquals("ensure this value is greater than or equal to 0.01", strength.get("msg"));
        assertEquals(Map.of("limit_value", 0.01), strength.get("ctx"));
    }

    @Test
    void errorEntriesHaveFalsShape() {
        Map<String, Object> body = SimHttp.json(new SimHttp(atSubmit).post("/" + T2I, "{\"num_images\":9}"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> detail = (List<Map<String, Object>>) body.get("detail");
        assertEquals(2, detail.size());
        assertEquals(Map.of("loc", List.of("body", "prompt"), "msg", "field required", "type", "value_error.missing"),
                detail.get(0));
        assertEquals("ensure this value is less than or equal to 4", detail.get(1).get("msg"));
        assertEquals(Map.of("limit_value", 4), detail.get(1).get("ctx"));
    }

    private static void assertHasError(Map<String, Object> body, List<Object> loc, String type) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> detail = (List<Map<String, Object>>) body.get("detail");
        assertTrue(detail.stream().anyMatch(e -> loc.equals(e.get("loc")) && type.equals(e.get("type"))
                        && e.get("msg") instanceof String),
                () -> "expected " + loc + " " + type + " in " + detail);
    }
}
