package io.github.fluxkontext.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one ObjectMapper and the small JSON helpers the handlers share. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private Json() {
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise " + value.getClass().getName(), e);
        }
    }

    static String writeString(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise " + value.getClass().getName(), e);
        }
    }

    static JsonNode readTree(byte[] bytes) throws IOException {
        return MAPPER.readTree(bytes);
    }

    static Map<String, Object> parseObject(byte[] bytes) {
        try {
            return MAPPER.readValue(bytes, MAP);
        } catch (IOException e) {
            throw new IllegalStateException("Body is not a JSON object: " + e.getMessage(), e);
        }
    }

    static Map<String, Object> toMap(JsonNode node) {
        return MAPPER.convertValue(node, MAP);
    }

    /** Jackson's message without the source excerpt it appends. */
    static String shortMessage(IOException e) {
        return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }

    /** {@code {"detail": message}}. */
    static Map<String, Object> detail(String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("detail", message);
        return m;
    }

    /** fal's request-error body {@code {"detail": message, "error_type": type}}. */
    static Map<String, Object> requestError(String message, String errorType) {
        Map<String, Object> m = detail(message);
        m.put("error_type", errorType);
        return m;
    }

    /** fal's validation body {@code {"detail": [ {loc, msg, type}, ... ]}}. */
    static Map<String, Object> validationBody(List<Map<String, Object>> errors) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("detail", errors);
        return m;
    }

    static Map<String, Object> status(String value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", value);
        return m;
    }
}
