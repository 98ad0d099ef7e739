package dev.sluice.demo;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code DIR/endpoints.json}: where a running {@code demo --keep-running} stack listens, so other commands
 * ({@code sluice sla}, {@code sluice replay}, checks) find it. Keys (ARCHITECTURE.md): {@code gateway},
 * {@code api_key_env}, {@code bootstrap_servers}, {@code flink_ui}, {@code job_metrics},
 * {@code gateway_metrics}, {@code lake_root}, {@code checkpoint_dir}, {@code metastore_uri},
 * {@code prometheus}; a key is present only when that part runs. Written once everything is up (atomically,
 * so a reader never sees half a file), removed on shutdown.
 */
public final class Endpoints {
    public static final String FILE = "endpoints.json";
    public static final String GATEWAY = "gateway";
    public static final String API_KEY_ENV = "api_key_env";
    public static final String BOOTSTRAP_SERVERS = "bootstrap_servers";
    public static final String FLINK_UI = "flink_ui";
    public static final String JOB_METRICS = "job_metrics";
    public static final String GATEWAY_METRICS = "gateway_metrics";
    public static final String LAKE_ROOT = "lake_root";
    public static final String CHECKPOINT_DIR = "checkpoint_dir";
    public static final String PROMETHEUS = "prometheus";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Endpoints() {
    }

    /** Writes {@code endpoints} (key → URL or path) to {@code dataDir/endpoints.json}, replacing it whole. */
    public static Path write(Path dataDir, Map<String, String> endpoints) throws IOException {
        Path file = dataDir.resolve(FILE);
        Path partial = dataDir.resolve(FILE + ".tmp");
        JSON.writeValue(partial.toFile(), new LinkedHashMap<>(endpoints));
        return Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The endpoints of the stack running with {@code dataDir}; fails with what to do when none runs. */
    public static Map<String, String> read(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        try {
            return JSON.readValue(Files.readString(file), new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("no " + file + ": start the stack with ./sluice demo --keep-running"
                    + " --data-dir " + dataDir + " (or pass the endpoint explicitly)", e);
        }
    }

    public static void delete(Path dataDir) throws IOException {
        Files.deleteIfExists(dataDir.resolve(FILE));
    }
}
