package dev.sluice.job.error;

import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.table.data.RowData;

/**
 * Keeps the error rows of one database (by their {@code table_name}); the fallback database also takes
 * errors that belong to no table.
 */
public final class ErrorDatabaseFilter implements FilterFunction<RowData> {
    private static final long serialVersionUID = 1L;
    private static final int TABLE_NAME = ErrorTable.ROW_TYPE.getFieldIndex("table_name");

    private final String prefix;
    private final boolean fallback;

    public ErrorDatabaseFilter(String database, boolean fallback) {
        this.prefix = database + ".";
        this.fallback = fallback;
    }

    @Override
    public boolean filter(RowData row) {
        if (row.isNullAt(TABLE_NAME)) {
            return fallback;
        }
        return row.getString(TABLE_NAME).toString().startsWith(prefix);
    }
}
