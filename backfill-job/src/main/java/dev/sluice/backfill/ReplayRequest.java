package dev.sluice.backfill;

import dev.sluice.core.config.PipelineConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One replay, typed and validated once: which table and partition, from what input, against which
 * deployment.
 *
 * <p>Usage:
 * <pre>{@code
 * ReplayRequest request = ReplayRequest.builder()
 *     .pipeline(config).table("web.access").partition("dt=2026-11-23").from(ReplaySource.KAFKA)
 *     .bootstrapServers("127.0.0.1:9092").lakeRoot("file:///data/lake").metastoreUri("thrift://127.0.0.1:9083")
 *     .build();
 * }</pre>
 *
 * @param pipeline         the current pipeline config (the fixed one)
 * @param table            {@code db.table}
 * @param partition        {@code dt=2026-11-23} (Hive-style, as the table's directories are named); null
 *                         for {@code --rollback} and {@code --gc}, which work on the whole table
 * @param from             the input
 * @param sink             {@code hive} or {@code hudi}: which of the table's sinks to repair; null picks
 *                         the only one, or the Hive one when the table has both
 * @param dryRun           plan only: read and count, write nothing
 * @param bootstrapServers Kafka, for {@code --from kafka}
 * @param lakeRoot         the lake root the pipeline's tables live under
 * @param metastoreUri     Hive Metastore of Hive tables ({@code thrift://host:port})
 * @param lateness         how long after the partition's day records of it may still be ingested
 * @param parallelism      parallelism of the replay job
 */
public record ReplayRequest(PipelineConfig pipeline, String table, String partition, ReplaySource from, String sink,
                            boolean dryRun, String bootstrapServers, String lakeRoot, String metastoreUri,
                            Duration lateness, int parallelism) {

    /** Default {@link #lateness}: records of a day ingested up to an hour after it still count. */
    public static final Duration DEFAULT_LATENESS = Duration.ofHours(1);

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link ReplayRequest}; {@link #build()} reports every problem at once. */
    public static final class Builder {
        private PipelineConfig pipeline;
        private String table;
        private String partition;
        private ReplaySource from = ReplaySource.KAFKA;
        private String sink;
        private boolean dryRun;
        private String bootstrapServers;
        private String lakeRoot;
        private String metastoreUri;
        private Duration lateness = DEFAULT_LATENESS;
        private int parallelism = 1;

        public Builder pipeline(PipelineConfig value) {
            pipeline = value;
            return this;
        }

        public Builder table(String value) {
            table = value;
            return this;
        }

        public Builder partition(String value) {
            partition = value;
            return this;
        }

        public Builder from(ReplaySource value) {
            from = value;
            return this;
        }

        public Builder sink(String value) {
            sink = value;
            return this;
        }

        public Builder dryRun(boolean value) {
            dryRun = value;
            return this;
        }

        public Builder bootstrapServers(String value) {
            bootstrapServers = value;
            return this;
        }

        public Builder lakeRoot(String value) {
            lakeRoot = value;
            return this;
        }

        public Builder metastoreUri(String value) {
            metastoreUri = value;
            return this;
        }

        public Builder lateness(Duration value) {
            lateness = value;
            return this;
        }

        public Builder parallelism(int value) {
            parallelism = value;
            return this;
        }

        /** @throws ReplayException (usage) naming every missing or bad setting */
        public ReplayRequest build() {
            Objects.requireNonNull(pipeline, "pipeline");
            List<String> problems = new ArrayList<>();
            if (table == null || !table.matches("[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*")) {
                problems.add("--table must be db.table, was " + table);
            }
            if (partition != null && !partition.matches("[^/=]+=[^/]*(/[^/=]+=[^/]*)*")) {
                problems.add("--partition must be a Hive-style partition such as dt=2026-11-23, was " + partition);
            }
            Objects.requireNonNull(from, "from");
            if (sink != null && !sink.equals("hive") && !sink.equals("hudi")) {
                problems.add("--sink must be hive or hudi, was " + sink);
            }
            if (partition != null && from == ReplaySource.KAFKA && bootstrapServers == null) {
                problems.add("--from kafka needs the broker: --bootstrap-servers, or --data-dir of a running demo");
            }
            if (lakeRoot == null) {
                problems.add("the lake root is unknown: --lake-root, or --data-dir of a running demo");
            }
            if (metastoreUri != null && !metastoreUri.startsWith("thrift://")) {
                problems.add("--metastore-uri must look like thrift://host:9083, was " + metastoreUri);
            }
            if (lateness == null || lateness.isNegative()) {
                problems.add("--lateness must be 0 or more, was " + lateness);
            }
            if (parallelism < 1) {
                problems.add("--parallelism must be at least 1, was " + parallelism);
            }
            if (!problems.isEmpty()) {
                throw ReplayException.usage(String.join("; ", problems));
            }
            return new ReplayRequest(pipeline, table, partition, from, sink, dryRun, bootstrapServers, lakeRoot,
                    metastoreUri, lateness, parallelism);
        }
    }
}
