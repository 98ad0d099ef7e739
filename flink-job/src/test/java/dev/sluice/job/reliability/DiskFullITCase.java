package dev.sluice.job.reliability;

import static org.awaitility.Awaitility.await;

import dev.sluice.job.EtlJob;
import dev.sluice.job.TableTarget;
import dev.sluice.job.sla.RecordingReporter;
import dev.sluice.job.testing.JobFixture;
import dev.sluice.job.testing.Tables;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.metrics.Gauge;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A full disk under the lake: the lake root is a small tmpfs mount, and once the job has committed, a
 * filler file takes every free byte. Writing fails, the job fails over; when the filler is removed it
 * resumes from its last checkpoint. The table then holds every record exactly once, and no half-written
 * file is visible (the reader goes through Hudi's timeline, which only lists committed files, and
 * would fail on a truncated Parquet file if one were listed). Needs root (mount); skipped otherwise.
 */
class DiskFullITCase {
    private static final int BATCH = 500;

    @RegisterExtension
    static final JobFixture fixture = JobFixture.perClass(2, Duration.ofSeconds(2), RecordingReporter::configure);

    static Path mount;

    @BeforeAll
    static void start() throws Exception {
        mount = Files.createDirectories(fixture.dir().resolve("small-disk"));
        int code = run("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount.toString());
        Assumptions.assumeTrue(code == 0, "cannot mount a tmpfs at " + mount + " (needs root): full-disk test skipped");
    }

    @AfterAll
    static void stop() throws Exception {
        if (mount != null) {
            // Lazy: a reader thread may still hold a file open for a moment.
            run("umount", "-l", mount.toString());
        }
    }

    @Test
    void theJobFailsOverOnAFullDiskAndResumesExactlyWhenSpaceReturns() throws Exception {
        String topic = "disk-" + UUID.randomUUID().toString().substring(0, 8);
        fixture.createTopic(topic, 1);
        EtlJob job = EtlJob.builder().pipeline(JobFixture.pipeline("sla-orders.yaml", topic))
                .bootstrapServers(fixture.bootstrapServers()).lakeRoot(mount.resolve("lake").toString()).build();
        TableTarget orders = job.targets().get(0);
        Path timeline = Path.of(java.net.URI.create(orders.path())).resolve(".hoodie");
        JobID id = fixture.submit(job, 1, null);
        try {
            produce(topic, 0);
            await().atMost(Duration.ofMinutes(2)).until(() -> Tables.hudiCommits(timeline) >= 1);

            Path filler = mount.resolve("filler");
            long filled = fill(filler);
            Instant full = Instant.now();
            produce(topic, BATCH);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> restarts(id) >= 1);
            Instant failedOver = Instant.now();
            Files.delete(filler);
            Instant freed = Instant.now();
            long commitsBefore = Tables.hudiCommits(timeline);
            await().atMost(Duration.ofMinutes(2)).until(() -> fixture.flink().status(id) == JobStatus.RUNNING
                    && Tables.hudiCommits(timeline) > commitsBefore);
            Instant resumed = Instant.now();
            System.out.printf("disk full (%d MB filler): failover %.1f s after the disk filled; committing again %.1f s "
                    + "after space returned%n", filled >> 20, Duration.between(full, failedOver).toMillis() / 1000.0,
                    Duration.between(freed, resumed).toMillis() / 1000.0);

            fixture.stopAndCheckEachIdOnce(id, orders, 2L * BATCH);
        } finally {
            fixture.stopIfRunning(id);
        }
    }

    /** Writes {@code filler} until the file system refuses; returns its size. */
    private static long fill(Path filler) {
        byte[] chunk = new byte[1 << 16];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
                written += chunk.length;
            }
        } catch (IOException full) {
            return written;
        }
    }

    private static long restarts(JobID id) {
        return RecordingReporter.REGISTERED.values().stream()
                .filter(r -> r.name().equals("numRestarts") && id.toString().equals(r.variables().get("<job_id>")))
                .mapToLong(r -> ((Number) ((Gauge<?>) r.metric()).getValue()).longValue()).max().orElse(0);
    }

    private static void produce(String topic, int from) throws Exception {
        List<byte[]> lines = new ArrayList<>(BATCH);
        for (int i = from; i < from + BATCH; i++) {
            lines.add(("{\"id\":\"o-" + i + "\",\"ts\":\"2026-11-23T10:00:00Z\",\"amount\":" + i + ",\"note\":\""
                    + "n".repeat(200) + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        fixture.produce(topic, lines, System.currentTimeMillis());
    }

    private static int run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().transferTo(OutputStream.nullOutputStream());
        return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }
}
