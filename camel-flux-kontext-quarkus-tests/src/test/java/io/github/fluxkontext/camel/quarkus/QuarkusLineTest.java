package io.github.fluxkontext.camel.quarkus;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import io.github.fluxkontext.camel.FluxKontextComponent;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jackson.JacksonDataFormat;
import org.apache.camel.quarkus.core.CamelRecorder;
import org.apache.camel.support.DefaultComponent;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * These tests run on two Camel Quarkus lines from the same sources (the default build and the quarkus-http profile).
 * The pom passes the versions of the line; this checks that the application really runs on them, and that the Camel
 * jars the component brings (camel-support, camel-jackson) are the Camel of that line, as camel-quarkus-bom manages
 * them, not the 4.18.0 the component is built against.
 */
@QuarkusTest
@WithTestResource(FalSimulatorResource.class)
class QuarkusLineTest {

    @Inject
    CamelContext camelContext;

    @Test
    void theApplicationRunsOnTheQuarkusAndCamelOfItsLine() throws IOException {
        assertEquals(expected("quarkus"), mavenVersion(io.quarkus.runtime.Quarkus.class, "io.quarkus", "quarkus-core"), "Quarkus");
        assertEquals(expected("camel-quarkus"), mavenVersion(CamelRecorder.class, "org.apache.camel.quarkus", "camel-quarkus-core"),
                "Camel Quarkus");
        String camel = camelContext.getVersion();
        assertEquals(camel, mavenVersion(DefaultComponent.class, "org.apache.camel", "camel-support"), "camel-support");
        assertEquals(camel, mavenVersion(JacksonDataFormat.class, "org.apache.camel", "camel-jackson"), "camel-jackson");
        assertNotNull(camelContext.getComponent("flux-kontext", FluxKontextComponent.class));
    }

    private static String expected(String name) {
        String version = System.getProperty("expected." + name + ".version");
        assertNotNull(version, "the pom passes expected." + name + ".version to the tests");
        return version;
    }

    /** The version in the pom.properties Maven put into the jar of the given class. */
    private static String mavenVersion(Class<?> type, String groupId, String artifactId) throws IOException {
        String resource = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = type.getResourceAsStream(resource)) {
            assertNotNull(in, resource + " next to " + type.getName());
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        }
    }
}
