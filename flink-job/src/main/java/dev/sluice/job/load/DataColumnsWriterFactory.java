package dev.sluice.job.load;

import java.io.IOException;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.utils.ProjectedRowData;

/**
 * Writes only a row's data columns: in a Hive table the partition columns live in the directory name,
 * not in the files, and Hive rejects a table whose partition key is also a data column.
 */
final class DataColumnsWriterFactory implements BulkWriter.Factory<RowData> {
    private static final long serialVersionUID = 1L;

    private final BulkWriter.Factory<RowData> delegate;
    private final int[] dataColumns;

    DataColumnsWriterFactory(BulkWriter.Factory<RowData> delegate, int[] dataColumns) {
        this.delegate = delegate;
        this.dataColumns = dataColumns;
    }

    @Override
    public BulkWriter<RowData> create(FSDataOutputStream out) throws IOException {
        BulkWriter<RowData> writer = delegate.create(out);
        ProjectedRowData projected = ProjectedRowData.from(dataColumns);
        return new BulkWriter<>() {
            @Override
            public void addElement(RowData row) throws IOException {
                writer.addElement(projected.replaceRow(row));
            }

            @Override
            public void flush() throws IOException {
                writer.flush();
            }

            @Override
            public void finish() throws IOException {
                writer.finish();
            }
        };
    }
}
