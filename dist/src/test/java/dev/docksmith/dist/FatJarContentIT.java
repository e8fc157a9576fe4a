package dev.docksmith.dist;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the shaded jar must hold. The services check reads every plugin module's own
 * {@code META-INF/services} files, so a plugin added to the build but lost from the jar (or a merge
 * that keeps only one provider per SPI) fails here, not on a user's host.
 */
class FatJarContentIT {
    static final Path JAR = Path.of("target/docksmith.jar");
    static final Path PLUGINS = Path.of("../plugins");

    @Test
    void manifestStartsMainAndIsMultiRelease() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertEquals("dev.docksmith.runtime.Main", main.getValue("Main-Class"));
            assertEquals("true", main.getValue("Multi-Release"));
            assertNotNull(main.getValue("Implementation-Version"));
        }
    }

    @Test
    void noStrayModuleDescriptorsOrSignatures() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            List<String> stray = jar.stream().map(e -> e.getName())
                    .filter(n -> n.endsWith("module-info.class") || n.matches("META-INF/[^/]+\\.(SF|DSA|RSA)"))
                    .toList();
            assertTrue(stray.isEmpty(), "stray entries: " + stray);
        }
    }

    @Test
    void everyPluginProviderIsRegisteredAndPresent() throws IOException {
        List<Path> serviceFiles = new ArrayList<>();
        try (Stream<Path> modules = Files.list(PLUGINS)) {
            for (Path module : modules.toList()) {
                Path services = module.resolve("src/main/resources/META-INF/services");
                if (Files.isDirectory(services)) {
                    try (Stream<Path> files = Files.list(services)) {
                        serviceFiles.addAll(files.toList());
                    }
                }
            }
        }
        assertFalse(serviceFiles.isEmpty(), "no plugin declares a provider; is " + PLUGINS.toAbsolutePath() + " right?");
        try (JarFile jar = new JarFile(JAR.toFile())) {
            for (Path file : serviceFiles) {
                String spi = file.getFileName().toString();
                var merged = jar.getEntry("META-INF/services/" + spi);
                assertNotNull(merged, "META-INF/services/" + spi + " missing from the fat jar");
                String content = new String(jar.getInputStream(merged).readAllBytes(), StandardCharsets.UTF_8);
                for (String provider : providers(Files.readString(file))) {
                    assertTrue(content.lines().map(String::trim).anyMatch(provider::equals),
                            provider + " (from " + file + ") is not registered in the fat jar's " + spi);
                    assertNotNull(jar.getEntry(provider.replace('.', '/') + ".class"), provider + " class missing");
                }
            }
        }
    }

    static List<String> providers(String servicesFile) {
        return servicesFile.lines().map(l -> l.replaceAll("#.*", "").trim()).filter(l -> !l.isEmpty()).toList();
    }
}
