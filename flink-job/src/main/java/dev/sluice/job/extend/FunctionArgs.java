package dev.sluice.job.extend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;

/**
 * The arguments of a derived-field call as written in the config. Each function decides per position
 * whether an argument is a field reference ({@link #field}) or a constant ({@link #constant}); in field
 * positions a constant is written in single quotes ({@code 'unknown'}).
 */
public final class FunctionArgs {
    private final List<String> args;
    private final String explodePath;

    public FunctionArgs(List<String> args, String explodePath) {
        this.args = List.copyOf(args);
        this.explodePath = explodePath;
    }

    public int size() {
        return args.size();
    }

    /** @throws IllegalArgumentException unless {@code min <= size() <= max} */
    public void requireCount(int min, int max) {
        if (args.size() < min || args.size() > max) {
            String expected = min == max ? String.valueOf(min)
                    : max == Integer.MAX_VALUE ? "at least " + min : min + " to " + max;
            throw new IllegalArgumentException("takes " + expected + " argument(s), got " + args.size());
        }
    }

    /** Argument {@code i} as a constant, single quotes removed if present. */
    public String constant(int i) {
        String arg = args.get(i);
        return isQuoted(arg) ? arg.substring(1, arg.length() - 1) : arg;
    }

    /** Argument {@code i} as a value source: a quoted constant, or a field path read from the record. */
    public Value field(int i) {
        String arg = args.get(i);
        if (isQuoted(arg)) {
            JsonNode constant = TextNode.valueOf(constant(i));
            return record -> constant;
        }
        FieldPath path = FieldPath.of(arg, explodePath);
        return record -> record.get(path);
    }

    private static boolean isQuoted(String arg) {
        return arg.length() >= 2 && arg.startsWith("'") && arg.endsWith("'");
    }

    /** Where an argument's value comes from per record. */
    @FunctionalInterface
    public interface Value {
        /** The value, {@code MissingNode} when the field is absent; never null. */
        JsonNode get(RecordView record);
    }
}
