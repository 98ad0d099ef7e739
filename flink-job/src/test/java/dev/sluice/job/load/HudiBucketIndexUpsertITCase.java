package dev.sluice.job.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.config.HudiSinkConfig;
import dev.sluice.core.config.HudiTableType;
import dev.sluice.core.config.WriteOperation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.runtime.partitioner.CustomPartitionerWrapper;
import org.apache.flink.streaming.runtime.partitioner.ForwardPartitioner;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Upserts into Hudi tables with the bucket index ({@link BucketIndexWrite}): rows routed to their bucket's
 * writer as rows, two writers, a first job creating every bucket (on MOR through the appending writer), a
 * second job updating its table; every key read back once with its last value.
 */
class HudiBucketIndexUpsertITCase {
    private static final int WRITERS = 2;
    private static final Map<String, String> BUCKET_INDEX =
            Map.of("index.type", "BUCKET", "hoodie.bucket.index.num.buckets", "4");

    @TempDir
    Path lake;

    @ParameterizedTest
    @EnumSource(HudiTableType.class)
    void secondJobUpdatesKeysInPlaceAndAddsNewOnes(HudiTableType type) throws Exception {
        HudiSink sink = sink(type);
        write(sink, rows(0, 600, 1, "v1"));
        // Every other key again, from a new job (its writers load the buckets' file groups), plus new keys.
        List<RowData> second = new ArrayList<>(rows(0, 600, 2, "v2"));
        second.addAll(rows(600, 800, 1, "v2"));
        write(sink, second);

        List<Row> read = sink.readAll();
        Map<Long, List<String>> byKey = read.stream().collect(Collectors.groupingBy(
                row -> (Long) row.getField("id"), TreeMap::new,
                Collectors.mapping(row -> String.valueOf(row.getField("msg")), Collectors.toList())));
        assertThat(read).as("one row per key").hasSize(800);
        assertThat(byKey).hasSize(800);
        for (long id = 0; id < 800; id++) {
            String expected = id >= 600 || id % 2 == 0 ? "v2 " + id : "v1 " + id;
            assertThat(byKey.get(id)).as("key %d", id).containsExactly(expected);
        }
    }

    @Test
    void rowsCrossTheShuffleAsRowsAndBecomeHudiRecordsInTheWritersTask() {
        StreamExecutionEnvironment env = LakeRows.environment(WRITERS);
        HudiSink sink = sink(HudiTableType.MERGE_ON_READ);
        sink.writeTo(LakeRows.source(env, rows(0, 10, 1, "v1")));
        StreamGraph graph = env.getStreamGraph();

        StreamNode writer = graph.getStreamNodes().stream().filter(n -> n.getOperatorName().startsWith("bucket_write"))
                .findFirst().orElseThrow();
        StreamEdge intoWriter = writer.getInEdges().get(0);
        assertThat(intoWriter.getPartitioner()).isInstanceOf(ForwardPartitioner.class);
        StreamNode convert = graph.getStreamNode(intoWriter.getSourceId());
        StreamEdge intoConvert = convert.getInEdges().get(0);
        assertThat(intoConvert.getPartitioner()).isInstanceOf(CustomPartitionerWrapper.class);
        assertThat(graph.getStreamNode(intoConvert.getSourceId()).getTypeSerializerOut())
                .as("serializer of the shuffled rows")
                .isEqualTo(InternalTypeInfo.of(LakeRows.ROW_TYPE).createSerializer(env.getConfig()));
        assertThat(sink.writesInPlace(WRITERS)).as("never chained to the producer").isFalse();
        assertThat(((SimpleOperatorFactory<?>) writer.getOperatorFactory()).getOperator())
                .as("MOR writer appends new buckets' rows as updates")
                .isInstanceOf(BucketIndexWrite.AppendingBucketWriteOperator.class);
    }

    private HudiSink sink(HudiTableType type) {
        return HudiSink.builder().table("app.events").rowType(LakeRows.ROW_TYPE)
                .config(new HudiSinkConfig(type, WriteOperation.UPSERT, List.of("id"), null, List.of("dt"),
                        BUCKET_INDEX, null))
                .basePath(lake.resolve(type.name()).toUri().toString()).parallelism(WRITERS).soleSink(true).build();
    }

    private static void write(HudiSink sink, List<RowData> rows) throws Exception {
        StreamExecutionEnvironment env = LakeRows.environment(WRITERS);
        sink.writeTo(LakeRows.source(env, rows));
        env.execute("bucket index upsert");
    }

    /** Keys {@code from, from + step, ... < to} over 3 day partitions (a key's day never changes), msg {@code "<tag> <id>"}. */
    private static List<RowData> rows(long from, long to, int step, String tag) {
        List<RowData> rows = new ArrayList<>();
        for (long id = from; id < to; id += step) {
            rows.add(GenericRowData.of(id, StringData.fromString(tag + " " + id),
                    StringData.fromString(String.format("2026-11-%02d", id % 3 + 1))));
        }
        return rows;
    }
}
