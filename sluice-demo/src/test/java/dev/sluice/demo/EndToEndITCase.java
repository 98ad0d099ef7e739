package dev.sluice.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.infra.process.Ports;
import dev.sluice.job.EtlJob;
import dev.sluice.job.TableTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton on real parts: KRaft broker (child JVM) → gateway (its packaged app, child JVM)
 * over HTTP → ETL job on a Flink MiniCluster → Hudi COW table, read back with Hudi's reader.
 */
class EndToEndITCase {
    private static final String API_KEY = "sk-e2e-test-key";
    private static final int EVENTS = 300;
    private static final List<String> DAYS = List.of("2026-11-21", "2026-11-22", "2026-11-23");

    @TempDir
    static Path dataDir;

    static LocalStack stack;
    static TableTarget table;

    @BeforeAll
    static void startStack() throws Exception {
        Path repo = Path.of(System.getProperty("user.dir")).getParent();
        stack = LocalStack.start(dataDir, repo.resolve("ingest-gateway/target/quarkus-app/quarkus-run.jar"),
                Ports.free(), API_KEY, 4, Duration.ofSeconds(2), false, step -> { });
        EtlJob job = EtlJob.builder()
                .pipeline(PipelineConfigLoader.load(Path.of("src/test/resources/pipelines/e2e-app-logs.yaml")))
                .bootstrapServers(stack.broker().bootstrapServers())
                .lakeRoot(dataDir.resolve("lake").toString())
                .build();
        stack.submit(job);
        table = job.targets().get(0);
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void linesPostedOverHttpLandAsHudiRowsAndUpdatesReplaceThem() throws Exception {
        IngestClient client = new IngestClient(stack.gateway().baseUrl(), API_KEY);
        List<String> lines = IntStream.range(0, EVENTS).mapToObj(i -> event(i, 10 + i, "00:00:01")).toList();
        IngestClient.Result first = client.post("app-logs", "application/x-ndjson", lines);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.accepted()).isEqualTo(EVENTS);

        Map<String, Row> rows = awaitRows(EVENTS, r -> true);
        Row sample = rows.get("e-7");
        assertThat(sample.getField("level")).isEqualTo("INFO");
        assertThat(sample.getField("latency_ms")).isEqualTo(17L);
        assertThat(sample.getField("user_id")).isEqualTo(7007L);
        assertThat(sample.getField("ts")).isEqualTo(LocalDateTime.parse("2026-11-22T00:00:01"));
        assertThat(sample.getField("dt")).isEqualTo("2026-11-22");
        TreeSet<String> days = rows.values().stream().map(r -> (String) r.getField("dt"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(days).containsExactlyElementsOf(DAYS);
        assertThat(partitionDirectories()).containsExactlyInAnyOrder("dt=2026-11-21", "dt=2026-11-22", "dt=2026-11-23");

        // Later events for 50 keys: upsert keeps one row per key, the one with the later ts.
        List<String> updates = IntStream.range(0, 50).mapToObj(i -> event(i, 5000 + i, "12:00:00")).toList();
        assertThat(client.post("app-logs", "application/x-ndjson", updates).accepted()).isEqualTo(50);

        Map<Object, Object> expected = IntStream.range(0, EVENTS).boxed()
                .collect(Collectors.toMap(i -> "e-" + i, i -> i < 50 ? 5000L + i : 10L + i));
        Map<String, Row> updated = awaitRows(EVENTS, r -> latencies(r).equals(expected));
        assertThat(latencies(updated)).isEqualTo(expected);
        assertThat(updated.get("e-7").getField("ts")).isEqualTo(LocalDateTime.parse("2026-11-22T12:00:00"));
    }

    /** Waits until the table holds {@code count} distinct keys and {@code ready} holds; returns rows by key. */
    private static Map<String, Row> awaitRows(int count, java.util.function.Predicate<Map<String, Row>> ready) {
        List<Map<String, Row>> last = new ArrayList<>(List.of(Map.of()));
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            Map<String, Row> byKey = table.readAll().stream()
                    .collect(Collectors.toMap(r -> (String) r.getField("event_id"), Function.identity()));
            last.set(0, byKey);
            return byKey.size() == count && ready.test(byKey);
        });
        return last.get(0);
    }

    private static Map<Object, Object> latencies(Map<String, Row> rows) {
        return rows.values().stream().collect(Collectors.toMap(r -> r.getField("event_id"), r -> r.getField("latency_ms")));
    }

    private static List<String> partitionDirectories() throws IOException {
        try (Stream<Path> children = Files.list(Path.of(java.net.URI.create(table.path())))) {
            return children.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("dt=")).toList();
        }
    }

    private static String event(int i, long latency, String time) {
        String day = DAYS.get(i % DAYS.size());
        return "{\"event_id\":\"e-" + i + "\",\"ts\":\"" + day + "T" + time + "Z\",\"level\":\"" + (i % 10 == 0 ? "ERROR" : "INFO")
                + "\",\"msg\":\"served\",\"latency_ms\":" + latency + ",\"user\":{\"id\":" + (7000 + i) + "},\"dt\":\"" + day + "\"}";
    }
}
