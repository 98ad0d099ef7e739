package dev.sluice.job.load;

import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.table.data.RowData;

/**
 * Key {@code table|partition|salt} for pre-partitioning rows before a sink: all rows of one partition
 * go to at most {@code salt} writer subtasks, so a checkpoint writes at most {@code salt} files per
 * partition instead of one per subtask.
 *
 * <p>The salt is derived from the row's content, not drawn at random: a key selector must return the
 * same key for the same record every time Flink asks.
 */
public final class SaltedPartitionKey implements KeySelector<RowData, String> {
    private static final long serialVersionUID = 1L;

    private final String table;
    private final PartitionPath partition;
    private final int salt;

    public SaltedPartitionKey(String table, PartitionPath partition, int salt) {
        if (salt < 1) {
            throw new IllegalArgumentException("salt of table " + table + " must be at least 1, was " + salt);
        }
        this.table = table;
        this.partition = partition;
        this.salt = salt;
    }

    @Override
    public String getKey(RowData row) {
        // Spread the hash before reducing it: row hash codes of similar rows differ in few low bits.
        int bucket = Math.floorMod(Integer.rotateLeft(row.hashCode() * 0x9E3779B9, 16), salt);
        return table + '|' + partition.path(row) + '|' + bucket;
    }
}
