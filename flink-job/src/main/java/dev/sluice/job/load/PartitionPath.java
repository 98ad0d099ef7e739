package dev.sluice.job.load;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.RowType;

/**
 * The Hive-style partition of a row: {@code dt=2026-11-23/kind=ops}. Values are escaped the way Hive
 * escapes partition directory names, so the directory Sluice writes is the one Hive, Spark and Hudi
 * expect; a null value is Hive's default partition.
 */
public final class PartitionPath implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Hive's name for the partition of null values. */
    public static final String DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__";
    /** Characters Hive percent-escapes in partition values (FileUtils.escapePathName), besides controls. */
    private static final String ESCAPED = "\"#%'*/:=?\\{[]^";

    private final List<String> fields;
    private final int[] indexes;
    private final LogicalTypeRoot[] types;

    private PartitionPath(List<String> fields, int[] indexes, LogicalTypeRoot[] types) {
        this.fields = List.copyOf(fields);
        this.indexes = indexes;
        this.types = types;
    }

    /**
     * @throws IllegalArgumentException when a field is not a column of {@code rowType}, or of a type that
     *                                  makes no sense as a directory name
     */
    public static PartitionPath of(RowType rowType, List<String> fields) {
        int[] indexes = new int[fields.size()];
        LogicalTypeRoot[] types = new LogicalTypeRoot[fields.size()];
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            int index = rowType.getFieldIndex(fields.get(i));
            if (index < 0) {
                problems.add("partition field '" + fields.get(i) + "' is not a column of the table");
                continue;
            }
            LogicalType type = rowType.getTypeAt(index);
            if (!SUPPORTED.contains(type.getTypeRoot())) {
                problems.add("partition field '" + fields.get(i) + "' has type " + type
                        + "; use a STRING, DATE, BIGINT or BOOLEAN column");
            }
            indexes[i] = index;
            types[i] = type.getTypeRoot();
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new PartitionPath(fields, indexes, types);
    }

    private static final List<LogicalTypeRoot> SUPPORTED = List.of(LogicalTypeRoot.VARCHAR, LogicalTypeRoot.CHAR,
            LogicalTypeRoot.DATE, LogicalTypeRoot.BIGINT, LogicalTypeRoot.INTEGER, LogicalTypeRoot.BOOLEAN);

    public List<String> fields() {
        return fields;
    }

    public boolean isPartitioned() {
        return !fields.isEmpty();
    }

    /** The unescaped partition values of {@code row}, in field order. */
    public List<String> values(RowData row) {
        List<String> values = new ArrayList<>(indexes.length);
        for (int i = 0; i < indexes.length; i++) {
            values.add(valueAt(row, i));
        }
        return values;
    }

    /** {@code dt=2026-11-23/kind=ops}; empty for an unpartitioned table. */
    public String path(RowData row) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < indexes.length; i++) {
            if (i > 0) {
                path.append('/');
            }
            path.append(escape(fields.get(i))).append('=').append(escape(valueAt(row, i)));
        }
        return path.toString();
    }

    /**
     * A hash of the partition values, equal for equal values in any {@code RowData} implementation (so
     * on both sides of a shuffle), computed without building the path.
     */
    public int hash(RowData row) {
        int hash = 1;
        for (int i = 0; i < indexes.length; i++) {
            int index = indexes[i];
            int value = row.isNullAt(index) ? 0 : switch (types[i]) {
                case VARCHAR, CHAR -> row.getString(index).hashCode();
                case DATE, INTEGER -> row.getInt(index);
                case BIGINT -> Long.hashCode(row.getLong(index));
                case BOOLEAN -> Boolean.hashCode(row.getBoolean(index));
                default -> throw new IllegalStateException("unsupported partition type " + types[i]);
            };
            hash = 31 * hash + value;
        }
        return hash;
    }

    private String valueAt(RowData row, int i) {
        int index = indexes[i];
        if (row.isNullAt(index)) {
            return DEFAULT_PARTITION;
        }
        return switch (types[i]) {
            case VARCHAR, CHAR -> row.getString(index).toString();
            case DATE -> LocalDate.ofEpochDay(row.getInt(index)).toString();
            case BIGINT -> Long.toString(row.getLong(index));
            case INTEGER -> Integer.toString(row.getInt(index));
            case BOOLEAN -> Boolean.toString(row.getBoolean(index));
            default -> throw new IllegalStateException("unsupported partition type " + types[i]);
        };
    }

    /** The unescaped values of a partition directory name such as {@code dt=2026-11-23/kind=ops}. */
    public static List<String> valuesOf(String path) {
        List<String> values = new ArrayList<>();
        for (String segment : path.split("/")) {
            int eq = segment.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("not a Hive partition path: " + path);
            }
            values.add(unescape(segment.substring(eq + 1)));
        }
        return values;
    }

    private static String unescape(String value) {
        StringBuilder plain = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' && i + 2 < value.length()) {
                plain.append((char) Integer.parseInt(value.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                plain.append(c);
            }
        }
        return plain.toString();
    }

    static String escape(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c < 0x20 || c == 0x7F || ESCAPED.indexOf(c) >= 0) {
                escaped.append('%').append(String.format("%02X", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
