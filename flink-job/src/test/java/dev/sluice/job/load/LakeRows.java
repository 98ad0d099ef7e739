package dev.sluice.job.load;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;

/** Fixture rows of the lake sink tests: {@code (id BIGINT NOT NULL, msg STRING, dt STRING)}. */
final class LakeRows {
    static final RowType ROW_TYPE = RowType.of(
            new LogicalType[] {new BigIntType(false), new VarCharType(VarCharType.MAX_LENGTH),
                    new VarCharType(VarCharType.MAX_LENGTH)},
            new String[] {"id", "msg", "dt"});

    private LakeRows() {
    }

    /** {@code count} rows spread round-robin over {@code days} partitions {@code dt=2026-11-01...}. */
    static List<RowData> rows(int count, int days) {
        List<RowData> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rows.add(GenericRowData.of((long) i, StringData.fromString("message " + i),
                    StringData.fromString(String.format("2026-11-%02d", i % days + 1))));
        }
        return rows;
    }

    static DataStream<RowData> source(StreamExecutionEnvironment env, List<RowData> rows) {
        return env.fromCollection(rows, InternalTypeInfo.of(ROW_TYPE)).name("fixture-rows");
    }

    /**
     * A local MiniCluster of {@code parallelism} slots (the table readers start their own) checkpointing
     * every second (the sinks commit at each), no restarts: a broken job fails the test at once.
     */
    static StreamExecutionEnvironment environment(int parallelism) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism);
        env.enableCheckpointing(1000, CheckpointingMode.EXACTLY_ONCE);
        env.setRestartStrategy(RestartStrategies.noRestart());
        return env;
    }
}
