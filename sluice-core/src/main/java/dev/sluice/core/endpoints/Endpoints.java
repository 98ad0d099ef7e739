package dev.sluice.core.endpoints;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where a running local stack can be reached: {@code DIR/endpoints.json}, written by
 * {@code sluice demo --keep-running} once everything is up and removed on shutdown, read by other commands
 * ({@code sluice replay}) so they need no flags against a running demo. Shape in ARCHITECTURE.md; a key is
 * present only when that part runs (null fields are left out), and keys this version does not know are
 * ignored on read, so newer writers stay readable.
 *
 * @param gateway          the gateway's base URL
 * @param apiKeyEnv        the environment variable holding the demo API key (never the key itself)
 * @param bootstrapServers Kafka {@code host:port}
 * @param flinkUi          Flink Web UI / REST base URL
 * @param jobMetrics       the Flink jobs' Prometheus endpoint
 * @param gatewayMetrics   the gateway's Prometheus endpoint
 * @param lakeRoot         the lake root URI ({@code file:///...})
 * @param checkpointDir    where the jobs checkpoint
 * @param metastoreUri     Hive Metastore ({@code thrift://host:port})
 * @param prometheus       Prometheus started by {@code demo --prometheus} ({@code http://host:port})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Endpoints(
        @JsonProperty("gateway") String gateway,
        @JsonProperty("api_key_env") String apiKeyEnv,
        @JsonProperty("bootstrap_servers") String bootstrapServers,
        @JsonProperty("flink_ui") String flinkUi,
        @JsonProperty("job_metrics") String jobMetrics,
        @JsonProperty("gateway_metrics") String gatewayMetrics,
        @JsonProperty("lake_root") String lakeRoot,
        @JsonProperty("checkpoint_dir") String checkpointDir,
        @JsonProperty("metastore_uri") String metastoreUri,
        @JsonProperty("prometheus") String prometheus) {

    /** The file name under the data directory. */
    public static final String FILE_NAME = "endpoints.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Without Prometheus (the demo starts it only with {@code --prometheus}). */
    public Endpoints(String gateway, String apiKeyEnv, String bootstrapServers, String flinkUi, String jobMetrics,
                     String gatewayMetrics, String lakeRoot, String checkpointDir, String metastoreUri) {
        this(gateway, apiKeyEnv, bootstrapServers, flinkUi, jobMetrics, gatewayMetrics, lakeRoot, checkpointDir,
                metastoreUri, null);
    }

    /** The same endpoints with {@code prometheus} set. */
    public Endpoints withPrometheus(String url) {
        return new Endpoints(gateway, apiKeyEnv, bootstrapServers, flinkUi, jobMetrics, gatewayMetrics, lakeRoot,
                checkpointDir, metastoreUri, url);
    }

    /** {@code dataDir/endpoints.json}. */
    public static Path fileIn(Path dataDir) {
        return dataDir.resolve(FILE_NAME);
    }

    /**
     * Writes {@code dataDir/endpoints.json} atomically (a reader never sees half a file).
     *
     * @return the file written
     */
    public Path writeTo(Path dataDir) {
        Path file = fileIn(dataDir);
        try {
            Files.createDirectories(dataDir);
            Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Reads {@code dataDir/endpoints.json}.
     *
     * @throws IllegalArgumentException when the file is absent (no stack running there) or not valid JSON
     */
    public static Endpoints readFrom(Path dataDir) {
        Path file = fileIn(dataDir);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no " + file + ": start the stack with `./sluice demo --keep-running"
                    + " --data-dir " + dataDir + "`, or give the endpoints as flags");
        }
        try {
            return JSON.readValue(file.toFile(), Endpoints.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not a valid endpoints file: " + e.getMessage(), e);
        }
    }

    /** Removes {@code dataDir/endpoints.json} if present (on shutdown). */
    public static void removeFrom(Path dataDir) {
        try {
            Files.deleteIfExists(fileIn(dataDir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + fileIn(dataDir), e);
        }
    }
}
