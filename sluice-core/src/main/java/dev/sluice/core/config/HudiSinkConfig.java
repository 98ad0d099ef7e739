package dev.sluice.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
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

    @JsonCreator
    public HudiSinkConfig(@JsonProperty("table-type") HudiTableType tableType,
                          @JsonProperty("operation") WriteOperation operation,
                          @JsonProperty("record-key") List<String> recordKey,
                          @JsonProperty("precombine-field") String precombineField,
                          @JsonProperty("partition-fields") List<String> partitionFields,
                          @JsonProperty("options") Map<String, String> options,
                          @JsonProperty("type") String ignoredType) {
        this(tableType == null ? HudiTableType.COPY_ON_WRITE : tableType,
                operation == null ? WriteOperation.UPSERT : operation,
                recordKey == null ? List.of() : List.copyOf(recordKey),
                precombineField,
                partitionFields == null ? List.of() : List.copyOf(partitionFields),
                options == null ? Map.of() : Map.copyOf(options));
    }
}
