package io.github.fluxkontext.example;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.JournalEntry;
import org.apache.camel.spi.Resource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.github.fluxkontext.example.ExampleTestSupport.assertImage;
import static io.github.fluxkontext.example.ExampleTestSupport.fastSettings;
import static io.github.fluxkontext.example.ExampleTestSupport.noKeyEnvironment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped samples through each route set, end to end against the simulator. */
class SamplesEndToEndTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} routes")
    @ValueSource(strings = { "java", "yaml" })
    void theSamplesBecomeImageFiles(String routes) throws Exception {
        Path out = dir.resolve("output");
        try (ExampleApplication app = new ExampleApplication(fastSettings(routes, out, dir.resolve("input")), noKeyEnvironment())) {
            app.start();
            assertRouteSet(app, routes);

            List<SampleJobs.Outcome> outcomes = app.runSamples(Duration.ofSeconds(60));

            outcomes.forEach(o -> assertTrue(o.succeeded(), o.job().name() + " failed: " + o.failure()));
            assertEquals(List.of("text-to-image fox", "text-to-image lighthouse", "text-to-image teapot", "edit house",
                    "multi kite-over-house"), outcomes.stream().map(o -> o.job().operation() + " " + o.job().name()).toList());
            for (String name : List.of("fox", "lighthouse", "teapot")) {
                assertImage(out.resolve("text-to-image/" + name + "-1.jpg"), "jpeg", 128, 128);
            }
            // edit and multi keep the (first) input's 4:3 ratio
            assertImage(out.resolve("edit/house-1.jpg"), "jpeg", 148, 110);
            assertImage(out.resolve("multi/kite-over-house-1.jpg"), "jpeg", 148, 110);
            assertEquals(List.of(out.resolve("edit/house-1.jpg").toAbsolutePath()), outcomes.get(3).files().stream().map(Path::toAbsolutePath).toList());

            // what reached the (simulated) fal: the shipped prompts and images
            List<JournalEntry> submits = app.backend().simulator().journal().entries(FalOperation.SUBMIT);
            assertEquals(5, submits.size());
            JournalEntry multi = submits.stream().filter(e -> e.path().endsWith("/kontext/multi")).findFirst().orElseThrow();
            assertEquals(2, ((List<?>) multi.bodyAsJson().get("image_urls")).size(), "both multi samples are sent");
            JournalEntry edit = submits.stream().filter(e -> e.path().endsWith("/flux-pro/kontext")).findFirst().orElseThrow();
            assertTrue(String.valueOf(edit.bodyAsJson().get("image_url")).startsWith("data:image/jpeg;base64,"));
            assertTrue(String.valueOf(edit.bodyAsJson().get("prompt")).startsWith("Make it a snowy winter evening"));
        }
    }

    @ParameterizedTest(name = "{0} routes")
    @ValueSource(strings = { "java", "yaml" })
    void severalPngImagesPerJobAreNumbered(String routes) throws Exception {
        Path out = dir.resolve("output");
        Properties settings = fastSettings(routes, out, dir.resolve("input"));
        settings.setProperty("camel.component.flux-kontext.num-images", "2");
        settings.setProperty("camel.component.flux-kontext.output-format", "png");
        try (ExampleApplication app = new ExampleApplication(settings, noKeyEnvironment())) {
            app.start();

            List<SampleJobs.Outcome> outcomes = app.runSamples(Duration.ofSeconds(60));

            outcomes.forEach(o -> assertTrue(o.succeeded(), o.job().name() + " failed: " + o.failure()));
            assertEquals(10, outcomes.stream().mapToInt(o -> o.files().size()).sum());
            assertImage(out.resolve("text-to-image/fox-1.png"), "png", 128, 128);
            assertImage(out.resolve("text-to-image/fox-2.png"), "png", 128, 128);
            assertImage(out.resolve("edit/house-2.png"), "png", 148, 110);
            assertImage(out.resolve("multi/kite-over-house-2.png"), "png", 148, 110);
        }
    }

    /** The routes really come from the chosen DSL. */
    static void assertRouteSet(ExampleApplication app, String routes) {
        List<String> ids = List.of("text-to-image", "edit", "multi", "save-images", "watch-text-to-image", "watch-edit", "webhook");
        assertEquals(ids.size(), app.context().getRoutes().size());
        for (String id : ids) {
            Resource source = app.context().getRoute(id).getSourceResource();
            if (routes.equals("yaml")) {
                assertTrue(source != null && source.getLocation().endsWith("routes/flux-kontext-example.yaml"), id + " comes from " + source);
            } else {
                assertNull(source, id + " comes from a Java RouteBuilder, not a resource");
            }
        }
    }
}
