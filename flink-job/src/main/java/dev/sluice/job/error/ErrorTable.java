package dev.sluice.job.error;

import dev.sluice.core.config.HudiSinkConfig;
import dev.sluice.core.config.HudiTableType;
import dev.sluice.core.config.WriteOperation;
import dev.sluice.core.error.ErrorRecord;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.RowType;

/**
 * The error table of a database ({@code <db>.sluice_errors}): one row per {@link ErrorRecord},
 * partitioned by day of ingestion and stage, written by the same Hudi sink as every other table.
 *
 * <p>The record key is the record's origin (topic, partition, offset), table and code, so a replayed
 * or recovered error upserts instead of duplicating.
 */
public final class ErrorTable {
    public static final String TABLE_SUFFIX = "sluice_errors";

    public static final RowType ROW_TYPE = (RowType) DataTypes.ROW(
            DataTypes.FIELD("error_id", DataTypes.STRING().notNull()),
            DataTypes.FIELD("error_code", DataTypes.STRING().notNull()),
            DataTypes.FIELD("stage", DataTypes.STRING().notNull()),
            DataTypes.FIELD("table_name", DataTypes.STRING()),
            DataTypes.FIELD("raw", DataTypes.STRING().notNull()),
            DataTypes.FIELD("raw_encoding", DataTypes.STRING().notNull()),
            DataTypes.FIELD("exception_class", DataTypes.STRING()),
            DataTypes.FIELD("message", DataTypes.STRING()),
            DataTypes.FIELD("source_topic", DataTypes.STRING()),
            DataTypes.FIELD("source_partition", DataTypes.INT().notNull()),
            DataTypes.FIELD("source_offset", DataTypes.BIGINT().notNull()),
            DataTypes.FIELD("ingest_time", DataTypes.TIMESTAMP(6)),
            DataTypes.FIELD("dt", DataTypes.STRING().notNull()))
            .notNull().getLogicalType();

    public static final HudiSinkConfig SINK = new HudiSinkConfig(HudiTableType.COPY_ON_WRITE, WriteOperation.UPSERT,
            List.of("error_id"), null, List.of("dt", "stage"), Map.of(), null);

    /**
     * Marks of error rows a replay repaired ({@code <db>.sluice_errors_replayed}): the error row stays in the
     * error table as it was, and its {@code error_id} gets a mark with the replay's run id here. A table of
     * its own because the error table has a writer already, the streaming job, and Hudi 0.14's Flink writer
     * rolls back other writers' in-flight instants unless every writer of the table runs with a lock
     * provider; this table's only writer is {@code sluice replay}.
     */
    public static final String REPLAYED_SUFFIX = "sluice_errors_replayed";

    public static final RowType REPLAYED_ROW_TYPE = (RowType) DataTypes.ROW(
            DataTypes.FIELD("error_id", DataTypes.STRING().notNull()),
            DataTypes.FIELD("run_id", DataTypes.STRING().notNull()),
            DataTypes.FIELD("table_name", DataTypes.STRING()),
            DataTypes.FIELD("replayed_at", DataTypes.TIMESTAMP(6)),
            DataTypes.FIELD("dt", DataTypes.STRING().notNull()))
            .notNull().getLogicalType();

    /** Upsert on {@code error_id}: a mark is per error row, the latest run that repaired it wins. */
    public static final HudiSinkConfig REPLAYED_SINK = new HudiSinkConfig(HudiTableType.COPY_ON_WRITE,
            WriteOperation.UPSERT, List.of("error_id"), null, List.of("dt"), Map.of(), null);

    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private ErrorTable() {
    }

    /** {@code <database>.sluice_errors}. */
    public static String nameFor(String database) {
        return database + "." + TABLE_SUFFIX;
    }

    /** {@code <database>.sluice_errors_replayed}. */
    public static String replayedNameFor(String database) {
        return database + "." + REPLAYED_SUFFIX;
    }

    /** A mark: error row {@code errorId} (of ingest day {@code dt}) was repaired by replay {@code runId}. */
    public static RowData replayedRow(String errorId, String runId, String table, Instant at, String dt) {
        return GenericRowData.of(StringData.fromString(errorId), StringData.fromString(runId),
                StringData.fromString(table), TimestampData.fromInstant(at), StringData.fromString(dt));
    }

    /** The error as a row of {@link #ROW_TYPE}. */
    public static RowData toRow(ErrorRecord error) {
        Instant ingested = Instant.ofEpochMilli(error.ingestTime());
        String id = error.sourceTopic() + "/" + error.sourcePartition() + "/" + error.sourceOffset() + "/"
                + error.table() + "/" + error.code().name();
        return GenericRowData.of(
                StringData.fromString(id),
                StringData.fromString(error.code().name()),
                StringData.fromString(error.stage().wireName()),
                StringData.fromString(error.table()),
                StringData.fromString(error.raw()),
                StringData.fromString(error.rawEncoding()),
                StringData.fromString(error.exceptionClass()),
                StringData.fromString(error.message()),
                StringData.fromString(error.sourceTopic()),
                error.sourcePartition(),
                error.sourceOffset(),
                TimestampData.fromInstant(ingested),
                StringData.fromString(DAY.format(ingested)));
    }
}
