package dev.sluice.job.extend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.sluice.core.config.DerivedFieldConfig;
import dev.sluice.core.config.ExtensionsConfig;
import dev.sluice.core.config.UdfConfig;
import dev.sluice.job.format.Values;
import dev.sluice.job.udf.PythonFunction;
import dev.sluice.job.udf.PythonUdfs;
import dev.sluice.job.udf.UdfException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A table's extensions, compiled once at open: explode an array into one view per element, flatten
 * nested objects into top-level fields, compute derived fields — in that order, so flatten and derived
 * fields see the current element, and a derived field sees the flattened fields and earlier derived
 * fields. Everything is added to the table's {@link RecordView}, never to the shared parsed record.
 */
public final class Extender {
    /** Where the array is in the parsed record; each element is then visible under {@link #explodeKey}. */
    private final FieldPath explode;
    private final String explodeKey;
    private final FieldPath[] flatten;
    private final FlatNames[] flattenNames;
    private final String[] derivedNames;
    private final String[] derivedFunctions;
    private final FieldFunction[] derived;

    /** Extensions without Python functions. */
    public Extender(ExtensionsConfig config, Functions functions) {
        this(config, functions, null);
    }

    /**
     * @param udfs the pipeline's Python UDFs, for derived fields whose function is {@code module.function};
     *             null when the pipeline has none
     * @throws IllegalArgumentException for an unknown function or bad arguments, naming the field
     */
    public Extender(ExtensionsConfig config, Functions functions, PythonUdfs udfs) {
        String explodePath = config.explode();
        this.explode = explodePath == null ? null : FieldPath.of(explodePath);
        this.explodeKey = explodePath;
        this.flatten = config.flatten().stream().map(p -> FieldPath.of(p, explodePath)).toArray(FieldPath[]::new);
        this.flattenNames = config.flatten().stream().map(p -> FlatNames.root(p.replace('.', '_'))).toArray(FlatNames[]::new);
        List<DerivedFieldConfig> fields = config.derived();
        this.derivedNames = fields.stream().map(DerivedFieldConfig::name).toArray(String[]::new);
        this.derivedFunctions = fields.stream().map(DerivedFieldConfig::function).toArray(String[]::new);
        this.derived = new FieldFunction[fields.size()];
        for (int i = 0; i < derived.length; i++) {
            derived[i] = bind(fields.get(i), functions, explodePath, udfs);
        }
    }

    /**
     * Binds one derived field; the message is what validation reports for the field.
     *
     * @param udfs where {@code module.function} names are looked up; null when the pipeline has no UDFs
     */
    public static FieldFunction bind(DerivedFieldConfig field, Functions functions, String explodePath,
                                     PythonUdfs udfs) {
        if (UdfConfig.isPythonFunction(field.function())) {
            if (udfs == null) {
                throw new IllegalArgumentException("'" + field.function()
                        + "' is a Python function but the pipeline has no udf.modules directory");
            }
            return PythonFunction.bind(udfs, field.function(), new FunctionArgs(field.args(), explodePath),
                    field.args().size());
        }
        FunctionFactory factory = functions.get(field.function());
        if (factory == null) {
            throw new IllegalArgumentException("unknown function '" + field.function() + "', expected one of "
                    + String.join(", ", functions.names()));
        }
        try {
            return factory.bind(new FunctionArgs(field.args(), explodePath));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(factory.signature() + " " + e.getMessage(), e);
        }
    }

    /** True when each record is exploded into one row per array element. */
    public boolean explodes() {
        return explode != null;
    }

    /**
     * The array to explode in the parsed record: null when absent or empty (nothing to emit).
     *
     * @throws ExtensionException when the value is there but is not an array (drifted data)
     */
    public JsonNode elements(RecordView view) throws ExtensionException {
        JsonNode value = view.get(explode);
        if (Values.isAbsent(value) || (value.isArray() && value.isEmpty())) {
            return null;
        }
        if (!value.isArray()) {
            throw new ExtensionException("explode path '" + explode + "' holds " + Values.describe(value)
                    + ", expected an array", null);
        }
        return value;
    }

    /** Makes {@code element} the current element of the view, dropping the previous element's fields. */
    public void select(RecordView view, JsonNode element) {
        view.clearAdded();
        view.put(explodeKey, element);
    }

    /**
     * Adds flattened and derived fields to the view.
     *
     * @throws UdfException when a Python derived function failed (its own error codes)
     */
    public void extend(RecordView view) throws ExtensionException, UdfException {
        for (int i = 0; i < flatten.length; i++) {
            JsonNode value = view.get(flatten[i]);
            if (value.isObject()) {
                flattenInto(view, flattenNames[i], value);
            }
        }
        for (int i = 0; i < derived.length; i++) {
            JsonNode value;
            try {
                value = derived[i].apply(view);
            } catch (UdfException e) {
                throw e;
            } catch (Exception e) {
                throw new ExtensionException("derived field '" + derivedNames[i] + "' (" + derivedFunctions[i]
                        + "): " + e.getMessage(), e);
            }
            view.put(derivedNames[i], value == null ? NullNode.getInstance() : value);
        }
    }

    private static void flattenInto(RecordView view, FlatNames names, JsonNode object) {
        for (Map.Entry<String, JsonNode> member : object.properties()) {
            FlatNames child = names.child(member.getKey());
            if (member.getValue().isObject()) {
                flattenInto(view, child, member.getValue());
            } else {
                view.put(child.name, member.getValue());
            }
        }
    }

    /**
     * The flattened column names under one prefix ({@code user} → {@code user_geo} → {@code
     * user_geo_country}), built on first sight instead of concatenated for every leaf of every record.
     * Bounded: keys that never repeat (ids used as keys) would otherwise grow it forever, so past
     * {@link #LIMIT} names per flatten path new names are built per use and not kept.
     */
    private static final class FlatNames {
        private static final int LIMIT = 4096;

        final String name;
        /** The tree's root, which counts the names kept in the whole tree. */
        private final FlatNames root;
        private final Map<String, FlatNames> children = new HashMap<>();
        private int kept;

        private FlatNames(String name, FlatNames root) {
            this.name = name;
            this.root = root == null ? this : root;
        }

        static FlatNames root(String prefix) {
            return new FlatNames(prefix, null);
        }

        FlatNames child(String key) {
            FlatNames child = children.get(key);
            if (child == null) {
                child = new FlatNames(name + "_" + key, root);
                if (root.kept < LIMIT) {
                    root.kept++;
                    children.put(key, child);
                }
            }
            return child;
        }
    }
}
