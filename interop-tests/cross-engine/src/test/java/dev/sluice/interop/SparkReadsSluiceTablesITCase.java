package dev.sluice.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.config.HudiSinkConfig;
import dev.sluice.core.config.HudiTableType;
import dev.sluice.core.config.WriteOperation;
import dev.sluice.infra.process.ChildJvm;
import dev.sluice.infra.process.ServerClasspath;
import dev.sluice.job.load.HudiSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.TimestampType;
import org.apache.flink.table.types.logical.VarCharType;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hudi tables written by Sluice's Flink sink, read by a second engine — Spark 3.4 with
 * hudi-spark3.4-bundle 0.14.0, in a child JVM — and compared row by row with Hudi's Flink reader.
 * Two commits per table, the second updating rows, so MOR tables are read as file groups with logs.
 */
class SparkReadsSluiceTablesITCase {
    private static final Duration SPARK_TIMEOUT = Duration.ofMinutes(3);
    /** Timestamps at micros: Flink and Spark read Hudi MOR timestamps alike only at this precision. */
    private static final RowType ROW_TYPE = RowType.of(
            new LogicalType[] {new BigIntType(false), new VarCharType(VarCharType.MAX_LENGTH),
                    new TimestampType(6), new VarCharType(false, VarCharType.MAX_LENGTH)},
            new String[] {"id", "msg", "event_time", "dt"});
    private static final List<String> SPARK_JVM_ARGS = List.of("-Xmx768m",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
            "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED");

    @TempDir
    Path dir;

    @Test
    void sparkReadsWhatFlinkReadsForCopyOnWriteAndMergeOnRead() throws Exception {
        Map<HudiTableType, List<String>> flink = new EnumMap<>(HudiTableType.class);
        List<String> dumpArgs = new ArrayList<>(List.of("hudi", String.valueOf(HudiTableType.values().length)));
        for (HudiTableType type : HudiTableType.values()) {
            Path path = dir.resolve("lake").resolve(type.name().toLowerCase());
            HudiSink sink = HudiSink.builder()
                    .table("interop.events_" + type.name().toLowerCase()).rowType(ROW_TYPE)
                    .config(new HudiSinkConfig(type, WriteOperation.UPSERT, List.of("id"), "event_time",
                            List.of("dt"), Map.of(), null))
                    .basePath(path.toUri().toString())
                    .parallelism(1).salt(1)
                    .build();
            write(sink, rows(0, 100, "first"));
            // Later events for a fifth of the keys: upsert keeps them.
            write(sink, rows(0, 20, "second"));
            List<String> lines = new ArrayList<>();
            for (Row row : sink.readAll()) {
                lines.add(json(row));
            }
            flink.put(type, lines);
            dumpArgs.addAll(List.of(path.toUri().toString(), dump(type).toString()));
        }
        dumpArgs.addAll(List.of("id", "msg", "date_format(event_time, \"yyyy-MM-dd'T'HH:mm:ss.SSSSSS\") as event_time",
                "dt"));

        runSpark(dumpArgs);

        for (HudiTableType type : HudiTableType.values()) {
            assertThat(flink.get(type)).as("Flink read of %s", type)
                    .hasSize(100).anyMatch(line -> line.contains("\"msg\":\"second 7\""));
            assertThat(Files.readAllLines(dump(type), StandardCharsets.UTF_8)).as("Spark read of %s", type)
                    .containsExactlyInAnyOrderElementsOf(flink.get(type));
        }
    }

    private Path dump(HudiTableType type) {
        return dir.resolve("spark-" + type.name().toLowerCase() + ".jsonl");
    }

    private static List<RowData> rows(int from, int to, String label) {
        List<RowData> rows = new ArrayList<>();
        for (int i = from; i < to; i++) {
            LocalDateTime time = LocalDateTime.of(2026, 11, 23, 10, 0).plusSeconds(i)
                    .plusMinutes("second".equals(label) ? 1 : 0).plusNanos(123_456_000);
            rows.add(GenericRowData.of((long) i, StringData.fromString(label + " " + i),
                    TimestampData.fromLocalDateTime(time), StringData.fromString("2026-11-" + (22 + i % 2))));
        }
        return rows;
    }

    private static void write(HudiSink sink, List<RowData> rows) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
        env.enableCheckpointing(1000, CheckpointingMode.EXACTLY_ONCE);
        env.setRestartStrategy(RestartStrategies.noRestart());
        sink.writeTo(env.fromCollection(rows, InternalTypeInfo.of(ROW_TYPE)));
        env.execute("interop-write");
    }

    /** The same JSON Spark's {@code toJSON} writes for these columns (timestamps as UTC ISO with micros). */
    private static String json(Row row) {
        return "{\"id\":" + row.getField("id") + ",\"msg\":\"" + row.getField("msg") + "\",\"event_time\":\""
                + row.getField("event_time") + "\",\"dt\":\"" + row.getField("dt") + "\"}";
    }

    private void runSpark(List<String> args) throws Exception {
        ChildJvm spark = ChildJvm.builder("spark-reader")
                .classpath(sparkClasspath())
                .jvmArgs(SPARK_JVM_ARGS)
                .mainClass("dev.sluice.interop.spark.SparkTableDump")
                .args(args)
                .logFile(dir.resolve("spark.log"))
                .build();
        spark.start();
        int exit = spark.awaitExit(SPARK_TIMEOUT);
        assertThat(exit).as("Spark reader exit code; see %s", spark.logFile()).isZero();
    }

    private static List<String> sparkClasspath() throws Exception {
        List<String> classpath = new ArrayList<>(ServerClasspath.read("/dev/sluice/interop/spark/spark.classpath",
                "interop-tests/spark-reader"));
        // The reader's own jar: loaded, never initialised, here (its Spark references stay unresolved).
        Class<?> reader = Class.forName("dev.sluice.interop.spark.SparkTableDump", false,
                SparkReadsSluiceTablesITCase.class.getClassLoader());
        classpath.add(Paths.get(reader.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        return classpath;
    }
}
