package dev.sluice.job.udf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyHashMap;
import org.graalvm.polyglot.proxy.ProxyIterator;

/**
 * Records and values between the engine (Jackson trees) and Python: objects go in as dict-like
 * {@link Dict} proxies (no copy into a Python dict per call), arrays as lists, scalars as str, int,
 * float, bool, None; whatever a UDF returns (the proxy it was given, a new dict, a list, a scalar) comes
 * back as a tree.
 */
public final class PyValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PyValues() {
    }

    /** A JSON value as a Python argument. */
    public static Object toGuest(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber()) {
            return value.canConvertToLong() ? (Object) value.longValue() : value.bigIntegerValue();
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            value.fields().forEachRemaining(e -> map.put(e.getKey(), toGuest(e.getValue())));
            return new Dict(map);
        }
        if (value.isArray()) {
            List<Object> list = new ArrayList<>(value.size());
            value.forEach(element -> list.add(toGuest(element)));
            return ProxyArray.fromList(list);
        }
        return value.asText();
    }

    /**
     * A value a UDF returned (or stored into a {@link Dict}) as a JSON tree.
     *
     * @throws IllegalArgumentException for values with no JSON form (functions, modules, objects)
     */
    public static JsonNode toJson(Object value) {
        if (value == null) {
            return NullNode.getInstance();
        }
        if (value instanceof Value guest) {
            return guestToJson(guest);
        }
        if (value instanceof Dict dict) {
            ObjectNode object = NODES.objectNode();
            dict.map.forEach((k, v) -> object.set(k, toJson(v)));
            return object;
        }
        if (value instanceof String text) {
            return NODES.textNode(text);
        }
        if (value instanceof Boolean bool) {
            return NODES.booleanNode(bool);
        }
        if (value instanceof Double || value instanceof Float) {
            return NODES.numberNode(((Number) value).doubleValue());
        }
        if (value instanceof BigInteger big) {
            return NODES.numberNode(big);
        }
        if (value instanceof BigDecimal decimal) {
            return NODES.numberNode(decimal);
        }
        if (value instanceof Number number) {
            return NODES.numberNode(number.longValue());
        }
        if (value instanceof Character c) {
            return NODES.textNode(c.toString());
        }
        if (value instanceof ProxyArray array) {
            ArrayNode out = NODES.arrayNode();
            for (long i = 0; i < array.getSize(); i++) {
                out.add(toJson(array.get(i)));
            }
            return out;
        }
        throw new IllegalArgumentException("cannot store a value of " + value.getClass().getName());
    }

    private static JsonNode guestToJson(Value value) {
        if (value.isNull()) {
            return NullNode.getInstance();
        }
        if (value.isProxyObject()) {
            return toJson(value.asProxyObject());
        }
        if (value.isBoolean()) {
            return NODES.booleanNode(value.asBoolean());
        }
        if (value.isString()) {
            return NODES.textNode(value.asString());
        }
        if (value.isNumber()) {
            if (value.fitsInLong()) {
                return NODES.numberNode(value.asLong());
            }
            if (value.fitsInBigInteger()) {
                return NODES.numberNode(value.asBigInteger());
            }
            return NODES.numberNode(value.asDouble());
        }
        if (value.hasHashEntries()) {
            ObjectNode object = NODES.objectNode();
            Value keys = value.getHashKeysIterator();
            while (keys.hasIteratorNextElement()) {
                Value key = keys.getIteratorNextElement();
                object.set(key.isString() ? key.asString() : key.toString(), guestToJson(value.getHashValue(key)));
            }
            return object;
        }
        if (value.hasArrayElements()) {
            ArrayNode array = NODES.arrayNode();
            for (long i = 0; i < value.getArraySize(); i++) {
                array.add(guestToJson(value.getArrayElement(i)));
            }
            return array;
        }
        throw new IllegalArgumentException("cannot store a Python " + typeName(value));
    }

    /** The Python type name of a value, for messages: {@code int}, {@code dict}, {@code NoneType}. */
    public static String typeName(Value value) {
        Value meta = value.getMetaObject();
        return meta == null ? String.valueOf(value) : meta.getMetaSimpleName();
    }

    /** True when a UDF result is a record: a dict (or the dict proxy it was given). */
    public static boolean isDict(Value value) {
        return (value.isProxyObject() && value.asProxyObject() instanceof Dict) || value.hasHashEntries();
    }

    /**
     * A record as a Python dict-like proxy over a Java map: reads, writes, deletes, {@code in}, iteration
     * and {@code .items()} work as on a dict. Values written by the UDF are kept as guest values until
     * {@link #toJson} converts them.
     */
    public static final class Dict implements ProxyHashMap {
        private final Map<String, Object> map;

        public Dict(Map<String, Object> map) {
            this.map = map;
        }

        private static String key(Value key) {
            return key.isString() ? key.asString() : key.toString();
        }

        @Override
        public long getHashSize() {
            return map.size();
        }

        @Override
        public boolean hasHashEntry(Value key) {
            return map.containsKey(key(key));
        }

        @Override
        public Object getHashValue(Value key) {
            return map.get(key(key));
        }

        @Override
        public void putHashEntry(Value key, Value value) {
            map.put(key(key), value.isHostObject() ? value.asHostObject() : value.isProxyObject()
                    ? value.asProxyObject() : value);
        }

        @Override
        public boolean removeHashEntry(Value key) {
            String name = key(key);
            boolean present = map.containsKey(name);
            map.remove(name);
            return present;
        }

        @Override
        public Object getHashEntriesIterator() {
            Iterator<Map.Entry<String, Object>> entries = new ArrayList<>(map.entrySet()).iterator();
            return new ProxyIterator() {
                @Override
                public boolean hasNext() {
                    return entries.hasNext();
                }

                @Override
                public Object getNext() {
                    Map.Entry<String, Object> entry = entries.next();
                    return ProxyArray.fromArray(entry.getKey(), entry.getValue());
                }
            };
        }
    }
}
