package dev.sluice.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.job.load.HiveMetastoreClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.types.Row;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice replay} end to end on real parts: a broker, a Hive Metastore, the streaming job writing
 * (and registering) the table, then the replay CLI. Hive tables are read the way Hive reads them, through
 * the partition locations the metastore holds; Hudi tables through Hudi's reader.
 *
 * <p>Data: day A (two days ago) has 200 events ingested on A; day B (yesterday) 100 events ingested on B,
 * and 20 events of B ingested late on A (so A's ingest window also holds rows of another partition, which a
 * replay of A must leave alone).
 */
class ReplayITCase {
    private static final LocalDate DAY_A = LocalDate.now(ZoneOffset.UTC).minusDays(2);
    private static final LocalDate DAY_B = DAY_A.plusDays(1);

    @TempDir
    static Path shared;

    static ReplayFixture fixture;

    @TempDir
    Path dir;

    String topic;
    String db;
    String lakeRoot;

    @BeforeAll
    static void start() {
        fixture = ReplayFixture.start(shared);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void names() {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        topic = "raw-replay-" + suffix;
        db = "rp_" + suffix;
        lakeRoot = dir.resolve("lake").toUri().toString();
    }

    @Test
    void staleConfigIsRepairedFromKafkaThenRolledBackAndCollected() throws Exception {
        Path stale = produceAndIngest("user_id", null, 0);
        Path fixed = fixture.pipelineFile("fixed", topic, db, "uid", null);
        String table = db + ".events";
        assertThat(rows(stale, partitionA())).hasSize(200).allMatch(r -> r.getField("user_id") == null);
        String locationA = location(partitionA());
        String locationB = location(partitionB());
        List<String> filesB = files(locationB);

        Run before = replay("--pipeline", fixed.toString(), "--table", table, "--partition", partitionA(), "--show", "1");
        assertThat(before.output).contains("200 rows").contains("user_id=200");

        Path summaryFile = dir.resolve("summary.json");
        Run run = replay("--pipeline", fixed.toString(), "--table", table, "--partition", partitionA(),
                "--from", "kafka", "--summary-json", summaryFile.toString());

        assertThat(run.exit).as(run.output).isEqualTo(0);
        JsonNode summary = new ObjectMapper().readTree(summaryFile.toFile());
        String runId = summary.get("run_id").asText();
        assertThat(summary.get("rows_before").asLong()).isEqualTo(200);
        assertThat(summary.get("rows_after").asLong()).isEqualTo(200);
        assertThat(summary.get("from").asText()).isEqualTo("kafka");
        assertThat(summary.get("dry_run").asBoolean()).isFalse();
        // The window of A holds A's 200 events and B's 20 late ones: every record is a row (of some partition).
        assertThat(summary.get("sla").get("in").asLong()).isEqualTo(220);
        assertThat(summary.get("sla").get("out").asLong()).isEqualTo(220);
        assertThat(summary.has("errors_repaired")).isFalse();
        assertThat(summary.get("new_location").asText()).contains("/_staging/" + runId + "/" + partitionA());
        assertThat(location(partitionA())).endsWith("/_staging/" + runId + "/" + partitionA());
        assertThat(replay("--pipeline", fixed.toString(), "--table", table, "--partition", partitionA(), "--show", "1")
                .output).contains("200 rows").contains("user_id=0").contains("/_staging/" + runId + "/");
        List<Row> repaired = rows(fixed, partitionA());
        assertThat(repaired).hasSize(200).allMatch(r -> ("u" + r.getField("id")).equals(r.getField("user_id")));
        // The other partition is untouched: same location, same files, same (stale) rows.
        assertThat(location(partitionB())).isEqualTo(locationB);
        assertThat(files(locationB)).isEqualTo(filesB);
        assertThat(rows(fixed, partitionB())).hasSize(120).allMatch(r -> r.getField("user_id") == null);
        assertThat(Path.of(java.net.URI.create(lakeRoot)).resolve(db).resolve("events").resolve("_replay")
                .resolve(runId + ".json")).exists();

        Run rollback = replay("--pipeline", fixed.toString(), "--table", table, "--rollback", runId);
        assertThat(rollback.exit).as(rollback.output).isEqualTo(0);
        assertThat(location(partitionA())).isEqualTo(locationA);
        assertThat(rows(fixed, partitionA())).hasSize(200).allMatch(r -> r.getField("user_id") == null);

        // The rolled-back staging location is superseded; the original location is in use again and stays.
        Run gc = replay("--pipeline", fixed.toString(), "--table", table, "--gc", "--older-than", "0s");
        assertThat(gc.exit).as(gc.output).isEqualTo(0);
        assertThat(Files.exists(localPath(summary.get("new_location").asText()))).isFalse();
        assertThat(files(locationA)).isNotEmpty();
        assertThat(files(locationB)).isEqualTo(filesB);
        assertThat(rows(fixed, null)).hasSize(320);
        Run again = replay("--pipeline", fixed.toString(), "--table", table, "--gc", "--older-than", "0s");
        assertThat(again.exit).as(again.output).isEqualTo(3);
    }

    @Test
    void runKilledBeforeTheSwapLeavesReadersOnTheOldDataAndARerunFinishesTheJob() throws Exception {
        Path stale = produceAndIngest("user_id", null, 0);
        Path fixed = fixture.pipelineFile("fixed", topic, db, "uid", null);
        String table = db + ".events";
        String before = location(partitionA());

        Run killed = replay(staged -> {
            throw new IllegalStateException("killed between staging write and swap");
        }, "--pipeline", fixed.toString(), "--table", table, "--partition", partitionA());
        assertThat(killed.exit).isEqualTo(1);
        assertThat(location(partitionA())).isEqualTo(before);
        assertThat(rows(stale, partitionA())).hasSize(200).allMatch(r -> r.getField("user_id") == null);

        Run rerun = replay("--pipeline", fixed.toString(), "--table", table, "--partition", partitionA());
        assertThat(rerun.exit).as(rerun.output).isEqualTo(0);
        assertThat(rerun.output).contains("stopped before its swap");
        assertThat(rows(fixed, partitionA())).hasSize(200)
                .allMatch(r -> ("u" + r.getField("id")).equals(r.getField("user_id")));

        // gc: the killed run's staging and the superseded original location go; the live one stays.
        Run gc = replay("--pipeline", fixed.toString(), "--table", table, "--gc", "--older-than", "0s");
        assertThat(gc.exit).as(gc.output).isEqualTo(0);
        assertThat(Files.exists(localPath(before))).isFalse();
        try (Stream<Path> staging = Files.list(localPath(lakeRoot).resolve(db).resolve("events").resolve("_staging"))) {
            assertThat(staging).hasSize(1);
        }
        assertThat(rows(fixed, partitionA())).hasSize(200);
    }

    @Test
    void badRecordsAreRepairedFromTheErrorTableAndMarkedReplayed() throws Exception {
        // 4 of A's 200 events (2 %) carry a timestamp format the stale config does not know.
        Path stale = produceAndIngest("uid", null, 4);
        String table = db + ".events";
        List<Row> errors = fixture.read(stale, lakeRoot, db + ".sluice_errors");
        assertThat(errors).hasSize(4).allMatch(e -> "TYPE_CONVERSION".equals(e.getField("error_code")));
        assertThat(rows(stale, partitionA())).hasSize(196);
        Path fixed = fixture.pipelineFile("fixed", topic, db, "uid", "dd/MM/yyyy HH:mm:ss");

        Path summaryFile = dir.resolve("errors.json");
        Run run = replay("--pipeline", fixed.toString(), "--table", table, "--partition", partitionA(),
                "--from", "errors", "--summary-json", summaryFile.toString());

        assertThat(run.exit).as(run.output).isEqualTo(0);
        JsonNode summary = new ObjectMapper().readTree(summaryFile.toFile());
        assertThat(summary.get("rows_before").asLong()).isEqualTo(196);
        assertThat(summary.get("rows_after").asLong()).isEqualTo(200);
        assertThat(summary.get("errors_repaired").asLong()).isEqualTo(4);
        assertThat(summary.get("errors_remaining").asLong()).isZero();
        List<Row> rows = rows(fixed, partitionA());
        assertThat(rows).hasSize(200);
        assertThat(rows.stream().map(r -> (Long) r.getField("id")).distinct()).hasSize(200);
        // Error rows are kept as they were and marked replayed with the run id.
        assertThat(fixture.read(fixed, lakeRoot, db + ".sluice_errors")).hasSize(4);
        List<Row> marks = new ErrorMarks(lakeRoot, db).all();
        assertThat(marks).hasSize(4).allMatch(m -> summary.get("run_id").asText().equals(m.getField("run_id")));
        assertThat(marks.stream().map(m -> m.getField("error_id")).collect(Collectors.toSet()))
                .isEqualTo(errors.stream().map(e -> e.getField("error_id")).collect(Collectors.toSet()));

        Run again = replay("--pipeline", fixed.toString(), "--table", table, "--partition", partitionA(),
                "--from", "errors");
        assertThat(again.exit).as(again.output).isEqualTo(3);
        assertThat(again.output).contains("nothing to do");
    }

    @Test
    void badInputIsRefusedWithAClearMessageAndChangesNothing() throws Exception {
        produceAndIngest("user_id", null, 0);
        Path fixed = fixture.pipelineFile("fixed", topic, db, "uid", null);
        String table = db + ".events";
        String locationA = location(partitionA());
        Path tableDir = localPath(lakeRoot).resolve(db).resolve("events");

        Run unknownTable = replay("--pipeline", fixed.toString(), "--table", db + ".nope", "--partition", partitionA());
        assertThat(unknownTable.exit).isEqualTo(2);
        assertThat(unknownTable.output).contains("unknown table " + db + ".nope").contains(table);

        Run absent = replay("--pipeline", fixed.toString(), "--table", table, "--partition", "dt=2020-01-01");
        assertThat(absent.exit).isEqualTo(2);
        assertThat(absent.output).contains("dt=2020-01-01 is not a partition of " + table).contains(partitionA());

        String down = "thrift://127.0.0.1:" + dev.sluice.infra.process.Ports.free();
        Run metastoreDown = replay("--pipeline", fixed.toString(), "--table", table, "--partition", partitionA(),
                "--metastore-uri", down);
        assertThat(metastoreDown.exit).isEqualTo(1);
        assertThat(metastoreDown.output).contains("cannot reach the Hive Metastore at " + down);

        Run dryRun = replay("--pipeline", fixed.toString(), "--table", table, "--partition", partitionA(), "--dry-run");
        assertThat(dryRun.exit).as(dryRun.output).isEqualTo(0);
        assertThat(dryRun.output).contains("220 records").contains("rows expected: 200 in " + partitionA());

        // Retention: the first records of A's window are deleted from the topic.
        fixture.admin().deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(10)))
                .all().get();
        Run retention = replay("--pipeline", fixed.toString(), "--table", table, "--partition", partitionA());
        assertThat(retention.exit).isEqualTo(2);
        assertThat(retention.output).contains("no longer holds the window's start");

        assertThat(location(partitionA())).isEqualTo(locationA);
        assertThat(tableDir.resolve("_staging")).doesNotExist();
        assertThat(tableDir.resolve("_replay")).doesNotExist();
    }

    @Test
    void hudiPartitionIsInsertOverwrittenInOneReplacecommitAndRolledBack() throws Exception {
        Path stale = produceAndIngest("replay-events-hudi.yaml", "user_id", null, 0);
        Path fixed = fixture.pipelineFile("replay-events-hudi.yaml", "fixed", topic, db, "uid", null);
        String table = db + ".events";
        Path tableDir = localPath(lakeRoot).resolve(db).resolve("events");
        List<String> filesB = files(tableDir.resolve(partitionB()).toUri().toString());
        assertThat(rows(stale, partitionA())).hasSize(200).allMatch(r -> r.getField("user_id") == null);

        Path summaryFile = dir.resolve("hudi.json");
        Run run = replay("--pipeline", fixed.toString(), "--table", table, "--partition", partitionA(),
                "--summary-json", summaryFile.toString());

        assertThat(run.exit).as(run.output).isEqualTo(0);
        JsonNode summary = new ObjectMapper().readTree(summaryFile.toFile());
        assertThat(summary.get("rows_before").asLong()).isEqualTo(200);
        assertThat(summary.get("rows_after").asLong()).isEqualTo(200);
        assertThat(rows(fixed, partitionA())).hasSize(200)
                .allMatch(r -> ("u" + r.getField("id")).equals(r.getField("user_id")));
        assertThat(rows(fixed, partitionB())).hasSize(120).allMatch(r -> r.getField("user_id") == null);
        assertThat(files(tableDir.resolve(partitionB()).toUri().toString())).isEqualTo(filesB);
        try (Stream<Path> timeline = Files.list(tableDir.resolve(".hoodie"))) {
            assertThat(timeline.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".replacecommit")))
                    .hasSize(1);
        }

        Run rollback = replay("--pipeline", fixed.toString(), "--table", table, "--rollback",
                summary.get("run_id").asText());
        assertThat(rollback.exit).as(rollback.output).isEqualTo(0);
        assertThat(rows(fixed, partitionA())).hasSize(200).allMatch(r -> r.getField("user_id") == null);
        assertThat(rows(fixed, partitionB())).hasSize(120);
    }

    /**
     * Produces the data set and runs the streaming job with {@code userPath} as user_id's path;
     * {@code badTimestamps} of A's events get a {@code dd/MM/yyyy HH:mm:ss} timestamp. Returns the pipeline.
     */
    private Path produceAndIngest(String userPath, String tsFormat, int badTimestamps) throws Exception {
        return produceAndIngest("replay-events.yaml", userPath, tsFormat, badTimestamps);
    }

    private Path produceAndIngest(String resource, String userPath, String tsFormat, int badTimestamps)
            throws Exception {
        fixture.createTopic(topic);
        long ingestA = DAY_A.atTime(10, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        long lateB = DAY_A.atTime(23, 50).toInstant(ZoneOffset.UTC).toEpochMilli();
        long ingestB = DAY_B.atTime(10, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        fixture.produce(topic, events(0, 200, DAY_A, badTimestamps), ingestA);
        fixture.produce(topic, events(200, 20, DAY_B, 0), lateB);
        fixture.produce(topic, events(220, 100, DAY_B, 0), ingestB);
        Path pipeline = fixture.pipelineFile(resource, "stale", topic, db, userPath, tsFormat);
        fixture.runStreamingJob(pipeline, lakeRoot);
        return pipeline;
    }

    /** Events as the renamed upstream sends them: the user is in {@code uid}. */
    private static List<String> events(int first, int count, LocalDate day, int badTimestamps) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long id = first + i;
            Instant at = day.atTime(8, 0).toInstant(ZoneOffset.UTC).plusSeconds(i);
            String ts = i < badTimestamps
                    ? java.time.format.DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm:ss").withZone(ZoneOffset.UTC).format(at)
                    : at.toString();
            lines.add("{\"id\":" + id + ",\"ts\":\"" + ts + "\",\"uid\":\"u" + id + "\",\"msg\":\"event " + id
                    + "\",\"day\":\"" + day + "\"}");
        }
        return lines;
    }

    private static String partitionA() {
        return "dt=" + DAY_A;
    }

    private static String partitionB() {
        return "dt=" + DAY_B;
    }

    private List<Row> rows(Path pipeline, String partition) throws Exception {
        return fixture.read(pipeline, lakeRoot, db + ".events").stream()
                .filter(r -> partition == null || partition.equals("dt=" + r.getField("dt"))).toList();
    }

    private String location(String partition) throws Exception {
        try (HiveMetastoreClient client = HiveMetastoreClient.connect(fixture.metastoreUri())) {
            return client.partitionLocation(db, "events", List.of(partition.substring(3)));
        }
    }

    private static List<String> files(String location) throws Exception {
        try (Stream<Path> files = Files.list(localPath(location))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** A {@code file:} location as the metastore or the lake root spell it, as a local path. */
    private static Path localPath(String location) {
        return Path.of(location.replaceFirst("^file:(//)?", ""));
    }

    private Run replay(String... args) {
        return replay(Replayer.Checkpoints.NONE, args);
    }

    private Run replay(Replayer.Checkpoints checkpoints, String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--data-dir", dir.resolve("no-demo").toString(), "--lake-root", lakeRoot,
                "--bootstrap-servers", fixture.bootstrapServers()));
        if (!all.contains("--metastore-uri")) {
            all.addAll(List.of("--metastore-uri", fixture.metastoreUri()));
        }
        int exit = ReplayCommand.commandLine(new ReplayCommand(out, checkpoints))
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true))
                .execute(all.toArray(String[]::new));
        String output = buffer.toString(StandardCharsets.UTF_8);
        System.out.println(output);
        return new Run(exit, output);
    }

    private record Run(int exit, String output) {
    }
}
