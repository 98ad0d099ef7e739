package dev.sluice.job.dedup;

import java.util.List;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

/**
 * The dedup key of a row: its key columns' values as one string. Values are separated by a character
 * that cannot occur in them unescaped ({@code \u0000}), and a null is told apart from every text, so two
 * rows share a key only when every key column is equal.
 */
final class DedupKey implements KeySelector<RowData, String> {
    private static final long serialVersionUID = 1L;
    private static final char SEPARATOR = '\u0000';
    private static final String NULL = "\u0001null";

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
        for (int i = 0; i < getters.length; i++) {
            if (i > 0) {
                key.append(SEPARATOR);
            }
            Object value = getters[i].getFieldOrNull(row);
            // Internal values (StringData, Long, TimestampData, ...) print their value; \0 inside a text
            // is escaped so it cannot fake a separator.
            key.append(value == null ? NULL : value.toString().replace("\u0000", "\u0000\u0000"));
        }
        return key.toString();
    }
}
