package dev.sluice.job.extend;

/**
 * A derived-field function, the extension point for user functions (Java SPI). Implementations are
 * listed in {@code META-INF/services/dev.sluice.job.extend.FunctionFactory} of a jar on the job's class
 * path and need a public no-arg constructor; the built-ins are registered the same way.
 *
 * <p>{@link #bind} runs once per derived field when the engine opens (and when a config is validated),
 * so argument checks and expensive preparation (patterns, formatters) happen there, not per record.
 */
public interface FunctionFactory {

    /** The name used in {@code function:} (lower snake_case, unique). */
    String name();

    /** One-line usage for docs and error messages, e.g. {@code date_format(field, pattern[, in_pattern])}. */
    String signature();

    /**
     * Binds a call.
     *
     * @throws IllegalArgumentException with a message naming the bad argument (wrong count, bad pattern)
     */
    FieldFunction bind(FunctionArgs args);
}
