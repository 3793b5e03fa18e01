import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes the option and header tables of the component's reference page from the component JSON
 * that camel-package-maven-plugin generates, between the page's marker comments
 * ({@code // component options: START} ... {@code END}, likewise for endpoint options and headers).
 * The build runs it (exec-maven-plugin at process-classes, right after the JSON is generated) as a
 * single-file program, {@code java -cp <runtime classpath> ComponentDocsGenerator.java <json> <page>}:
 * it is build tooling, so it is neither in the jar nor in the test sources. The tables are never
 * written by hand; CI checks that the committed page is what the build writes.
 */
public final class ComponentDocsGenerator {

    private ComponentDocsGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ComponentDocsGenerator <component json> <adoc page>");
        }
        Path json = Path.of(args[0]);
        Path page = Path.of(args[1]);
        String updated = update(Files.readString(page), new ObjectMapper().readTree(json.toFile()));
        if (!updated.equals(Files.readString(page))) {
            Files.writeString(page, updated, StandardCharsets.UTF_8);
        }
    }

    /** The page with its three generated sections replaced. */
    public static String update(String page, JsonNode schema) {
        String result = replace(page, "component options", optionsTable(schema.get("componentProperties"),
                "The component supports %d options, which are listed below. They are the defaults of every endpoint"
                + " (`camel.component.flux-kontext.*` in Camel Main, Spring Boot and Quarkus style configuration)."));
        result = replace(result, "endpoint options", optionsTable(schema.get("properties"),
                "The endpoint is configured using URI syntax `flux-kontext:operation`, with %d path and query options:"));
        return replace(result, "endpoint headers", headersTable(schema.get("headers")));
    }

    private static String replace(String page, String section, String content) {
        String start = "// " + section + ": START\n";
        String end = "// " + section + ": END";
        int from = page.indexOf(start);
        int to = page.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalStateException("the page has no '" + start.strip() + "' ... '" + end + "' section");
        }
        return page.substring(0, from + start.length()) + content + page.substring(to);
    }

    private static String optionsTable(JsonNode options, String intro) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(intro, options.size())).append("\n\n");
        out.append("[width=\"100%\",cols=\"2,5,^1,2\",options=\"header\"]\n|===\n| Name | Description | Default | Type\n");
        for (Map.Entry<String, JsonNode> option : sorted(options)) {
            JsonNode o = option.getValue();
            String group = o.path("group").asText("");
            String name = "*" + option.getKey() + "*" + (group.isEmpty() ? "" : " (" + group + ")")
                          + (o.path("required").asBoolean() ? " *required*" : "") + (o.path("secret").asBoolean() ? " _secret_" : "");
            out.append("| ").append(name)
                    .append(" | ").append(cell(o.path("description").asText("")) + enums(o))
                    .append(" | ").append(cell(o.has("defaultValue") ? o.get("defaultValue").asText() : ""))
                    .append(" | ").append(cell(type(o))).append('\n');
        }
        return out.append("|===\n").toString();
    }

    private static String headersTable(JsonNode headers) {
        StringBuilder out = new StringBuilder();
        out.append("The component uses ").append(headers.size()).append(" message headers:\n\n");
        out.append("[width=\"100%\",cols=\"2,5,^1,2\",options=\"header\"]\n|===\n| Name | Description | Default | Type\n");
        headers.properties().forEach(header -> {
            JsonNode h = header.getValue();
            String constant = h.path("constantName").asText("");
            String shortConstant = constant.contains("#") ? "FluxKontextConstants." + constant.substring(constant.indexOf('#') + 1) : "";
            out.append("| *").append(header.getKey()).append("* (").append(h.path("group").asText("common")).append(")\n")
                    .append("Constant: `").append(shortConstant).append('`')
                    .append(" | ").append(cell(h.path("description").asText("")))
                    .append(" | ")
                    .append(" | ").append(cell(h.path("javaType").asText(""))).append('\n');
        });
        return out.append("|===\n").toString();
    }

    /** Path options first, then by group (common, producer, advanced, proxy, security), then by name. */
    private static List<Map.Entry<String, JsonNode>> sorted(JsonNode options) {
        List<String> groups = List.of("common", "producer", "advanced", "proxy", "security");
        List<Map.Entry<String, JsonNode>> list = new ArrayList<>();
        list.addAll(options.properties());
        list.sort((a, b) -> {
            int pathA = "path".equals(a.getValue().path("kind").asText()) ? 0 : 1;
            int pathB = "path".equals(b.getValue().path("kind").asText()) ? 0 : 1;
            if (pathA != pathB) {
                return pathA - pathB;
            }
            int ga = groups.indexOf(a.getValue().path("group").asText());
            int gb = groups.indexOf(b.getValue().path("group").asText());
            return ga != gb ? Integer.compare(ga, gb) : a.getKey().compareToIgnoreCase(b.getKey());
        });
        return list;
    }

    private static String type(JsonNode option) {
        String javaType = option.path("javaType").asText("");
        String simple = javaType.contains(".") && !javaType.contains("<") ? javaType.substring(javaType.lastIndexOf('.') + 1) : javaType;
        return "duration".equals(option.path("type").asText()) ? "Duration (" + simple + " ms)" : simple;
    }

    private static String enums(JsonNode option) {
        if (!option.has("enum")) {
            return "";
        }
        List<String> values = new ArrayList<>();
        option.get("enum").forEach(v -> values.add(v.asText()));
        return " Enum values: " + String.join(", ", values.stream().map(v -> "`" + v + "`").toList());
    }

    /** Escapes table separators. */
    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
