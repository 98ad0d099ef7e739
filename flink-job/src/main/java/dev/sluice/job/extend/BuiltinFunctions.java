package dev.sluice.job.extend;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.job.format.ConversionException;
import dev.sluice.job.format.Timestamps;
import dev.sluice.job.format.Values;
import dev.sluice.job.parse.Json;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in derived-field functions, registered through the same SPI as user functions. An absent
 * input (missing or null) gives an absent result, except for {@code coalesce}, whose job is absent input.
 */
public final class BuiltinFunctions {

    private BuiltinFunctions() {
    }

    /** {@code date_format(field, pattern[, in_pattern])}: an event time rendered with a pattern, in UTC. */
    public static final class DateFormat implements FunctionFactory {
        @Override
        public String name() {
            return "date_format";
        }

        @Override
        public String signature() {
            return "date_format(field, pattern[, in_pattern])";
        }

        @Override
        public FieldFunction bind(FunctionArgs args) {
            args.requireCount(2, 3);
            FunctionArgs.Value source = args.field(0);
            DateText out = DateText.of(args.constant(1));
            DateTimeFormatter in = args.size() == 3 ? inputPattern(args.constant(2)) : null;
            return record -> {
                JsonNode value = source.get(record);
                return Values.isAbsent(value) ? NullNode.getInstance() : out.format(Timestamps.parse(value, in));
            };
        }
    }

    /** {@code from_unixtime(field[, pattern])}: epoch seconds (or millis) as text, default {@code yyyy-MM-dd HH:mm:ss}. */
    public static final class FromUnixtime implements FunctionFactory {
        @Override
        public String name() {
            return "from_unixtime";
        }

        @Override
        public String signature() {
            return "from_unixtime(field[, pattern])";
        }

        @Override
        public FieldFunction bind(FunctionArgs args) {
            args.requireCount(1, 2);
            FunctionArgs.Value source = args.field(0);
            DateText out = DateText.of(args.size() == 2 ? args.constant(1) : "yyyy-MM-dd HH:mm:ss");
            return record -> {
                JsonNode value = source.get(record);
                if (Values.isAbsent(value)) {
                    return NullNode.getInstance();
                }
                if (!value.isNumber() && !(value.isTextual() && value.textValue().trim().matches("-?\\d+"))) {
                    throw new ConversionException("expected epoch seconds, got " + Values.describe(value));
                }
                return out.format(Timestamps.parse(value, null));
            };
        }
    }

    /** {@code lower(field)}. */
    public static final class Lower extends TextMapping {
        public Lower() {
            super("lower", text -> text.toLowerCase(Locale.ROOT));
        }
    }

    /** {@code upper(field)}. */
    public static final class Upper extends TextMapping {
        public Upper() {
            super("upper", text -> text.toUpperCase(Locale.ROOT));
        }
    }

    /** A one-field function from a scalar's text to text; absent stays absent. */
    private abstract static class TextMapping implements FunctionFactory {
        private final String name;
        private final UnaryOperator<String> mapping;

        TextMapping(String name, UnaryOperator<String> mapping) {
            this.name = name;
            this.mapping = mapping;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String signature() {
            return name + "(field)";
        }

        @Override
        public FieldFunction bind(FunctionArgs args) {
            args.requireCount(1, 1);
            FunctionArgs.Value source = args.field(0);
            return record -> {
                String text = scalarText(source.get(record));
                return text == null ? NullNode.getInstance() : TextNode.valueOf(mapping.apply(text));
            };
        }
    }

    /** {@code coalesce(field, field…)}: the first present value; quote the last one for a default. */
    public static final class Coalesce implements FunctionFactory {
        @Override
        public String name() {
            return "coalesce";
        }

        @Override
        public String signature() {
            return "coalesce(field, field...)";
        }

        @Override
        public FieldFunction bind(FunctionArgs args) {
            args.requireCount(1, Integer.MAX_VALUE);
            FunctionArgs.Value[] sources = new FunctionArgs.Value[args.size()];
            for (int i = 0; i < sources.length; i++) {
                sources[i] = args.field(i);
            }
            return record -> {
                for (FunctionArgs.Value source : sources) {
                    JsonNode value = source.get(record);
                    if (!Values.isAbsent(value)) {
                        return value;
                    }
                }
                return NullNode.getInstance();
            };
        }
    }

    /**
     * {@code hash(field…)}: 64-bit FNV-1a of the values' text (joined with U+0001), as 16 hex digits. Stable
     * across runs and versions, for pseudonymous keys and bucketing; not a cryptographic hash.
     */
    public static final class Hash implements FunctionFactory {
        private static final long OFFSET = 0xcbf29ce484222325L;
        private static final long PRIME = 0x100000001b3L;
        private static final HexFormat HEX = HexFormat.of();

        @Override
        public String name() {
            return "hash";
        }

        @Override
        public String signature() {
            return "hash(field...)";
        }

        @Override
        public FieldFunction bind(FunctionArgs args) {
            args.requireCount(1, Integer.MAX_VALUE);
            FunctionArgs.Value[] sources = new FunctionArgs.Value[args.size()];
            for (int i = 0; i < sources.length; i++) {
                sources[i] = args.field(i);
            }
            return record -> {
                long hash = OFFSET;
                for (int i = 0; i < sources.length; i++) {
                    JsonNode value = sources[i].get(record);
                    hash = mix(hash, i, Values.isAbsent(value) ? "" : value.isValueNode() ? value.asText() : value.toString());
                }
                return TextNode.valueOf(HEX.toHexDigits(hash));
            };
        }

        /**
         * The function's value for these texts (an absent field's text is empty), for code that computes the
         * same key outside a pipeline, such as bench/etl's Flink SQL twin of a Sluice table.
         */
        public static String of(String... texts) {
            long hash = OFFSET;
            for (int i = 0; i < texts.length; i++) {
                hash = mix(hash, i, texts[i] == null ? "" : texts[i]);
            }
            return HEX.toHexDigits(hash);
        }

        /** Folds the {@code index}-th value's UTF-8 bytes into {@code hash}, values after the first behind a separator. */
        private static long mix(long hash, int index, String text) {
            if (index > 0) {
                hash = (hash ^ 1) * PRIME;
            }
            for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
                hash = (hash ^ (b & 0xff)) * PRIME;
            }
            return hash;
        }
    }

    /**
     * {@code json_path(field, path)}: a value inside a JSON object or inside JSON text (e.g. a message that
     * carries JSON), path as {@code $.a.b[0]}; absent when the path does not exist.
     */
    public static final class JsonPath implements FunctionFactory {
        private static final Pattern STEP = Pattern.compile("\\.([^.\\[\\]]+)|\\[(\\d+)]");

        @Override
        public String name() {
            return "json_path";
        }

        @Override
        public String signature() {
            return "json_path(field, $.path)";
        }

        @Override
        public FieldFunction bind(FunctionArgs args) {
            args.requireCount(2, 2);
            FunctionArgs.Value source = args.field(0);
            JsonPointer pointer = pointer(args.constant(1));
            return record -> {
                JsonNode value = source.get(record);
                if (Values.isAbsent(value)) {
                    return NullNode.getInstance();
                }
                JsonNode root = value.isTextual() ? Json.tree(value.textValue()) : value;
                JsonNode found = root.at(pointer);
                return found.isMissingNode() ? NullNode.getInstance() : found;
            };
        }

        /** {@code $.a.b[0]} → {@code /a/b/0}. */
        static JsonPointer pointer(String path) {
            if (!path.startsWith("$")) {
                throw new IllegalArgumentException("json path must start with '$', got '" + path + "'");
            }
            StringBuilder pointer = new StringBuilder();
            Matcher m = STEP.matcher(path);
            int at = 1;
            while (at < path.length()) {
                if (!m.find(at) || m.start() != at) {
                    throw new IllegalArgumentException("unsupported json path '" + path + "' at position " + at
                            + "; use $.name and [index] steps");
                }
                String name = m.group(1) != null ? m.group(1) : m.group(2);
                pointer.append('/').append(name.replace("~", "~0").replace("/", "~1"));
                at = m.end();
            }
            return JsonPointer.compile(pointer.toString());
        }
    }

    private static DateTimeFormatter inputPattern(String pattern) {
        try {
            return Timestamps.pattern(pattern);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad date pattern '" + pattern + "': " + e.getMessage(), e);
        }
    }

    /** Text of a scalar, null when absent; objects and arrays are refused (drift must not pass as text). */
    private static String scalarText(JsonNode value) throws ConversionException {
        if (Values.isAbsent(value)) {
            return null;
        }
        if (!value.isValueNode()) {
            throw new ConversionException("expected text, got " + Values.describe(value));
        }
        return value.asText();
    }
}
