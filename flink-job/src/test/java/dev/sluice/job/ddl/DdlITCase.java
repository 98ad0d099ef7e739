package dev.sluice.job.ddl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.job.EtlJob;
import dev.sluice.job.TableTarget;
import dev.sluice.job.testing.JobFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Flink-dialect DDL of {@code sluice ddl}, run in Flink SQL (in-memory catalog, Hudi and filesystem
 * connectors), reads back what a real Sluice job wrote: a bounded job on a real broker and MiniCluster
 * fills a MERGE_ON_READ Hudi table, its Hive-style Parquet copy and the error table; each is then queried
 * through its CREATE TABLE statement and must hold exactly the rows Sluice's own readers see, with the
 * values that were sent.
 */
class DdlITCase {
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final int ORDERS = 20;

    @RegisterExtension
    static final JobFixture fixture = JobFixture.perClass(2, Duration.ofSeconds(2));

    @Test
    void flinkDdlReadsTheTablesSluiceWrote() throws Exception {
        String topic = "ddl-" + UUID.randomUUID().toString().substring(0, 8);
        fixture.createTopic(topic, 1);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            lines.add("{\"id\":\"o-" + i + "\",\"ts\":\"2026-11-2" + (3 + i % 2) + "T10:00:0" + (i % 10)
                    + "Z\",\"amount\":" + i + ".5,\"qty\":" + i + ",\"paid\":" + (i % 2 == 0) + ",\"day\":\"2026-11-01\"}");
        }
        // A later version of o-0: the Hudi table upserts it, the Parquet copy keeps both.
        lines.add("{\"id\":\"o-0\",\"ts\":\"2026-11-23T11:00:00Z\",\"amount\":99.5,\"qty\":7,\"paid\":true,\"day\":\"2026-11-02\"}");
        lines.add("{\"id\":\"broken\",");
        lines.add("{\"id\":\"nan\",\"ts\":\"2026-11-23T10:00:00Z\",\"amount\":\"lots\"}");
        fixture.produce(topic, lines.stream().map(l -> l.getBytes(StandardCharsets.UTF_8)).toList(),
                System.currentTimeMillis());

        EtlJob job = fixture.job(JobFixture.pipeline("it-ddl.yaml", topic), topic).bounded(true).build();
        JobID jobId = fixture.submit(job, 1, null);
        try {
            await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                    .until(() -> fixture.flink().status(jobId).isGloballyTerminalState());
            assertThat(fixture.flink().status(jobId)).isEqualTo(JobStatus.FINISHED);
        } finally {
            if (!fixture.flink().status(jobId).isGloballyTerminalState()) {
                fixture.flink().stopWithSavepoint(jobId);
            }
        }

        TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        sql.getConfig().set("parallelism.default", "1");
        for (String statement : TableDdl.statements(job.targets(), Dialect.FLINK)) {
            sql.executeSql(statement);
        }
        Map<String, TableTarget> targets = job.targets().stream()
                .collect(Collectors.toMap(t -> t.path().substring(t.path().lastIndexOf('/') + 1), Function.identity()));

        List<Row> hudi = query(sql, "SELECT * FROM ddl.orders");
        assertThat(hudi).hasSize(ORDERS).containsExactlyInAnyOrderElementsOf(targets.get("orders").readAll());
        assertThat(hudi).filteredOn(r -> "o-0".equals(r.getField("id"))).singleElement().satisfies(r -> {
            assertThat(r.getField("ts")).isEqualTo(LocalDateTime.parse("2026-11-23T11:00:00"));
            assertThat(r.getField("amount")).isEqualTo(99.5);
            assertThat(r.getField("qty")).isEqualTo(7L);
            assertThat(r.getField("paid")).isEqualTo(true);
            assertThat(r.getField("day")).isEqualTo(LocalDate.parse("2026-11-02"));
            assertThat(r.getField("dt")).isEqualTo("2026-11-23");
        });

        List<Row> parquet = query(sql, "SELECT * FROM ddl.orders_hive");
        assertThat(parquet).hasSize(ORDERS + 1)
                .containsExactlyInAnyOrderElementsOf(targets.get("orders_hive").readAll());
        assertThat(query(sql, "SELECT dt, COUNT(*) FROM ddl.orders_hive GROUP BY dt").stream()
                .filter(r -> r.getKind() == RowKind.INSERT
                        || r.getKind() == RowKind.UPDATE_AFTER)
                .collect(Collectors.toMap(r -> (String) r.getField(0), r -> (Long) r.getField(1), (a, b) -> b)))
                .containsExactlyInAnyOrderEntriesOf(Map.of("2026-11-23", (long) ORDERS / 2 + 1, "2026-11-24", (long) ORDERS / 2));

        List<Row> errors = query(sql, "SELECT error_code, source_offset FROM ddl.sluice_errors");
        assertThat(errors).extracting(r -> r.getField("error_code"))
                .containsExactlyInAnyOrder("INVALID_JSON", "TYPE_CONVERSION");
        assertThat(errors).extracting(r -> r.getField("source_offset"))
                .containsExactlyInAnyOrder((long) ORDERS + 1, (long) ORDERS + 2);
    }

    private static List<Row> query(TableEnvironment sql, String query) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = sql.executeSql(query).collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }
}
