package dev.sluice.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A YAML mapping being bound, with its path; every read that fails adds a problem and yields null, so
 * binding goes on and one load reports every problem.
 */
final class ConfigNode {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private final JsonNode node;
    private final String path;
    private final Problems problems;

    ConfigNode(JsonNode node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    String path() {
        return path;
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    void problem(String key, String message) {
        problems.add(path(key), message);
    }

    /** Reports keys not in {@code allowed} (misspelled keys must not be ignored silently). */
    void allowKeys(String... allowed) {
        Set<String> known = new TreeSet<>(Arrays.asList(allowed));
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                problems.add(path(name), "unknown key, expected one of " + String.join(", ", known));
            }
        }
    }

    private JsonNode value(String key, boolean required) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            if (required) {
                problems.add(path(key), "is required");
            }
            return null;
        }
        return value;
    }

    String text(String key, boolean required) {
        JsonNode value = value(key, required);
        if (value == null) {
            return null;
        }
        if (!value.isValueNode()) {
            problems.add(path(key), "expected a text value, got " + kind(value));
            return null;
        }
        return value.asText();
    }

    Boolean bool(String key) {
        JsonNode value = value(key, false);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            problems.add(path(key), "expected true or false, got " + kind(value));
            return null;
        }
        return value.booleanValue();
    }

    Long integer(String key) {
        JsonNode value = value(key, false);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            problems.add(path(key), "expected an integer, got " + kind(value));
            return null;
        }
        return value.longValue();
    }

    /**
     * A positive duration written as a number and a unit: {@code 500ms}, {@code 30s}, {@code 10m},
     * {@code 1h}, {@code 7d}.
     */
    Duration duration(String key, boolean required) {
        String text = text(key, required);
        if (text == null) {
            return null;
        }
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            problems.add(path(key), "expected a positive duration like 30s, 10m, 1h or 7d, got '" + text + "'");
            return null;
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** An enum written in any case, {@code -} for {@code _}; a problem lists the accepted values. */
    <E extends Enum<E>> E enumValue(String key, boolean required, Class<E> type, String what,
                                    Function<E, String> wireName) {
        String text = text(key, required);
        if (text == null) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (wireName.apply(constant).equalsIgnoreCase(text.trim())
                    || constant.name().equalsIgnoreCase(text.trim().replace('-', '_'))) {
                return constant;
            }
        }
        problems.add(path(key), "unknown " + what + " '" + text + "', expected one of "
                + Arrays.stream(type.getEnumConstants()).map(wireName).collect(Collectors.joining(", ")));
        return null;
    }

    List<String> texts(String key) {
        List<String> texts = new ArrayList<>();
        List<JsonNode> items = items(key, false);
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            if (item.isValueNode() && !item.isNull()) {
                texts.add(item.asText());
            } else {
                problems.add(path(key) + "[" + i + "]", "expected a text value, got " + kind(item));
            }
        }
        return texts;
    }

    /** Elements of a list that are mappings, each as a node with its indexed path. */
    List<ConfigNode> objects(String key, boolean required) {
        List<ConfigNode> objects = new ArrayList<>();
        List<JsonNode> items = items(key, required);
        for (int i = 0; i < items.size(); i++) {
            String itemPath = path(key) + "[" + i + "]";
            if (items.get(i).isObject()) {
                objects.add(new ConfigNode(items.get(i), itemPath, problems));
            } else {
                problems.add(itemPath, "expected a mapping, got " + kind(items.get(i)));
            }
        }
        return objects;
    }

    ConfigNode object(String key, boolean required) {
        JsonNode value = value(key, required);
        if (value == null) {
            return null;
        }
        if (!value.isObject()) {
            problems.add(path(key), "expected a mapping, got " + kind(value));
            return null;
        }
        return new ConfigNode(value, path(key), problems);
    }

    Map<String, String> textMap(String key) {
        ConfigNode map = object(key, false);
        if (map == null) {
            return null;
        }
        Map<String, String> texts = new LinkedHashMap<>();
        for (Iterator<String> names = map.node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            String text = map.text(name, true);
            if (text != null) {
                texts.put(name, text);
            }
        }
        return texts;
    }

    private List<JsonNode> items(String key, boolean required) {
        JsonNode value = value(key, required);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            problems.add(path(key), "expected a list, got " + kind(value));
            return List.of();
        }
        List<JsonNode> items = new ArrayList<>();
        value.forEach(items::add);
        if (required && items.isEmpty()) {
            problems.add(path(key), "must not be empty");
        }
        return items;
    }

    private static String kind(JsonNode value) {
        return value.isObject() ? "a mapping" : value.isArray() ? "a list" : "'" + value.asText() + "'";
    }
}
