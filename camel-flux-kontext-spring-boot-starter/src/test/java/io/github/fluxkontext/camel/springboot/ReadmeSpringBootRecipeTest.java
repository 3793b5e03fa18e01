package io.github.fluxkontext.camel.springboot;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.FalSimulatorExtension;
import org.apache.camel.CamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "Your own application" recipe for Spring Boot, taken from README.md as it stands: its
 * {@code application.properties}, the route file it shares with the Camel Main recipe, and its starters, which
 * this module's tests have on their class path (checked against the pom, so that a starter the README adds is
 * added here too). The application runs as {@code SpringApplication.run} runs it, against the simulator: it must
 * write the one image and stop by itself ({@code run-controller}, {@code duration-max-messages}).
 * <p>
 * Only three things differ from the text: the simulator's port, the route file's folder (a temporary one instead
 * of {@code classpath:routes}) and the output folder. The pom's dependency list itself is read, not built: the
 * Camel Main recipe's test (example module) builds its pom with Maven.
 */
class ReadmeSpringBootRecipeTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path STARTER_POM = Path.of("..", "camel-flux-kontext-spring-boot-starter", "pom.xml");
    private static final String SIMULATOR_IN_README = "http://127.0.0.1:8765";
    private static final String ROUTES_IN_README = "classpath:routes/*.yaml";
    private static final String OUTPUT_IN_README = "file:output";

    @RegisterExtension
    static final FalSimulatorExtension FAL = FalSimulatorExtension.create(sim -> sim.runTime(Duration.ofMillis(50)).imageScale(0.125));

    @TempDir
    Path project;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class MyImagesApplication {
    }

    @Test
    void theSpringBootRecipeRunsAsWrittenAndStopsOnceTheImageIsWritten() throws IOException {
        String readme = Files.readString(README);
        String recipe = section(readme, "\n### Spring Boot", "\n## ");
        String route = block(section(readme, "\n### Camel Main", "\n### "), "yaml");
        String properties = block(recipe, "properties");
        assertTrue(properties.contains(SIMULATOR_IN_README), "the recipe points at the standalone simulator on 8765");
        assertTrue(properties.contains(ROUTES_IN_README), "the recipe finds its routes in src/main/resources/routes");
        assertTrue(route.contains(OUTPUT_IN_README), "the route writes to the folder output");

        Path routes = Files.createDirectories(project.resolve("routes"));
        Path output = project.resolve("output");
        Files.writeString(routes.resolve("images.yaml"), route.replace(OUTPUT_IN_README, "file:" + output));
        SpringApplication application = new SpringApplication(MyImagesApplication.class);
        application.setDefaultProperties(springProperties(properties
                .replace(SIMULATOR_IN_README, FAL.baseUrl())
                .replace(ROUTES_IN_README, "file:" + routes + "/*.yaml")));

        // run-controller keeps a thread (not a daemon) alive, and with it a user's JVM, until duration-max-messages
        // were done: then Camel stops by itself, and nothing keeps that JVM up any more
        try (ConfigurableApplicationContext context = application.run()) {
            CamelContext camel = context.getBean(CamelContext.class);
            Awaitility.await("Camel stops by itself once the image was written").atMost(Duration.ofSeconds(60)).until(camel::isStopped);
        }

        List<Path> images;
        try (Stream<Path> files = Files.list(output)) {
            images = files.toList();
        }
        String requestId = FAL.simulator().journal().entries(FalOperation.SUBMIT).get(0).requestId();
        assertEquals(List.of(output.resolve(requestId + "-0.jpg")), images);
        byte[] jpeg = Files.readAllBytes(images.get(0));
        assertTrue(jpeg.length > 3 && (jpeg[0] & 0xff) == 0xff && (jpeg[1] & 0xff) == 0xd8, "a JPEG image");
    }

    @Test
    void everyStarterTheRecipeListsIsOnThisTestsClassPath() throws IOException {
        String recipe = section(Files.readString(README), "\n### Spring Boot", "\n## ");
        String pom = Files.readString(STARTER_POM);
        List<String> listed = artifactIds(block(recipe, "xml"));
        assertTrue(listed.contains("camel-flux-kontext-spring-boot-starter"), listed.toString());
        for (String artifact : listed) {
            assertTrue(artifact.equals("camel-flux-kontext-spring-boot-starter") || pom.contains("<artifactId>" + artifact + "</artifactId>"),
                    "the README's Spring Boot recipe needs " + artifact + ": add it to the starter's test dependencies so that"
                    + " ReadmeSpringBootRecipeTest runs with what the recipe lists");
        }
    }

    /** The README's properties, as Spring reads a properties file. */
    private static Properties springProperties(String text) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        properties.setProperty("spring.main.banner-mode", "off");
        return properties;
    }

    private static String section(String text, String start, String end) {
        int from = text.indexOf(start);
        assertTrue(from >= 0, "README has no section " + start.trim());
        int to = text.indexOf(end, from + start.length());
        return text.substring(from, to < 0 ? text.length() : to);
    }

    private static String block(String text, String language) {
        Matcher matcher = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(text);
        assertTrue(matcher.find(), "no ```" + language + " block");
        return matcher.group(1);
    }

    private static List<String> artifactIds(String xml) {
        List<String> ids = new ArrayList<>();
        Matcher matcher = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(xml);
        while (matcher.find()) {
            ids.add(matcher.group(1).trim());
        }
        return ids;
    }
}
