package dev.sluice.job;

import dev.sluice.core.config.HudiTableType;
import dev.sluice.job.load.LakeSink;
import java.util.List;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.Row;

/**
 * A table a job writes, with what is needed to read it back.
 *
 * @param name    {@code database.table}
 * @param format  {@code hudi-cow}, {@code hudi-mor}, {@code hive}, {@code kafka} (names used in the demo summary)
 * @param path    base path; for {@code kafka}, the topic
 * @param rowType physical row type
 * @param sink    the sink definition (also used to read the table)
 */
public record TableTarget(String name, String format, String path, RowType rowType, LakeSink sink) {

    /** Format name of a Hive (Parquet + metastore) table. */
    static final String HIVE = "hive";
    /** Format name of a Kafka topic sink. */
    static final String KAFKA = "kafka";

    /** Every current row of the table, read back through its format's reader. */
    public List<Row> readAll() throws Exception {
        return sink.readAll();
    }

    static String formatOf(HudiTableType type) {
        return type == HudiTableType.MERGE_ON_READ ? "hudi-mor" : "hudi-cow";
    }
}
