package dev.sluice.job.dedup;

import java.util.List;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

/**
 * The dedup key of a row: its key columns' values as one string, each written as its length, a colon and
 * its text, a null as {@code ~}; so two rows share a key only when every key column is equal (no value
 * can run into the next, and a null is not the text {@code null}).
 */
final class DedupKey implements KeySelector<RowData, String> {
    private static final long serialVersionUID = 1L;
    private static final char NULL = '~';

    private final RowData.FieldGetter[] getters;

    DedupKey(RowType rowType, List<String> columns) {
        this.getters = columns.stream().map(c -> {
            int index = rowType.getFieldIndex(c);
            if (index < 0) {
                throw new IllegalArgumentException("dedup key column '" + c + "' is not a column of the table");
            }
            return RowData.createFieldGetter(rowType.getTypeAt(index), index);
        }).toArray(RowData.FieldGetter[]::new);
    }

    @Override
    public String getKey(RowData row) {
        StringBuilder key = new StringBuilder();
        for (RowData.FieldGetter getter : getters) {
            Object value = getter.getFieldOrNull(row);
            if (value == null) {
                key.append(NULL);
            } else {
                // Internal values (StringData, Long, TimestampData, ...) print their value.
                String text = value.toString();
                key.append(text.length()).append(':').append(text);
            }
        }
        return key.toString();
    }
}
