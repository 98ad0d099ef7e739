package dev.sluice.job.load;

import java.util.List;
import java.util.Objects;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

/**
 * Key for pre-partitioning rows before a sink ({@link Prepartitioning}): a hash of the partition's
 * values plus a salt bucket in {@code [0, salt)}. All rows of one partition get at most {@code salt}
 * distinct, consecutive keys, so they go to at most {@code salt} writer subtasks and a checkpoint writes
 * at most {@code salt} files per partition instead of one per subtask.
 *
 * <p>The bucket is a hash of the spread columns (the record key when the table has one, else every
 * column), not drawn at random and not from {@code RowData.hashCode()}: Flink computes the key again
 * after the shuffle, on the deserialized {@code BinaryRowData}, whose hash differs from the sender's
 * {@code GenericRowData}. Field values (strings, numbers, timestamps) hash the same in both.
 *
 * <p>An int, not a {@code table|partition|bucket} string: the key is computed for every row on both
 * sides of the shuffle, and the string cost more than the rest of the routing.
 */
public final class SaltedPartitionKey implements KeySelector<RowData, Integer> {
    private static final long serialVersionUID = 1L;

    private final PartitionPath partition;
    private final int salt;
    private final RowData.FieldGetter[] spread;

    /**
     * @param spreadColumns the columns whose values pick the bucket; empty for all columns
     */
    public SaltedPartitionKey(String table, PartitionPath partition, int salt, RowType rowType,
            List<String> spreadColumns) {
        if (salt < 1) {
            throw new IllegalArgumentException("salt of table " + table + " must be at least 1, was " + salt);
        }
        this.partition = partition;
        this.salt = salt;
        List<String> columns = spreadColumns.isEmpty() ? rowType.getFieldNames() : spreadColumns;
        this.spread = new RowData.FieldGetter[columns.size()];
        for (int i = 0; i < spread.length; i++) {
            int index = rowType.getFieldIndex(columns.get(i));
            if (index < 0) {
                throw new IllegalArgumentException("table " + table + ": column '" + columns.get(i) + "' does not exist");
            }
            spread[i] = RowData.createFieldGetter(rowType.getTypeAt(index), index);
        }
    }

    @Override
    public Integer getKey(RowData row) {
        int bucket = 0;
        if (salt > 1) {
            int hash = 1;
            for (RowData.FieldGetter field : spread) {
                hash = 31 * hash + Objects.hashCode(field.getFieldOrNull(row));
            }
            // Spread the hash before reducing it: hash codes of similar rows differ in few low bits.
            bucket = Math.floorMod(Integer.rotateLeft(hash * 0x9E3779B9, 16), salt);
        }
        return partition.hash(row) + bucket;
    }
}
