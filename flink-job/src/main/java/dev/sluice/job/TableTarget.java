package dev.sluice.job;

import dev.sluice.core.config.HudiTableType;
import dev.sluice.job.load.HudiSink;
import org.apache.flink.table.types.logical.RowType;

/**
 * A table a job writes, with what is needed to read it back.
 *
 * @param name    {@code database.table}
 * @param format  {@code hudi-cow}, {@code hudi-mor} (names used in the demo summary)
 * @param path    base path
 * @param rowType physical row type
 * @param sink    the sink definition (also used to read the table)
 */
public record TableTarget(String name, String format, String path, RowType rowType, HudiSink sink) {

    static String formatOf(HudiTableType type) {
        return type == HudiTableType.MERGE_ON_READ ? "hudi-mor" : "hudi-cow";
    }
}
