package dev.sluice.job.udf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.error.ErrorCode;
import dev.sluice.job.extend.FieldFunction;
import dev.sluice.job.extend.FunctionArgs;
import dev.sluice.job.extend.RecordView;

/**
 * A derived field computed by a Python function ({@code function: module.function}): its arguments are
 * read as for the built-ins (field paths, or quoted constants) and passed positionally; what it returns
 * is the field's value (None: no value).
 */
public final class PythonFunction {

    private PythonFunction() {
    }

    /**
     * Binds a call of {@code ref} with {@code args}.
     *
     * @throws IllegalArgumentException when the function does not exist or cannot take that many arguments
     */
    public static FieldFunction bind(PythonUdfs udfs, String ref, FunctionArgs args, int count) {
        udfs.check(ref, count);
        FunctionArgs.Value[] sources = new FunctionArgs.Value[count];
        for (int i = 0; i < count; i++) {
            sources[i] = args.field(i);
        }
        return record -> apply(udfs, ref, sources, record);
    }

    private static JsonNode apply(PythonUdfs udfs, String ref, FunctionArgs.Value[] sources, RecordView record)
            throws UdfException {
        Object[] arguments = new Object[sources.length];
        for (int i = 0; i < sources.length; i++) {
            arguments[i] = PyValues.toGuest(sources[i].get(record));
        }
        try {
            return PyValues.toJson(udfs.call(ref, arguments));
        } catch (IllegalArgumentException e) {
            throw new UdfException(ErrorCode.UDF_ERROR, ref + " returned a value with no column form: "
                    + e.getMessage(), e);
        }
    }
}
