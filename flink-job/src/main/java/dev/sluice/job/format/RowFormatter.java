package dev.sluice.job.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.config.ColumnConfig;
import dev.sluice.core.config.LogicalType;
import dev.sluice.core.config.TableConfig;
import dev.sluice.core.error.ErrorCode;
import dev.sluice.job.extend.FieldPath;
import dev.sluice.job.extend.RecordView;
import java.util.List;
import org.apache.flink.table.data.GenericRowData;

/**
 * Builds a table's physical row from a record view: per column, read its path, convert to the internal
 * type of {@link TableSchemas#rowType}. Absent values become null unless the column is required. Paths
 * and converters are compiled once; per record this is a lookup and a conversion per column.
 */
public final class RowFormatter {
    private final String[] names;
    private final FieldPath[] paths;
    private final ColumnConverter[] converters;
    private final boolean[] required;
    /** Empty text is "no value" for typed columns (an empty CSV cell is not a number); STRING keeps it. */
    private final boolean[] emptyIsAbsent;

    public RowFormatter(TableConfig table) {
        List<ColumnConfig> columns = table.columns();
        String explode = table.extensions().explode();
        this.names = columns.stream().map(ColumnConfig::name).toArray(String[]::new);
        this.paths = columns.stream().map(c -> FieldPath.of(c.path(), explode)).toArray(FieldPath[]::new);
        this.converters = columns.stream().map(Converters::forColumn).toArray(ColumnConverter[]::new);
        this.required = new boolean[columns.size()];
        this.emptyIsAbsent = new boolean[columns.size()];
        for (int i = 0; i < required.length; i++) {
            required[i] = columns.get(i).required();
            emptyIsAbsent[i] = columns.get(i).type() != LogicalType.STRING && columns.get(i).type() != LogicalType.JSON;
        }
    }

    public FormatResult format(RecordView view) {
        GenericRowData row = new GenericRowData(view.kind(), names.length);
        for (int i = 0; i < names.length; i++) {
            JsonNode value = view.get(paths[i]);
            if (Values.isAbsent(value) || (emptyIsAbsent[i] && value.isTextual() && value.textValue().isEmpty())) {
                if (required[i]) {
                    return FormatResult.failed(ErrorCode.MISSING_REQUIRED_FIELD,
                            "column '" + names[i] + "' is required but '" + paths[i] + "' has no value");
                }
                continue;
            }
            try {
                row.setField(i, converters[i].convert(value));
            } catch (ConversionException e) {
                return FormatResult.failed(ErrorCode.TYPE_CONVERSION,
                        "column '" + names[i] + "' from '" + paths[i] + "': " + e.getMessage());
            }
        }
        return FormatResult.ok(row);
    }
}
