package dev.sluice.backfill;

import dev.sluice.core.error.ErrorRecord;
import dev.sluice.core.record.RawRecord;
import dev.sluice.job.error.ErrorTable;
import dev.sluice.job.load.HudiSink;
import dev.sluice.job.load.TablePaths;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.types.Row;

/**
 * The error rows a replay retries, and the marks of those it repaired ({@link ErrorTable#REPLAYED_SUFFIX}):
 * error rows are never rewritten or deleted; a repaired one gets a mark with the run id, and a later
 * {@code --from errors} skips marked rows.
 */
final class ErrorMarks {
    private final HudiSink marks;
    private final String marksPath;

    /**
     * An error row to retry.
     *
     * @param errorId the error table's key
     * @param record  the raw record as it was read from Kafka (bytes, origin, ingest time)
     */
    record Pending(String errorId, RawRecord record) {
        String origin() {
            return FailedOrigins.origin(record.topic(), record.partition(), record.offset());
        }
    }

    ErrorMarks(String lakeRoot, String database) {
        this.marksPath = TablePaths.of(lakeRoot, database, ErrorTable.REPLAYED_SUFFIX);
        this.marks = HudiSink.builder().table(ErrorTable.replayedNameFor(database))
                .rowType(ErrorTable.REPLAYED_ROW_TYPE).config(ErrorTable.REPLAYED_SINK).basePath(marksPath)
                .parallelism(1).salt(0).build();
    }

    /** The table's error rows of the partition's ingest day that no replay has repaired yet. */
    List<Pending> pending(ReplayTarget target) throws Exception {
        if (!LakeFiles.exists(target.errors().path() + "/.hoodie")) {
            return List.of();
        }
        Set<String> repaired = new HashSet<>();
        if (LakeFiles.exists(marksPath + "/.hoodie")) {
            for (Row mark : marks.readAll()) {
                repaired.add((String) mark.getField("error_id"));
            }
        }
        String day = target.day().toString();
        List<Pending> pending = new ArrayList<>();
        for (Row error : target.errors().readAll()) {
            String id = (String) error.getField("error_id");
            if (target.name().equals(error.getField("table_name")) && day.equals(error.getField("dt"))
                    && !repaired.contains(id)) {
                long ingested = ((LocalDateTime) error.getField("ingest_time")).toInstant(ZoneOffset.UTC).toEpochMilli();
                byte[] raw = ErrorRecord.decode((String) error.getField("raw"), (String) error.getField("raw_encoding"));
                pending.add(new Pending(id, new RawRecord((String) error.getField("source_topic"),
                        (Integer) error.getField("source_partition"), (Long) error.getField("source_offset"),
                        ingested, raw, null, null, ingested)));
            }
        }
        return pending;
    }

    /** Writes a mark with {@code runId} for each of {@code repaired} (one Hudi commit). */
    void mark(List<Pending> repaired, String table, String runId) throws Exception {
        if (repaired.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        List<RowData> rows = new ArrayList<>();
        for (Pending error : repaired) {
            String dt = Instant.ofEpochMilli(error.record().receivedAt()).atZone(ZoneOffset.UTC).toLocalDate().toString();
            rows.add(ErrorTable.replayedRow(error.errorId(), runId, table, now, dt));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        marks.writeTo(env.fromCollection(rows, InternalTypeInfo.of(ErrorTable.REPLAYED_ROW_TYPE)));
        env.execute("sluice-replay-marks " + runId);
    }

    /** Run ids of the marks of {@code errorIds} (tests, summaries). */
    List<Row> all() throws Exception {
        return LakeFiles.exists(marksPath + "/.hoodie") ? marks.readAll() : List.of();
    }
}
