package dev.sluice.job.load;

import java.util.Objects;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

/**
 * Key {@code table|partition|salt} for pre-partitioning rows before a sink: all rows of one partition
 * go to at most {@code salt} writer subtasks, so a checkpoint writes at most {@code salt} files per
 * partition instead of one per subtask.
 *
 * <p>The salt is derived from the row's field values, not drawn at random and not from
 * {@code RowData.hashCode()}: Flink computes the key again after the shuffle, on the deserialized
 * {@code BinaryRowData}, whose hash differs from the sender's {@code GenericRowData}. Field values
 * (strings, numbers, timestamps) hash the same in both representations.
 */
public final class SaltedPartitionKey implements KeySelector<RowData, String> {
    private static final long serialVersionUID = 1L;

    private final String table;
    private final PartitionPath partition;
    private final int salt;
    private final RowData.FieldGetter[] fields;

    public SaltedPartitionKey(String table, PartitionPath partition, int salt, RowType rowType) {
        if (salt < 1) {
            throw new IllegalArgumentException("salt of table " + table + " must be at least 1, was " + salt);
        }
        this.table = table;
        this.partition = partition;
        this.salt = salt;
        this.fields = new RowData.FieldGetter[rowType.getFieldCount()];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = RowData.createFieldGetter(rowType.getTypeAt(i), i);
        }
    }

    @Override
    public String getKey(RowData row) {
        // Spread the hash before reducing it: row hash codes of similar rows differ in few low bits.
        int hash = 1;
        for (RowData.FieldGetter field : fields) {
            hash = 31 * hash + Objects.hashCode(field.getFieldOrNull(row));
        }
        int bucket = Math.floorMod(Integer.rotateLeft(hash * 0x9E3779B9, 16), salt);
        return table + '|' + partition.path(row) + '|' + bucket;
    }
}
