package dev.sluice.infra.process;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a server classpath that a {@code sluice-infra/*-runtime} module recorded at build time
 * ({@code maven-dependency-plugin:build-classpath}) and checks that every jar is still there.
 */
public final class ServerClasspath {
    private ServerClasspath() {
    }

    /**
     * @param resource     e.g. {@code /dev/sluice/infra/metastore/server.classpath}
     * @param runtimeModule the module that writes it, named in the error message
     */
    public static List<String> read(String resource, String runtimeModule) {
        try (InputStream in = ServerClasspath.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource + ": build " + runtimeModule
                        + " first (./mvnw -B install -pl " + runtimeModule + " -DskipTests)");
            }
            String value = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            List<String> entries = Arrays.asList(value.split(File.pathSeparator));
            for (String entry : entries) {
                if (!Files.exists(Path.of(entry))) {
                    throw new IllegalStateException("server jar " + entry
                            + " is missing from the local Maven repository: rebuild " + runtimeModule);
                }
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
