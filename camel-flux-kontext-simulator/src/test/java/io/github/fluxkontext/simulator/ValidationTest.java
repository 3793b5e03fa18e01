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
    private static final String IMG = "\"image_url\":\"https://example.com/a.png\"";

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

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("rules")
    void validateAtSubmitAnswers422WithTheDetailList(String endpoint, String body, List<Object> loc, String type) {
        HttpResponse<byte[]> r = new SimHttp(atSubmit).post("/" + endpoint, body);
        assertEquals(422, r.statusCode());
        assertHasError(SimHttp.json(r), loc, type);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("rules")
    void byDefaultTheJobIsAcceptedAndCompletesWith422(String endpoint, String body, List<Object> loc, String type) {
        SimHttp http = new SimHttp(queued);
        HttpResponse<byte[]> submitted = http.post("/" + endpoint, body);
        assertEquals(200, submitted.statusCode());
        String id = (String) SimHttp.json(submitted).get("request_id");
        Map<String, Object> status = http.awaitCompleted("fal-ai/flux-pro", id);
        assertEquals("Invalid status code: 422", status.get("error"));
        assertEquals("validation_error", status.get("error_type"));
        HttpResponse<byte[]> result = http.get("/fal-ai/flux-pro/requests/" + id);
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
