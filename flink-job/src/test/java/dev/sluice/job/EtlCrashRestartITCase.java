package dev.sluice.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.infra.kafka.KafkaBroker;
import dev.sluice.infra.kafka.KafkaBrokers;
import dev.sluice.job.runtime.RetainedState;
import dev.sluice.job.testing.EtlProcess;
import dev.sluice.job.testing.Orders;
import dev.sluice.job.testing.RawTopics;
import dev.sluice.job.testing.Tables;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice etl} survives {@code kill -9}: the process runs as an operator runs it, records keep
 * arriving from a real broker, the process is killed after a completed checkpoint and started again with
 * the same arguments. It must resume from its retained checkpoint, and in the end the Hudi insert table
 * and the Hive table hold every good record exactly once, the error table every bad one, and the SLA
 * account — continued from the checkpoint, not restarted from zero — adds up to everything sent.
 */
class EtlCrashRestartITCase {
    private static final int GOOD = 54_000;
    private static final int DROPPED = 3_000;
    private static final int BAD = 3_000;
    private static final int TOTAL = GOOD + DROPPED + BAD;
    private static final int UPFRONT = 20_000;
    private static final int CHUNK = 2_000;

    @TempDir
    Path dir;

    @Test
    void killedProcessResumesFromItsCheckpointLosingAndDuplicatingNothing() throws Exception {
        String topic = "restart-" + UUID.randomUUID();
        Path pipeline = dir.resolve("orders.yaml");
        Files.writeString(pipeline, Files.readString(Path.of("src/test/resources/pipelines/restart-orders.yaml"))
                .replace("${topic}", topic).replace("${operation}", "insert"));
        List<byte[]> records = Orders.mix("o-", 0, GOOD, DROPPED, BAD, 11);
        try (KafkaBroker broker = KafkaBrokers.start(dir.resolve("kafka"));
             RawTopics topics = new RawTopics(broker.bootstrapServers())) {
            topics.create(topic, 2);
            String lakeRoot = dir.resolve("lake").toString();
            EtlJob job = EtlJob.builder().pipeline(PipelineConfigLoader.load(pipeline))
                    .bootstrapServers(broker.bootstrapServers()).lakeRoot(lakeRoot).build();
            String jobDir = RetainedState.jobDir(dir.resolve("checkpoints").toString(), job.name());
            List<String> args = List.of("--pipeline", pipeline.toString(), "--bootstrap-servers", broker.bootstrapServers(),
                    "--lake-root", lakeRoot, "--checkpoint-dir", dir.resolve("checkpoints").toString(),
                    "--checkpoint-interval", "PT2S", "--parallelism", "2", "--status-interval", "PT2S");
            Path hudiTimeline = Path.of(URI.create(job.targets().get(0).path())).resolve(".hoodie");

            topics.produce(topic, records.subList(0, UPFRONT), System.currentTimeMillis());
            // Consoles under target/, kept after the run: they are the operator's view of what happened.
            Path consoles = Path.of("target", "etl-crash-restart", topic);
            EtlProcess first = new EtlProcess("sluice-etl-1", args, consoles.resolve("first.out"));
            EtlProcess second = new EtlProcess("sluice-etl-2", args, consoles.resolve("second.out"));
            try {
                first.start();
                first.await(0, "no retained checkpoint", Duration.ofMinutes(3));
                first.await(0, "started: id", Duration.ofMinutes(3));
                await().atMost(Duration.ofMinutes(3)).until(() -> Tables.hudiCommits(hudiTimeline) >= 1
                        && RetainedState.latest(jobDir).isPresent());

                // The rest arrives in chunks while the process dies and comes back.
                AtomicInteger sent = new AtomicInteger(UPFRONT);
                CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
                    try {
                        for (int from = UPFRONT; from < TOTAL; from += CHUNK) {
                            topics.produce(topic, records.subList(from, Math.min(TOTAL, from + CHUNK)), System.currentTimeMillis());
                            sent.set(Math.min(TOTAL, from + CHUNK));
                            Thread.sleep(250);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                await().atMost(Duration.ofMinutes(2)).until(() -> sent.get() >= UPFRONT + 4 * CHUNK);
                RetainedState.Snapshot lastCheckpoint = RetainedState.latest(jobDir).orElseThrow();
                long commitsAtKill = Tables.hudiCommits(hudiTimeline);
                long countedBeforeKill = first.lastAccount(0).map(a -> a[0]).orElse(0L);
                int sentBeforeKill = sent.get();
                Instant killed = Instant.now();
                first.kill();
                assertThat(producing).isNotDone();

                second.start();
                second.await(0, "restoring from checkpoint", Duration.ofMinutes(3));
                assertThat(second.lines(0)).anyMatch(l -> l.contains("restoring from checkpoint ") && l.contains(job.name() + "/")
                        && l.contains("/chk-"));
                second.await(0, "started: id", Duration.ofMinutes(3));
                await().atMost(Duration.ofMinutes(3)).until(() -> Tables.hudiCommits(hudiTimeline) > commitsAtKill);
                System.out.printf("crash restart: killed with %d records sent, %d counted in (last status line); new process "
                        + "committed %.1f s after the kill (restored from %s)%n", sentBeforeKill, countedBeforeKill,
                        Duration.between(killed, Instant.now()).toMillis() / 1000.0, lastCheckpoint.path());
                producing.get();

                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
                        .until(() -> second.lastAccount(0).map(a -> a[0]).orElse(0L) >= TOTAL);
                long beforeStop = second.consoleSize();
                assertThat(second.terminate(Duration.ofMinutes(3))).isZero();
                List<String> stopped = second.lines(beforeStop).stream()
                        .filter(l -> l.startsWith("[sluice etl]") && l.contains("stopped with savepoint")).toList();
                assertThat(stopped).hasSize(1);
                assertThat(stopped.get(0)).contains(job.name() + "/savepoints/savepoint-");

                long[] account = second.lastAccount(beforeStop).orElseThrow();
                System.out.printf("crash restart: in %d = out %d + dropped %d + errored %d%n",
                        account[0], account[1], account[2], account[3]);
                assertThat(account).containsExactly(TOTAL, GOOD, DROPPED, BAD);
            } finally {
                first.close();
                second.close();
            }

            Tables.assertEachIdOnce("crash restart", job.targets().subList(0, 2), GOOD);
            assertThat(Tables.errorCodes(job)).containsOnly(Map.entry("INVALID_JSON", (long) BAD / 3),
                    Map.entry("TYPE_CONVERSION", (long) BAD / 3), Map.entry("MISSING_REQUIRED_FIELD", (long) BAD / 3));
        }
    }
}
