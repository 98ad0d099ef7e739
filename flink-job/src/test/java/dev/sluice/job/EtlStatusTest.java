package dev.sluice.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.sla.SlaMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtlStatusTest {
    @TempDir
    Path dir;

    @Test
    void theAccountIsTheJobLevelCountersOrSaysTheyAreNotReportedYet() {
        assertThat(EtlStatus.account(Map.of())).isEqualTo("counters not reported yet");
        assertThat(EtlStatus.account(Map.of(job(SlaMetrics.RECORDS_IN), 10L, job(SlaMetrics.RECORDS_OUT), 7L,
                job(SlaMetrics.RECORDS_DROPPED), 2L, job(SlaMetrics.RECORDS_ERRORED), 1L, "t|recordsIn", 99L)))
                .isEqualTo("in 10 out 7 dropped 2 errored 1");
    }

    @Test
    void aHudiTablesLastCommitIsItsNewestCompletedInstant() throws Exception {
        Path timeline = Files.createDirectories(dir.resolve("hudi/.hoodie"));
        TableTarget hudi = new TableTarget("db.t", "hudi-cow", dir.resolve("hudi").toUri().toString(), null, null);
        assertThat(EtlStatus.lastCommit(hudi)).isEmpty();
        Files.createFile(timeline.resolve("20261130101500123.commit"));
        Files.createFile(timeline.resolve("20261130102000456.commit.requested"));
        Files.createFile(timeline.resolve("20261130102000456.inflight"));
        assertThat(EtlStatus.lastCommit(hudi)).contains(LocalDateTime.of(2026, 11, 30, 10, 15, 0, 123_000_000));
        Files.createFile(timeline.resolve("20261130102000456.commit"));
        assertThat(EtlStatus.lastCommit(hudi)).contains(LocalDateTime.of(2026, 11, 30, 10, 20, 0, 456_000_000));
    }

    @Test
    void aHiveTablesLastCommitIsItsNewestVisibleDataFile() throws Exception {
        Path partition = Files.createDirectories(dir.resolve("hive/dt=2026-11-30"));
        TableTarget hive = new TableTarget("db.t", TableTarget.HIVE, dir.resolve("hive").toUri().toString(), null, null);
        Files.setLastModifiedTime(Files.createFile(partition.resolve(".part-1.inprogress")), FileTime.fromMillis(9_000_000));
        assertThat(EtlStatus.lastCommit(hive)).as("in-progress files are not committed").isEmpty();
        Files.setLastModifiedTime(Files.createFile(partition.resolve("part-0")), FileTime.fromMillis(5_000_000));
        assertThat(EtlStatus.lastCommit(hive)).contains(LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(5_000_000), ZoneId.systemDefault()));
        assertThat(new EtlStatus(List.of(hive)).line(Map.of())).startsWith("counters not reported yet | db.t (hive) committed ");
    }

    private static String job(String counter) {
        return SlaMetrics.key(SlaMetrics.JOB_TABLE, counter);
    }
}
