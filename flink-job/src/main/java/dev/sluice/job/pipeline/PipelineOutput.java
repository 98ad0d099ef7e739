package dev.sluice.job.pipeline;

import dev.sluice.core.error.ErrorRecord;
import org.apache.flink.table.data.RowData;

/**
 * Where the stages put what a raw record became. Every raw record ends in at least one call: a row for
 * each table it lands in, or a drop with a reason, or an error — never nothing.
 */
public interface PipelineOutput {

    /**
     * A formatted row for {@code table}, in the table's physical row type (see {@code TableSchemas}),
     * with its {@link org.apache.flink.types.RowKind} set (INSERT, or UPDATE_AFTER/DELETE for change
     * events).
     */
    void row(String table, RowData row);

    /**
     * The record was dropped on purpose. {@code table} is null when it matched no table (reason
     * {@code no_table}); reasons are short snake_case words used as metric labels.
     */
    void dropped(String table, String reason);

    /** The record failed a stage. */
    void error(ErrorRecord error);
}
