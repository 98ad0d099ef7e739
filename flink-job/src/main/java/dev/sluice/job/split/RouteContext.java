package dev.sluice.job.split;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.job.extend.FieldPath;
import dev.sluice.job.extend.RecordView;
import java.util.AbstractMap;
import java.util.AbstractList;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.jexl3.JexlContext;

/**
 * JEXL variables over a record view. Values are converted lazily, only for names the expression reads:
 * text → String, integers → Long, other numbers → Double, booleans → Boolean, objects → read-only maps,
 * arrays → read-only lists (so {@code user.region} and {@code tags[0]} work). Writes are refused.
 */
final class RouteContext implements JexlContext {
    private final Map<String, FieldPath> columns;
    RecordView view;

    RouteContext(Map<String, FieldPath> columns) {
        this.columns = columns;
    }

    @Override
    public Object get(String name) {
        FieldPath column = columns.get(name);
        return toJava(column != null ? view.get(column) : view.top(name));
    }

    @Override
    public boolean has(String name) {
        return true; // an absent field is null, not an undefined-variable error
    }

    @Override
    public void set(String name, Object value) {
        throw new UnsupportedOperationException("route expressions cannot assign variables");
    }

    static Object toJava(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isObject()) {
            return new ObjectView(node);
        }
        if (node.isArray()) {
            return new ArrayView(node);
        }
        return node.asText();
    }

    /** A JSON object seen as a map, converting members on access. */
    private static final class ObjectView extends AbstractMap<String, Object> {
        private final JsonNode object;

        ObjectView(JsonNode object) {
            this.object = object;
        }

        @Override
        public Object get(Object key) {
            return key instanceof String name ? toJava(object.get(name)) : null;
        }

        @Override
        public boolean containsKey(Object key) {
            return key instanceof String name && object.has(name);
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return object.properties().stream()
                    .map(e -> (Entry<String, Object>) new SimpleImmutableEntry<String, Object>(e.getKey(), toJava(e.getValue())))
                    .collect(Collectors.toSet());
        }
    }

    /** A JSON array seen as a list, converting elements on access. */
    private static final class ArrayView extends AbstractList<Object> {
        private final JsonNode array;

        ArrayView(JsonNode array) {
            this.array = array;
        }

        @Override
        public Object get(int index) {
            return toJava(array.get(index));
        }

        @Override
        public int size() {
            return array.size();
        }
    }
}
