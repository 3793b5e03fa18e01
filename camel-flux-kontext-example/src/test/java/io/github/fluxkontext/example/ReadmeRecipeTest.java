package io.github.fluxkontext.example;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.fluxkontext.camel.FluxKontextComponent;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.FalSimulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.github.fluxkontext.example.ExampleTestSupport.assertImage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "Your own application" recipe for Camel Main, run as a user runs it: its {@code pom.xml},
 * {@code application.properties} and route, taken from README.md as they stand, in a project of their own, built and
 * run by Maven ({@code mvn compile exec:java}, the README's command) against the simulator. So the recipe and the
 * README cannot drift apart: a missing dependency, a wrong property or a broken route fails here.
 * <p>
 * Why a Maven of its own and not the recipe's Camel Main in this JVM: this JVM's class path has far more than the
 * recipe's pom (camel-direct, platform-http...), so only a build of that pom proves that it lists what it needs.
 * It does not touch the shared local repository: it runs on a private one under {@code target/} holding this build's
 * component (the 0.1.0-SNAPSHOT the README says to install), and reads every other artifact from this build's local
 * repository as a mirror of everything, never online (the example's pom makes sure the two artifacts that no module
 * uses are there). The simulator's port in the properties becomes this test's; the rest is the README's text.
 */
class ReadmeRecipeTest {

    private static final Path README = Path.of("..", "README.md");
    private static final String SIMULATOR_IN_README = "http://127.0.0.1:8765";
    private static final String PROMPT = "A lighthouse on a cliff at dusk, oil painting";

    @RegisterExtension
    static final FalSimulatorExtension FAL = FalSimulatorExtension.create(sim -> sim.runTime(Duration.ofMillis(50)).imageScale(0.125));

    @TempDir
    Path project;

    @Test
    void theCamelMainRecipeBuildsAndRunsAsWritten() throws Exception {
        String recipe = section(Files.readString(README), "\n## Your own application", "\n### Camel Main", "\n### ");
        String properties = block(recipe, "properties");
        assertTrue(properties.contains(SIMULATOR_IN_README), "the recipe points at the standalone simulator on 8765");
        write("pom.xml", block(recipe, "xml"));
        write("src/main/resources/application.properties", properties.replace(SIMULATOR_IN_README, FAL.baseUrl()));
        write("src/main/resources/routes/images.yaml", block(recipe, "yaml"));
        List<String> command = command(recipe);

        Path log = project.resolve("maven.log");
        Process maven = maven(command, log);
        boolean ended = maven.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            maven.destroyForcibly();
        }
        String output = Files.readString(log);

        assertTrue(ended, "the recipe did not end:\n" + output);
        assertEquals(0, maven.exitValue(), output);
        List<Path> images = files(project.resolve("output"));
        assertEquals(1, images.size(), output);
        String requestId = FAL.simulator().journal().entries(FalOperation.SUBMIT).get(0).requestId();
        assertEquals(project.resolve("output/" + requestId + "-0.jpg"), images.get(0));
        assertImage(images.get(0), "jpeg", 128, 128);
        assertTrue(output.contains("Wrote output/" + requestId + "-0.jpg"), output);
        assertEquals(1, FAL.simulator().journal().count(FalOperation.SUBMIT), "one job");
        assertEquals(PROMPT, FAL.simulator().journal().entries(FalOperation.SUBMIT).get(0).bodyAsJson().get("prompt"));
    }

    /** The README's command, run by this build's Maven on the private repository. */
    private Process maven(List<String> command, Path log) throws IOException {
        Path repository = privateRepository();
        Path settings = project.resolve("settings.xml");
        Files.writeString(settings, """
                <settings>
                  <mirrors>
                    <mirror><id>this-build</id><mirrorOf>*</mirrorOf><url>%s</url></mirror>
                  </mirrors>
                </settings>
                """.formatted(Path.of(System.getProperty("readme.recipe.localRepository")).toUri()));
        List<String> line = new ArrayList<>();
        line.add(Path.of(System.getProperty("maven.home"), "bin", "mvn").toString());
        line.addAll(command.subList(1, command.size()));
        line.addAll(List.of("-B", "-s", settings.toString(), "-Dmaven.repo.local=" + repository));
        ProcessBuilder builder = new ProcessBuilder(line).directory(project.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("MAVEN_OPTS");
        return builder.start();
    }

    /**
     * A local repository for the recipe's build with this build's component in it, as `mvn install` would put it: the
     * jar this test runs with, its pom and the parent pom. Other artifacts come from the mirror and stay for next time.
     */
    private static Path privateRepository() throws IOException {
        Path repository = Path.of("target", "readme-recipe-repository").toAbsolutePath();
        Path group = repository.resolve("io/github/fluxkontext");
        Path component = Files.createDirectories(group.resolve("camel-flux-kontext/0.1.0-SNAPSHOT"));
        Path parent = Files.createDirectories(group.resolve("camel-flux-kontext-parent/0.1.0-SNAPSHOT"));
        Files.copy(Path.of("..", "pom.xml"), parent.resolve("camel-flux-kontext-parent-0.1.0-SNAPSHOT.pom"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Path.of("..", "camel-flux-kontext", "pom.xml"), component.resolve("camel-flux-kontext-0.1.0-SNAPSHOT.pom"),
                StandardCopyOption.REPLACE_EXISTING);
        Path jar = component.resolve("camel-flux-kontext-0.1.0-SNAPSHOT.jar");
        Path built;
        try {
            built = Path.of(FluxKontextComponent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        if (Files.isDirectory(built)) {
            jar(built, jar); // `mvn test` runs on target/classes
        } else {
            Files.copy(built, jar, StandardCopyOption.REPLACE_EXISTING);
        }
        return repository;
    }

    private static void jar(Path classes, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
             Stream<Path> walk = Files.walk(classes)) {
            for (Path path : walk.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(path).toString().replace(File.separatorChar, '/')));
                Files.copy(path, out);
                out.closeEntry();
            }
        }
    }

    /** The text of a subsection of a section of the README: from its heading to the next heading of its level. */
    static String section(String readme, String sectionHeading, String subsectionHeading, String nextHeading) {
        int section = readme.indexOf(sectionHeading);
        assertTrue(section >= 0, "README has no " + sectionHeading.trim());
        int from = readme.indexOf(subsectionHeading, section);
        assertTrue(from >= 0, "README's " + sectionHeading.trim() + " has no " + subsectionHeading.trim());
        int to = readme.indexOf(nextHeading, from + 1);
        return readme.substring(from, to < 0 ? readme.length() : to);
    }

    /** The first code block of that language in the text. */
    static String block(String text, String language) {
        Matcher m = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(text);
        assertTrue(m.find(), "no ```" + language + " block in:\n" + text);
        return m.group(1);
    }

    /** The Maven command of the recipe: the plain code block that starts with mvn. */
    private static List<String> command(String recipe) {
        Matcher m = Pattern.compile("```\\n(mvn [^\\n]*)\\n```").matcher(recipe);
        assertTrue(m.find(), "no mvn command in:\n" + recipe);
        return Arrays.asList(m.group(1).trim().split("\\s+"));
    }

    private void write(String name, String content) throws IOException {
        Path file = project.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static List<Path> files(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
