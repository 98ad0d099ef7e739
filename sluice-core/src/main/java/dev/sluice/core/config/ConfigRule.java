package dev.sluice.core.config;

/**
 * An extra validation rule run by {@link PipelineConfigLoader} after the built-in ones, found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.sluice.core.config.ConfigRule}). Lets
 * the engine check what only it can (function names, expressions, patterns) in the same one-pass report,
 * while this module stays free of the engine's libraries.
 *
 * <p>The config may be partly bound when other problems were found: fields that failed to bind are
 * null, so rules must skip what they cannot check.
 */
public interface ConfigRule {

    /** Adds every problem found to {@code problems}, with paths like {@code tables[1].route}. */
    void check(PipelineConfig config, Problems problems);
}
