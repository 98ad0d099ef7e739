package dev.sluice.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.config.DedupConfig;
import dev.sluice.core.config.PipelineConfig;
import dev.sluice.core.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.types.RowKind;
import org.junit.jupiter.api.Test;

/** Every shipped example loads, opens, and turns the demo generator's lines into the expected rows. */
class ExamplePipelinesTest {

    @Test
    void everyExampleLoadsAndOpens() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(Pipelines.EXAMPLES)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains("app-logs.yaml", "click-events.yaml", "game-ops.yaml", "mysql-orders.yaml",
                        "nginx-access.yaml");
        for (Path file : files) {
            PipelineConfig config = Pipelines.example(file.getFileName().toString());
            Pipelines.opened(config);
            assertThat(config.tables()).allSatisfy(t -> assertThat(t.columns()).anyMatch(c -> c.name().equals("dt")));
        }
    }

    @Test
    void gameOpsRoutesByEventNameFlattensRoleAndDropsTestServers() {
        RecordProcessor processor = Pipelines.opened(Pipelines.example("game-ops.yaml"));
        String role = "{\"id\":42,\"name\":\"n\",\"level\":7,\"guild\":{\"id\":3}}";

        CollectingOutput out = Pipelines.run(processor, "raw-game-ops",
                "2026-11-23 10:00:01 [login] {\"role\":" + role + ",\"server\":\"s1\",\"ip\":\"1.2.3.4\"}",
                "2026-11-23 10:00:02 [payment] {\"role\":" + role
                        + ",\"order_id\":\"o-1\",\"amount\":6.48,\"currency\":\"usd\"}",
                "2026-11-23 10:00:03 [login] {\"role\":" + role + ",\"server\":\"test-1\",\"ip\":\"1.2.3.4\"}",
                "no header at all");

        RowData login = out.rows("game.login").get(0);
        assertThat(login.getTimestamp(1, 6).toLocalDateTime()).isEqualTo(LocalDateTime.of(2026, 11, 23, 10, 0, 1));
        assertThat(login.getLong(2)).isEqualTo(42L);
        assertThat(login.getString(3)).isEqualTo(StringData.fromString("n"));
        assertThat(login.getLong(4)).isEqualTo(7L);
        assertThat(login.getLong(5)).isEqualTo(3L);
        assertThat(login.getString(8)).isEqualTo(StringData.fromString("2026-11-23"));
        RowData payment = out.rows("game.payment").get(0);
        assertThat(payment.getString(0)).isEqualTo(StringData.fromString("o-1"));
        assertThat(payment.getDouble(5)).isEqualTo(6.48);
        assertThat(payment.getString(6)).isEqualTo(StringData.fromString("USD"));
        assertThat(out.rows).hasSize(2);
        assertThat(out.drops).containsExactly(
                new CollectingOutput.Drop("game.payment", "route"),
                new CollectingOutput.Drop("game.login", "route"),
                new CollectingOutput.Drop("game.login", "filtered"));
        assertThat(out.errors).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.PATTERN_MISMATCH);
            assertThat(e.raw()).isEqualTo("no header at all");
        });
    }

    @Test
    void clickEventsAreDeduplicatedByEventIdForAnHourAndFlattenTheUser() {
        PipelineConfig config = Pipelines.example("click-events.yaml");
        assertThat(config.tables().get(0).dedup())
                .isEqualTo(new DedupConfig(List.of("event_id"), Duration.ofHours(1)));
        CollectingOutput out = Pipelines.run(Pipelines.opened(config), "raw-click-events",
                "{\"event_id\":\"9f1c-1\",\"ts\":\"2026-11-23T10:00:01.250Z\",\"user\":{\"id\":42},"
                        + "\"screen\":\"home\",\"action\":\"tap\",\"target\":\"buy\"}");
        RowData row = out.rows("app.clicks").get(0);
        assertThat(row.getString(0)).isEqualTo(StringData.fromString("9f1c-1"));
        assertThat(row.getLong(2)).isEqualTo(42L);
        assertThat(row.getString(6)).isEqualTo(StringData.fromString("2026-11-23"));
    }

    @Test
    void nginxParsesCombinedFormatAndFiltersHealthChecks() {
        RecordProcessor processor = Pipelines.opened(Pipelines.example("nginx-access.yaml"));

        CollectingOutput out = Pipelines.run(processor, "raw-nginx-access",
                "1.2.3.4 - - [23/Nov/2026:10:00:01 +0100] \"GET /api/items?id=1 HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0\"",
                "10.0.0.1 - - [23/Nov/2026:10:00:02 +0000] \"GET /healthz HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.29\"",
                "1.2.3.4 - - [23/Nov/2026:10:00:01 +0000] \"GET / HTTP/1.1\" twohundred 512 \"-\" \"x\"");

        RowData row = out.rows("web.nginx_access").get(0);
        assertThat(row.getTimestamp(1, 6).toLocalDateTime()).isEqualTo(LocalDateTime.of(2026, 11, 23, 9, 0, 1));
        assertThat(row.getString(2)).isEqualTo(StringData.fromString("1.2.3.4"));
        assertThat(row.getString(3)).isEqualTo(StringData.fromString("GET"));
        assertThat(row.getString(4)).isEqualTo(StringData.fromString("/api/items?id=1"));
        assertThat(row.getLong(6)).isEqualTo(200L);
        assertThat(row.getLong(7)).isEqualTo(512L);
        assertThat(row.getString(8)).isEqualTo(StringData.fromString("-"));
        assertThat(row.getString(9)).isEqualTo(StringData.fromString("Mozilla/5.0"));
        assertThat(row.getString(10)).isEqualTo(StringData.fromString("2026-11-23"));
        assertThat(out.drops).containsExactly(new CollectingOutput.Drop("web.nginx_access", "filtered"));
        assertThat(out.errors).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.PATTERN_MISMATCH);
            assertThat(e.table()).isEqualTo("web.nginx_access");
        });
    }

    @Test
    void mysqlOrdersMapsDebeziumOpsToRowKinds() {
        RecordProcessor processor = Pipelines.opened(Pipelines.example("mysql-orders.yaml"));
        String after = "{\"id\":1001,\"customer_id\":42,\"status\":\"%s\",\"amount\":6.48,\"created_at\":\"2026-11-23T10:00:01Z\"}";

        CollectingOutput out = Pipelines.run(processor, "raw-mysql-orders",
                "{\"before\":null,\"after\":" + after.formatted("NEW") + ",\"source\":{\"db\":\"shop\",\"table\":\"orders\"},\"op\":\"c\",\"ts_ms\":1795428001000}",
                "{\"schema\":{},\"payload\":{\"before\":" + after.formatted("NEW") + ",\"after\":" + after.formatted("PAID")
                        + ",\"source\":{\"db\":\"shop\",\"table\":\"orders\"},\"op\":\"u\",\"ts_ms\":1795428002000}}",
                "{\"before\":" + after.formatted("PAID") + ",\"after\":null,\"source\":{},\"op\":\"d\",\"ts_ms\":1795428003000}",
                "{\"before\":null,\"after\":null,\"op\":\"c\"}");

        List<RowData> rows = out.rows("shop.orders");
        assertThat(rows).extracting(RowData::getRowKind)
                .containsExactly(RowKind.INSERT, RowKind.UPDATE_AFTER, RowKind.DELETE);
        assertThat(rows).extracting(r -> r.getString(2).toString()).containsExactly("NEW", "PAID", "PAID");
        assertThat(rows).extracting(r -> r.getString(5).toString()).containsExactly("c", "u", "d");
        assertThat(rows.get(0).getLong(0)).isEqualTo(1001L);
        assertThat(rows.get(2).getTimestamp(6, 6).getMillisecond()).isEqualTo(1795428003000L);
        assertThat(rows.get(2).getString(7)).isEqualTo(StringData.fromString("2026-11-23"));
        assertThat(out.errors).singleElement()
                .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CHANGE_EVENT));
    }
}
