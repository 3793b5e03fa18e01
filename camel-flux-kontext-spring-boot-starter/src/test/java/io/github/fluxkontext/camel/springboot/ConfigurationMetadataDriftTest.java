package io.github.fluxkontext.camel.springboot;

import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.unit.DataSize;

import static io.github.fluxkontext.camel.springboot.FluxKontextComponentAutoConfigurationTest.componentJson;
import static io.github.fluxkontext.camel.springboot.FluxKontextComponentAutoConfigurationTest.kebab;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The starter's generated Spring Boot metadata (META-INF/spring-configuration-metadata.json, written by
 * spring-boot-configuration-processor) against the component's generated Camel metadata (flux-kontext.json in the
 * component jar): same options, types, defaults and enum values, so the two cannot drift apart.
 */
class ConfigurationMetadataDriftTest {

    private static final String PREFIX = "camel.component.flux-kontext.";
    /** Properties of camel-spring-boot's own and of the starter's filter (FluxKontextWebhookBodyLimitAutoConfiguration), not component options. */
    private static final Set<String> STARTER_ONLY = Set.of("enabled", "customizer.enabled", "webhook-body-limit-enabled");
    /**
     * The component's JSON says defaultValue false for these Boolean options (Camel's generator adds it to every
     * boolean), but the component leaves them null = not sent to fal, which is what the starter documents.
     */
    private static final Set<String> UNSET_BOOLEANS = Set.of("enhancePrompt", "syncMode", "enableSafetyChecker");

    private static JsonNode options;
    private static Map<String, JsonNode> properties;
    private static Map<String, JsonNode> hints;

    @BeforeAll
    static void load() throws Exception {
        options = componentJson().get("componentProperties");
        JsonNode metadata = starterMetadata();
        properties = new LinkedHashMap<>();
        for (JsonNode p : metadata.get("properties")) {
            properties.put(p.get("name").asText(), p);
        }
        hints = new LinkedHashMap<>();
        for (JsonNode h : metadata.path("hints")) {
            hints.put(h.get("name").asText(), h);
        }
    }

    /** The spring-configuration-metadata.json on the class path that describes camel.component.flux-kontext. */
    private static JsonNode starterMetadata() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<URL> urls = Collections.list(ConfigurationMetadataDriftTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"));
        for (URL url : urls) {
            try (InputStream in = url.openStream()) {
                JsonNode metadata = mapper.readTree(in);
                for (JsonNode group : metadata.path("groups")) {
                    if ("camel.component.flux-kontext".equals(group.get("name").asText())) {
                        return metadata;
                    }
                }
            }
        }
        return fail("no spring-configuration-metadata.json with the camel.component.flux-kontext group among " + urls);
    }

    @Test
    void everyComponentOptionHasADocumentedProperty() {
        List<String> missing = new ArrayList<>();
        for (Iterator<String> it = options.fieldNames(); it.hasNext(); ) {
            String option = it.next();
            JsonNode property = properties.get(PREFIX + kebab(option));
            if (property == null) {
                missing.add(option + " (" + PREFIX + kebab(option) + ")");
            } else {
                assertTrue(property.path("description").asText().length() > 10, "description of " + option);
            }
        }
        assertEquals(List.of(), missing, "component options without a starter property");
        assertTrue(options.size() > 40, "options read: " + options.size());
    }

    @Test
    void everyStarterPropertyIsAComponentOption() {
        Set<String> kebabOptions = new LinkedHashSet<>();
        options.fieldNames().forEachRemaining(o -> kebabOptions.add(kebab(o)));
        List<String> stale = new ArrayList<>();
        for (String name : properties.keySet()) {
            assertTrue(name.startsWith(PREFIX), name);
            String suffix = name.substring(PREFIX.length());
            if (!kebabOptions.contains(suffix) && !STARTER_ONLY.contains(suffix)) {
                stale.add(name);
            }
        }
        assertEquals(List.of(), stale, "starter properties that are no component option");
        for (String s : STARTER_ONLY) {
            assertTrue(properties.get(PREFIX + s).path("description").asText().length() > 10, s);
            assertEquals("true", properties.get(PREFIX + s).path("defaultValue").asText(), s);
        }
    }

    @Test
    void typesMatch() {
        options.fields().forEachRemaining(e -> {
            String option = e.getKey();
            String camelType = e.getValue().get("type").asText();
            String javaType = e.getValue().get("javaType").asText();
            String springType = properties.get(PREFIX + kebab(option)).get("type").asText();
            String expected = switch (camelType) {
                case "duration" -> "java.time.Duration";
                case "boolean" -> "java.lang.Boolean";
                case "string", "enum" -> "java.lang.String";
                case "number" -> "java.lang.Double";
                case "integer" -> option.endsWith("Size") ? "org.springframework.util.unit.DataSize"
                        : javaType.equals("int") || javaType.equals("java.lang.Integer") ? "java.lang.Integer"
                        : "java.lang.Long";
                case "object" -> javaType;
                default -> fail(option + ": unknown type " + camelType);
            };
            assertEquals(expected, springType, "type of " + option + " (" + camelType + ", " + javaType + ")");
        });
    }

    @Test
    void defaultsMatch() {
        options.fields().forEachRemaining(e -> {
            String option = e.getKey();
            JsonNode camelDefault = e.getValue().get("defaultValue");
            JsonNode springDefault = properties.get(PREFIX + kebab(option)).get("defaultValue");
            if (UNSET_BOOLEANS.contains(option)) {
                assertEquals(null, springDefault, option + ": unset, not false");
                return;
            }
            String springType = properties.get(PREFIX + kebab(option)).get("type").asText();
            String expected = camelDefault == null ? null : camelDefault.asText();
            String actual = springDefault == null ? null : switch (springType) {
                case "java.time.Duration" -> String.valueOf(DurationStyle.detectAndParse(springDefault.asText()).toMillis());
                case "org.springframework.util.unit.DataSize" -> String.valueOf(DataSize.parse(springDefault.asText()).toBytes());
                case "java.lang.Double" -> String.valueOf(springDefault.asDouble());
                default -> springDefault.asText();
            };
            assertEquals(expected, actual, "default of " + option);
        });
    }

    @Test
    void enumOptionsHaveTheirValuesAsHints() {
        Set<String> enumProperties = new LinkedHashSet<>();
        options.fields().forEachRemaining(e -> {
            JsonNode values = e.getValue().get("enum");
            if (values == null) {
                return;
            }
            String name = PREFIX + kebab(e.getKey());
            enumProperties.add(name);
            JsonNode hint = hints.get(name);
            assertNotNull(hint, "value hints for " + name);
            List<String> expected = new ArrayList<>();
            values.forEach(v -> expected.add(v.asText()));
            List<String> actual = new ArrayList<>();
            hint.get("values").forEach(v -> actual.add(v.get("value").asText()));
            assertEquals(expected, actual, "hints of " + name);
        });
        assertEquals(enumProperties, hints.keySet(), "hints only for the component's enum options");
    }
}
