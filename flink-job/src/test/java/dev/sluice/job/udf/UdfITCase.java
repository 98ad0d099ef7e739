package dev.sluice.job.udf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.core.error.ErrorCode;
import dev.sluice.core.sla.SlaMetrics;
import dev.sluice.job.EtlJob;
import dev.sluice.job.TableTarget;
import dev.sluice.job.pipeline.Pipelines;
import dev.sluice.job.pipeline.RecordProcessor;
import dev.sluice.job.reload.ConfigReloader;
import dev.sluice.job.testing.JobFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The example UDF pipeline ({@code examples/pipelines/udf/partner-orders.yaml}) end to end: lines through a
 * real broker and the {@link EtlJob} on a MiniCluster; the table and its error table are read back.
 * Shows the preprocess (timestamp normalised, heartbeat dropped), the Python derived field and the
 * postprocess (amount in euros, test order dropped) in rows, UDF_ERROR rows in the error table, and a
 * changed module picked up by hot reload.
 */
class UdfITCase {
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final String TABLE = "partner.orders";

    // Accumulators reach the JobManager with TaskManager heartbeats: beat often so a reload shows promptly.
    @RegisterExtension
    static final JobFixture fixture = JobFixture.perClass(1, Duration.ofSeconds(2), conf -> conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, 500L));

    @Test
    void hooksShapeRowsFailIntoTheErrorTableAndReloadWithTheModule() throws Exception {
        String topic = "udf-" + UUID.randomUUID().toString().substring(0, 8);
        fixture.createTopic(topic, 1);
        Path yaml = copyExample(topic);
        long receivedAt = Instant.parse("2026-11-23T10:15:30Z").toEpochMilli();
        fixture.produce(topic, bytes(
                order("o-1", "23/11/2026 10:00:01", "c-7", "120.5", "USD"),
                "HEARTBEAT 2026-11-23T10:00:02",
                order("o-2", "23/11/2026 10:00:03", "test-1", "5", "EUR"),
                order("o-3", "23/11/2026 10:00:04", "c-8", "7", "XYZ"),
                order("o-4", "2026-11-23 10:00:05", "c-8", "7", "EUR"),
                order("o-5", "24/11/2026 09:30:00", "c-9", "20", "GBP")), receivedAt);

        EtlJob job = fixture.job(PipelineConfigLoader.load(yaml), topic).configLocation(yaml).build();
        Map<String, TableTarget> targets = job.targets().stream()
                .collect(Collectors.toMap(TableTarget::name, Function.identity()));
        TableTarget orders = targets.get(TABLE);
        TableTarget errors = targets.get("partner.sluice_errors");
        JobID jobId = fixture.submit(job, 1, null);
        try {
            awaitJob(jobId, () -> orders.readAll().size() >= 2 && errors.readAll().size() >= 2);
            Map<String, Row> rows = byId(orders.readAll());
            assertThat(rows).containsOnlyKeys("o-1", "o-5");
            assertThat(rows.get("o-1").getField("amount_eur")).isEqualTo(110.86);
            assertThat(rows.get("o-1").getField("tier")).isEqualTo("large");
            assertThat(rows.get("o-1").getField("dt")).isEqualTo("2026-11-23");
            assertThat(rows.get("o-5").getField("amount_eur")).isEqualTo(23.4);
            assertThat(rows.get("o-5").getField("tier")).isEqualTo("small");
            assertThat(rows.get("o-5").getField("dt")).isEqualTo("2026-11-24");

            assertThat(errors.readAll()).extracting(r -> r.getField("error_code"), r -> r.getField("table_name"),
                    r -> r.getField("message")).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple(ErrorCode.UDF_ERROR.name(), TABLE,
                            "ValueError: unknown currency 'XYZ'"),
                    org.assertj.core.groups.Tuple.tuple(ErrorCode.UDF_ERROR.name(), null,
                            "ValueError: time data '2026-11-23 10:00:05' does not match format '%d/%m/%Y %H:%M:%S'"));
            Map<String, Long> sla = fixture.sla(jobId);
            assertThat(sla).containsEntry(SlaMetrics.key(SlaMetrics.JOB_TABLE,
                            SlaMetrics.RECORDS_DROPPED + "_" + RecordProcessor.DROP_PREPROCESS), 1L)
                    .containsEntry(SlaMetrics.key(SlaMetrics.JOB_TABLE,
                            SlaMetrics.RECORDS_DROPPED + "_udf_postprocess"), 1L)
                    .containsEntry(SlaMetrics.key(TABLE, SlaMetrics.RECORDS_DROPPED), 1L)
                    .containsEntry(SlaMetrics.key(TABLE, SlaMetrics.erroredByCode(ErrorCode.UDF_ERROR.name())), 1L);

            // Hot reload: the module changes, the YAML does not.
            Path pricing = yaml.resolveSibling("python").resolve("pricing.py");
            Path staged = pricing.resolveSibling("pricing.py.tmp");
            Files.writeString(staged, Files.readString(pricing).replace("amount >= 100", "amount >= 1000"));
            Files.move(staged, pricing, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            awaitJob(jobId, () -> fixture.jobCounter(jobId, ConfigReloader.RELOADS_COUNTER) == 1);
            fixture.produce(topic, bytes(order("o-6", "25/11/2026 08:00:00", "c-7", "120.5", "USD")), receivedAt);
            awaitJob(jobId, () -> byId(orders.readAll()).containsKey("o-6"));
            assertThat(byId(orders.readAll()).get("o-6").getField("tier")).isEqualTo("small");
            assertThat(byId(orders.readAll()).get("o-1").getField("tier")).isEqualTo("large");
        } finally {
            if (!fixture.flink().status(jobId).isGloballyTerminalState()) {
                fixture.flink().stopWithSavepoint(jobId);
            }
        }
    }

    /** The example pipeline and its module directory under a temp dir, reading {@code topic}. */
    private static Path copyExample(String topic) throws Exception {
        Path root = Files.createDirectories(fixture.dir().resolve("pipeline-" + topic));
        Path modules = Files.createDirectory(root.resolve("python"));
        try (Stream<Path> files = Files.list(Pipelines.EXAMPLES.resolve("udf/python"))) {
            for (Path module : files.toList()) {
                Files.copy(module, modules.resolve(module.getFileName()));
            }
        }
        Path yaml = root.resolve("partner-orders.yaml");
        Files.writeString(yaml, Files.readString(Pipelines.EXAMPLES.resolve("udf/partner-orders.yaml"))
                .replace("raw-partner-orders", topic).replace("sluice-partner-orders", topic));
        return yaml;
    }

    private static String order(String id, String ts, String customer, String amount, String currency) {
        return "{\"order_id\":\"" + id + "\",\"ts\":\"" + ts + "\",\"customer\":\"" + customer + "\",\"amount\":"
                + amount + ",\"currency\":\"" + currency + "\"}";
    }

    private static List<byte[]> bytes(String... lines) {
        return Stream.of(lines).map(l -> l.getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static Map<String, Row> byId(List<Row> rows) {
        return rows.stream().collect(Collectors.toMap(r -> (String) r.getField("order_id"), Function.identity()));
    }

    private static void awaitJob(JobID job, java.util.concurrent.Callable<Boolean> condition) {
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
            if (fixture.flink().status(job).isGloballyTerminalState()) {
                throw new IllegalStateException("job " + job + " ended");
            }
            return condition.call();
        });
    }
}
