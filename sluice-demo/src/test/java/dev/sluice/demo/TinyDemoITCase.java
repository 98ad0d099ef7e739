package dev.sluice.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.infra.process.Ports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice demo --events 1}: one line goes to app-logs and none to game-ops or nginx-access, so most
 * tables (Hudi and Hive, data and error tables) get no row at all. Every table must still be read back,
 * as 0 rows, and the run must finish with a balanced account.
 */
class TinyDemoITCase {
    @TempDir
    Path dataDir;

    @Test
    void aRunTooSmallToFillEveryTableReadsEmptyTablesAsZeroRows() throws Exception {
        Path repo = Path.of(System.getProperty("user.dir")).getParent();
        DemoSettings settings = new DemoSettings(1, 0, dataDir, Ports.free(), "sk-tiny-demo",
                repo.resolve("ingest-gateway/target/quarkus-app/quarkus-run.jar"), repo.resolve("examples/pipelines"));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        Demo.Result result = new Demo(settings, new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
        DemoSummary summary;
        try {
            summary = result.summary();
        } finally {
            result.stack().close();
        }

        assertThat(summary.posted()).isEqualTo(1);
        assertThat(summary.accepted()).isEqualTo(1);
        assertThat(summary.tables()).extracting(DemoSummary.Table::format).contains("hive");
        assertThat(summary.tables()).filteredOn(t -> t.name().startsWith("web.")).as("nginx-access got no line")
                .isNotEmpty().allSatisfy(t -> assertThat(t.rows()).isZero());
        assertThat(summary.tables().stream().mapToLong(DemoSummary.Table::rows).sum()).isLessThanOrEqualTo(1);
        assertThat(summary.jobs()).hasSize(DemoSources.ALL.size())
                .allSatisfy(job -> assertThat(job.sla().balanced()).as(job.topic()).isTrue());
        assertThat(summary.jobs().stream().mapToLong(j -> j.sla().in()).sum()).isEqualTo(1);
        assertThat(summary.render()).contains("posted 1 lines, accepted 1");
    }
}
