package dev.sluice.job.pipeline;

import dev.sluice.core.error.ErrorRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.data.RowData;

/** Records every call the engine makes, in order, for assertions. */
public final class CollectingOutput implements PipelineOutput {
    /** A row for a table. */
    public record Row(String table, RowData row) {
    }

    /** A drop with its reason. */
    public record Drop(String table, String reason) {
    }

    public final List<Row> rows = new ArrayList<>();
    public final List<Drop> drops = new ArrayList<>();
    public final List<ErrorRecord> errors = new ArrayList<>();

    @Override
    public void row(String table, RowData row) {
        rows.add(new Row(table, row));
    }

    @Override
    public void dropped(String table, String reason) {
        drops.add(new Drop(table, reason));
    }

    @Override
    public void error(ErrorRecord error) {
        errors.add(error);
    }

    /** Rows of one table. */
    public List<RowData> rows(String table) {
        return rows.stream().filter(r -> r.table().equals(table)).map(Row::row).toList();
    }

    public int calls() {
        return rows.size() + drops.size() + errors.size();
    }
}
