package dev.sluice.job.extend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.types.RowKind;

/**
 * One table's view of a parsed record: the shared parsed fields (read only, because tables with the same
 * parser share them) plus this table's own fields added by the extender (flattened leaves, the exploded
 * element, derived fields), which shadow parsed fields of the same name. Reused across records by one
 * table: {@link #reset} per record.
 */
public final class RecordView {
    private final Map<String, JsonNode> added = new HashMap<>();
    private ObjectNode parsed;
    private RowKind kind;

    public void reset(ObjectNode parsed, RowKind kind) {
        this.parsed = parsed;
        this.kind = kind;
        added.clear();
    }

    public RowKind kind() {
        return kind;
    }

    /** Adds or replaces a table-local top-level field. */
    public void put(String name, JsonNode value) {
        added.put(name, value);
    }

    /** Removes the table-local fields, keeping the parsed record (between exploded elements). */
    public void clearAdded() {
        added.clear();
    }

    /** The value at {@code path}; {@link MissingNode} when any segment is absent. Never null. */
    public JsonNode get(FieldPath path) {
        JsonNode node = top(path.head());
        for (int i = 1; i < path.length() && node != null; i++) {
            node = path.step(node, i);
        }
        return node == null ? MissingNode.getInstance() : node;
    }

    /** The parsed fields with this table's fields over them, as one object (a copy). */
    public ObjectNode toObject() {
        ObjectNode object = parsed.deepCopy();
        added.forEach(object::set);
        return object;
    }

    /** A top-level field, or null when absent. */
    public JsonNode top(String name) {
        JsonNode value = added.get(name);
        return value != null ? value : parsed.get(name);
    }
}
