package dev.sluice.job.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.apache.flink.runtime.jobgraph.RestoreMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetainedStateTest {
    @TempDir
    Path dir;

    @Test
    void jobDirIsTheCheckpointDirPlusTheJobNameAsAUri() {
        assertThat(RetainedState.jobDir(dir.toString(), "sluice-etl-t")).isEqualTo(dir.toUri() + "sluice-etl-t");
        assertThat(RetainedState.jobDir("s3a://bucket/ckpt", "sluice-etl-t")).isEqualTo("s3a://bucket/ckpt/sluice-etl-t");
        assertThat(RetainedState.savepointDir("s3a://bucket/ckpt/sluice-etl-t")).isEqualTo("s3a://bucket/ckpt/sluice-etl-t/savepoints");
    }

    @Test
    void nothingRetainedWhenTheDirectoryIsMissingOrHoldsNoCompleteCheckpoint() throws Exception {
        String jobDir = RetainedState.jobDir(dir.toString(), "job");
        assertThat(RetainedState.latest(jobDir)).isEmpty();
        Files.createDirectories(dir.resolve("job/aaaa/chk-7"));
        Files.createDirectories(dir.resolve("job/aaaa/shared"));
        assertThat(RetainedState.latest(jobDir)).as("chk-7 has no _metadata yet: in progress").isEmpty();
    }

    @Test
    void theNewestCompleteCheckpointOrSavepointOfAnyRunWins() throws Exception {
        String jobDir = RetainedState.jobDir(dir.toString(), "job");
        complete(dir.resolve("job/run1/chk-12"), 1_000);
        complete(dir.resolve("job/run2/chk-3"), 3_000);
        Files.createDirectories(dir.resolve("job/run2/chk-4"));
        complete(dir.resolve("job/savepoints/savepoint-run1-abc"), 2_000);

        RetainedState.Snapshot latest = RetainedState.latest(jobDir).orElseThrow();
        assertThat(latest.path()).endsWith("/job/run2/chk-3");
        assertThat(latest.savepoint()).isFalse();
        assertThat(latest.restoreSettings().getRestoreMode()).isEqualTo(RestoreMode.CLAIM);
        assertThat(latest.restoreSettings().getRestorePath()).isEqualTo(latest.path());

        complete(dir.resolve("job/savepoints/savepoint-run2-def"), 4_000);
        RetainedState.Snapshot savepoint = RetainedState.latest(jobDir).orElseThrow();
        assertThat(savepoint.path()).endsWith("/job/savepoints/savepoint-run2-def");
        assertThat(savepoint.kind()).isEqualTo("savepoint");
        assertThat(savepoint.restoreSettings().getRestoreMode()).as("a savepoint is never claimed").isEqualTo(RestoreMode.NO_CLAIM);
    }

    @Test
    void otherJobsStateIsNotConsidered() throws Exception {
        complete(dir.resolve("other-job/run1/chk-1"), 5_000);
        assertThat(RetainedState.latest(RetainedState.jobDir(dir.toString(), "job"))).isEmpty();
    }

    private static void complete(Path checkpoint, long modifiedMillis) throws Exception {
        Files.createDirectories(checkpoint);
        Path metadata = Files.writeString(checkpoint.resolve("_metadata"), "m");
        Files.setLastModifiedTime(metadata, FileTime.fromMillis(modifiedMillis));
    }
}
