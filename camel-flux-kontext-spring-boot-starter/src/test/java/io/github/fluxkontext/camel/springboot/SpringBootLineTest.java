package io.github.fluxkontext.camel.springboot;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.component.jackson.JacksonDataFormat;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.support.DefaultComponent;
import org.junit.jupiter.api.Test;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The starter's tests run on two Spring Boot lines from the same sources: Spring Boot 3.5 with camel-spring-boot 4.18
 * (the starter's own module) and Spring Boot 4 with camel-spring-boot 4.22 (camel-flux-kontext-spring-boot4-tests).
 * Each module's pom passes the versions it manages; this checks that the application really runs on them, so that a
 * dependency mix-up (say camel-support 4.18 under camel-spring-boot 4.22) cannot pass for a test of either line.
 */
class SpringBootLineTest {

    @SpringBootConfiguration
    // not a web application: platform-http (on the test class path for the webhook test) needs a web server
    @EnableAutoConfiguration(excludeName = { "org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpAutoConfiguration",
            "org.apache.camel.component.platform.http.springboot.SpringBootPlatformWebMvcConfiguration" })
    static class Application {
    }

    private static String expected(String name) {
        String version = System.getProperty("expected." + name + ".version");
        assertNotNull(version, "the pom passes expected." + name + ".version to the tests");
        return version;
    }

    @Test
    void theApplicationRunsOnTheSpringBootAndCamelVersionsOfItsLine() throws IOException {
        assertEquals(expected("spring-boot"), SpringBootVersion.getVersion(), "Spring Boot");
        assertEquals(expected("camel-spring-boot"), mavenVersion(CamelAutoConfiguration.class,
                "org.apache.camel.springboot", "camel-spring-boot"), "camel-spring-boot");
        // the Camel artifacts the component depends on: without camel-bom of the same release imported, Maven would
        // take them at the component's own 4.18 under a 4.22 core (see the starter's README)
        assertEquals(expected("camel"), mavenVersion(DefaultComponent.class, "org.apache.camel", "camel-support"), "camel-support");
        assertEquals(expected("camel"), mavenVersion(JacksonDataFormat.class, "org.apache.camel", "camel-jackson"), "camel-jackson");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
                .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF).logStartupInfo(false)
                .properties("camel.component.flux-kontext.api-key=k").run()) {
            assertEquals(expected("camel"), context.getBean(CamelContext.class).getVersion(), "Camel");
        }
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
