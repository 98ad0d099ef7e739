package dev.sluice.core.config;

import java.util.List;
import java.util.Map;

/**
 * A Hudi table.
 *
 * @param tableType       COPY_ON_WRITE (default) or MERGE_ON_READ
 * @param operation       upsert (default) or insert
 * @param recordKey       record key columns (required for upsert)
 * @param precombineField on upsert, the row with the larger value wins; null: the later write wins
 * @param partitionFields Hive-style partition columns
 * @param options         extra Hudi options passed as they are (e.g. compaction settings)
 */
public record HudiSinkConfig(HudiTableType tableType, WriteOperation operation, List<String> recordKey,
                             String precombineField, List<String> partitionFields, Map<String, String> options)
        implements SinkConfig {

    public HudiSinkConfig(HudiTableType tableType,
                          WriteOperation operation,
                          List<String> recordKey,
                          String precombineField,
                          List<String> partitionFields,
                          Map<String, String> options,
                          String ignoredType) {
        this(tableType == null ? HudiTableType.COPY_ON_WRITE : tableType,
                operation == null ? WriteOperation.UPSERT : operation,
                recordKey == null ? List.of() : List.copyOf(recordKey),
                precombineField,
                partitionFields == null ? List.of() : List.copyOf(partitionFields),
                options == null ? Map.of() : Map.copyOf(options));
    }
}
