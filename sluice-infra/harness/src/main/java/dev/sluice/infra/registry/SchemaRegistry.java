package dev.sluice.infra.registry;

import dev.sluice.infra.Dirs;
import dev.sluice.infra.process.ChildJvm;
import dev.sluice.infra.process.Ports;
import dev.sluice.infra.process.ServerClasspath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real schema registry with the Confluent Schema Registry REST API, in a child JVM: Apicurio Registry
 * (Quarkus, in-memory H2 storage, so every start is empty) serving the Confluent-compatible API under
 * {@code /apis/ccompat/v7}. Confluent's own registry is not on the Maven mirror and there is no Docker.
 *
 * <p>Usage:
 * <pre>{@code
 * try (SchemaRegistry registry = SchemaRegistry.start(dir)) {
 *     // POST registry.url() + "/subjects/orders-value/versions" ...
 * }
 * }</pre>
 *
 * <p>The distribution zip (~140 MB) is unpacked once into {@code java.io.tmpdir} and reused by later
 * starts; the server takes 10–20 s to start on a busy 2-core machine.
 */
public final class SchemaRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistry.class);
    private static final String DISTRIBUTION_RESOURCE = "/dev/sluice/infra/registry/server.distribution";
    private static final String RUNTIME_MODULE = "sluice-infra/registry-runtime";
    private static final String MAIN_CLASS = "io.quarkus.runner.GeneratedMain";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    /** Where Apicurio serves the Confluent Schema Registry API. */
    private static final String CONFLUENT_API = "/apis/ccompat/v7";

    private final ChildJvm server;
    private final String url;

    private SchemaRegistry(ChildJvm server, String url) {
        this.server = server;
        this.url = url;
    }

    /** Starts an empty registry on a free port of 127.0.0.1, logging to {@code dir/schema-registry.log}. */
    public static SchemaRegistry start(Path dir) {
        Path zip = Path.of(ServerClasspath.read(DISTRIBUTION_RESOURCE, RUNTIME_MODULE).get(0));
        Path home = unpacked(zip);
        Path runner;
        try (Stream<Path> files = Files.list(home)) {
            runner = files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no *-runner.jar in " + home));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int port = Ports.free();
        ChildJvm server = ChildJvm.builder("schema-registry")
                // The runner jar's manifest puts lib/ on the classpath.
                .classpath(List.of(runner.toString()))
                .jvmArgs(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port))
                .mainClass(MAIN_CLASS)
                .logFile(dir.toAbsolutePath().resolve("schema-registry.log"))
                .build();
        server.start();
        server.awaitLogLine(0, line -> line.contains("Listening on: http://127.0.0.1:" + port), START_TIMEOUT);
        SchemaRegistry registry = new SchemaRegistry(server, "http://127.0.0.1:" + port + CONFLUENT_API);
        LOG.info("schema registry ready at {}", registry.url());
        return registry;
    }

    /** Base URL of the Confluent-compatible API, e.g. {@code http://127.0.0.1:P/apis/ccompat/v7}. */
    public String url() {
        return url;
    }

    /** Stops the server; its schemas are gone. Idempotent. */
    @Override
    public void close() {
        server.stop();
    }

    /** The distribution unpacked under the temp directory, once per zip (name and size) for every start. */
    private static Path unpacked(Path zip) {
        try {
            String name = zip.getFileName().toString().replaceFirst("\\.zip$", "");
            Path home = Path.of(System.getProperty("java.io.tmpdir"), "sluice-" + name + "-" + Files.size(zip));
            if (Files.exists(home)) {
                return home;
            }
            Path partial = Files.createTempDirectory(home.getParent(), home.getFileName() + ".partial-");
            LOG.info("unpacking {} into {}", zip, home);
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                    Path target = partial.resolve(entry.getName()).normalize();
                    if (!target.startsWith(partial)) {
                        throw new IOException("zip entry outside the target directory: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(in, target);
                    }
                }
            }
            try {
                // Whole or not at all: a concurrent start that got there first wins.
                Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                Dirs.deleteTree(partial);
            }
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the schema registry distribution " + zip, e);
        }
    }
}
