package dev.sluice.job.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.config.HiveSinkConfig;
import dev.sluice.core.config.HudiSinkConfig;
import dev.sluice.core.config.HudiTableType;
import dev.sluice.core.config.WriteOperation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table that got no rows reads back as 0 rows, not as an error: never written at all (its directory
 * does not exist), or written by a job that saw no record for it (a small demo run).
 */
class EmptyTableReadITCase {
    @TempDir
    Path lake;

    @Test
    void hiveTableWithoutRowsReadsAsEmpty() throws Exception {
        HiveSink sink = HiveSink.builder().table("web.access").rowType(LakeRows.ROW_TYPE)
                .config(new HiveSinkConfig(List.of("dt"))).basePath(lake.resolve("access").toUri().toString())
                .parallelism(1).salt(1).build();

        assertThat(sink.readAll()).as("never written").isEmpty();
        writeNothing(sink);
        assertThat(sink.readAll()).as("written by a job that had no rows").isEmpty();
    }

    @Test
    void hudiTableWithoutRowsReadsAsEmpty() throws Exception {
        HudiSink sink = HudiSink.builder().table("app.events").rowType(LakeRows.ROW_TYPE)
                .config(new HudiSinkConfig(HudiTableType.COPY_ON_WRITE, WriteOperation.UPSERT, List.of("id"), null,
                        List.of("dt"), Map.of(), null))
                .basePath(lake.resolve("events").toUri().toString()).parallelism(1).salt(1).build();

        assertThat(sink.readAll()).as("never written").isEmpty();
        writeNothing(sink);
        assertThat(sink.readAll()).as("written by a job that had no rows").isEmpty();
    }

    private static void writeNothing(LakeSink sink) throws Exception {
        StreamExecutionEnvironment env = LakeRows.environment(1);
        sink.writeTo(LakeRows.source(env, LakeRows.rows(3, 1)).filter(row -> false));
        env.execute("write nothing");
    }
}
