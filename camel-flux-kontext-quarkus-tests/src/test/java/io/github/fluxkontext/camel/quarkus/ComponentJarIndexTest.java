package io.github.fluxkontext.camel.quarkus;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import io.github.fluxkontext.camel.FluxKontextComponent;
import io.github.fluxkontext.camel.FluxKontextConverters;
import org.apache.camel.Converter;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.IndexReader;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The component jar carries a Jandex index, META-INF/jandex.idx (written by camel-package-maven-plugin). Quarkus
 * reads the Camel service files (component, configurers, type converters) only from jars it indexes, and it indexes a
 * plain dependency only when the dependency brings its index: without it every flux-kontext: URI fails on Quarkus
 * with "No endpoint could be found". In `mvn verify` the class path holds the packaged jar, so this checks what is
 * published; in an IDE it checks target/classes, from which the jar is made.
 */
class ComponentJarIndexTest {

    private static final String INDEX = "META-INF/jandex.idx";

    @Test
    void theComponentJarCarriesAJandexIndexOfItsClasses() throws Exception {
        Index index = readIndex(componentLocation());

        assertNotNull(index.getClassByName(DotName.createSimple(FluxKontextComponent.class.getName())), "the component class");
        assertFalse(index.getAnnotations(DotName.createSimple(Converter.class.getName())).isEmpty(),
                "the type converters (" + FluxKontextConverters.class.getSimpleName() + ")");
    }

    private static Path componentLocation() throws URISyntaxException {
        return Path.of(FluxKontextComponent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static Index readIndex(Path location) throws IOException {
        if (Files.isDirectory(location)) {
            Path index = location.resolve(INDEX);
            assertTrue(Files.isRegularFile(index), INDEX + " is missing in " + location);
            try (InputStream in = Files.newInputStream(index)) {
                return new IndexReader(in).read();
            }
        }
        try (ZipFile jar = new ZipFile(location.toFile())) {
            ZipEntry entry = jar.getEntry(INDEX);
            assertNotNull(entry, INDEX + " is missing in " + location + ": Quarkus would not find the component");
            try (InputStream in = jar.getInputStream(entry)) {
                return new IndexReader(in).read();
            }
        }
    }
}
