package io.github.fluxkontext.camel.model;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** How LoRA weights and image sizes are read from text, and the family's endpoint table. */
class KontextFamilyValuesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "https://example.com/w/style.safetensors:0.8 | https://example.com/w/style.safetensors | 0.8",
            "https://example.com/w/style.safetensors     | https://example.com/w/style.safetensors | null",
            "https://example.com:8443/w/a.safetensors:2  | https://example.com:8443/w/a.safetensors | 2.0",
            "https://example.com:8443/w/a.safetensors    | https://example.com:8443/w/a.safetensors | null",
            "user/ink-style                              | user/ink-style                           | null",
            "user/ink-style: 1.5                         | user/ink-style                           | 1.5" })
    void theScaleOfALoraIsTheNumberAfterTheLastColon(String text, String path, Double scale) {
        KontextLora lora = KontextLora.parse(text);

        assertEquals(path, lora.path());
        assertEquals(scale, lora.scale());
        assertNull(lora.force());
    }

    @Test
    void aLoraGoesToFalWithItsSetPartsOnly() {
        assertEquals(Map.of("path", "a"), KontextLora.of("a", null).toFal());
        assertEquals(Map.of("path", "a", "scale", 0.5, "force", true), new KontextLora("a", 0.5, true).toFal());
    }

    @Test
    void anImageSizeIsAPresetOrWidthByHeight() {
        assertEquals(KontextImageSize.of(1280, 720), KontextImageSize.parse("1280x720"));
        assertEquals(Map.of("width", 1280, "height", 720), KontextImageSize.parse(" 1280x720 ").toFal());
        assertEquals("square_hd", KontextImageSize.parse("square_hd").toFal());
        assertEquals(KontextImageSize.preset("16x"), KontextImageSize.parse("16x"), "not a size: checked as a preset, and refused");
        assertThrows(IllegalArgumentException.class, () -> KontextImageSize.parse("99999999999x1"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(nullValues = "null", value = {
            "pro,  EDIT,          fal-ai/flux-pro/kontext",
            "max,  EDIT,          fal-ai/flux-pro/kontext/max",
            "dev,  EDIT,          fal-ai/flux-kontext/dev",
            "lora, EDIT,          fal-ai/flux-kontext-lora",
            "pro,  TEXT_TO_IMAGE, fal-ai/flux-pro/kontext/text-to-image",
            "max,  TEXT_TO_IMAGE, fal-ai/flux-pro/kontext/max/text-to-image",
            "dev,  TEXT_TO_IMAGE, null",
            "lora, TEXT_TO_IMAGE, fal-ai/flux-kontext-lora/text-to-image",
            "pro,  MULTI,         fal-ai/flux-pro/kontext/multi",
            "max,  MULTI,         fal-ai/flux-pro/kontext/max/multi",
            "dev,  MULTI,         null",
            "lora, MULTI,         null",
            "pro,  INPAINT,       null",
            "max,  INPAINT,       null",
            "dev,  INPAINT,       null",
            "lora, INPAINT,       fal-ai/flux-kontext-lora/inpaint" })
    void theEndpointTableIsProductsTable(String model, KontextTask task, String endpointId) {
        KontextSchema schema = KontextSchema.of(model, task);

        assertEquals(endpointId, schema == null ? null : schema.endpointId());
        if (schema != null) {
            assertEquals(schema, KontextSchema.ofEndpointId(endpointId));
        }
    }
}
