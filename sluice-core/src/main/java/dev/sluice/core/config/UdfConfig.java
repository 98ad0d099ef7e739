package dev.sluice.core.config;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Python UDFs of a pipeline: where their modules are, the per-record time budget, and the
 * pipeline-wide preprocess hook. Derived fields ({@code function: module.function}) and each table's
 * {@code postprocess} name functions of these modules.
 *
 * <p>The modules' sources are read when the config is loaded and travel inside it, so TaskManagers need
 * no copy of the directory, a config equals another only if the code is the same (hot reload compares
 * configs), and a job restored from a checkpoint runs the code it was started with until a reload.
 *
 * @param modules      absolute path of the module directory (as resolved against the pipeline file)
 * @param sources      module name → source of every {@code *.py} file directly in {@link #modules}, sorted
 * @param timeBudgetMs wall-clock time one call may take before it is interrupted; null for the default
 *                     {@value #DEFAULT_TIME_BUDGET_MS}
 * @param preprocess   {@code module.function} applied to every raw line before the filters and parsers;
 *                     null for none
 */
public record UdfConfig(String modules, Map<String, String> sources, Long timeBudgetMs, String preprocess)
        implements Serializable {
    /**
     * A UDF doing a few dict operations runs in microseconds even interpreted; a second leaves room for
     * a cold first call (the interpreter's caches are empty) on a busy machine and still bounds a runaway
     * loop to a second of a subtask's time.
     */
    public static final long DEFAULT_TIME_BUDGET_MS = 1000;
    /** Above a minute a "budget" no longer protects the task from a stalled record. */
    public static final long MAX_TIME_BUDGET_MS = 60_000;
    /** Module names: what Python can import. */
    public static final Pattern MODULE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** A function reference: {@code module.function}. */
    public static final Pattern FUNCTION_REF = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\.([A-Za-z_][A-Za-z0-9_]*)");

    public UdfConfig(String modules, Map<String, String> sources, Long timeBudgetMs, String preprocess) {
        this.modules = modules;
        this.sources = sources == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(sources));
        this.timeBudgetMs = timeBudgetMs;
        this.preprocess = preprocess == null || preprocess.isBlank() ? null : preprocess.trim();
    }

    /** The time budget in force: the configured one or the default. */
    public Duration timeBudget() {
        return Duration.ofMillis(timeBudgetMs == null ? DEFAULT_TIME_BUDGET_MS : timeBudgetMs);
    }

    /** True when {@code function} names a Python function ({@code module.function}) rather than a Java one. */
    public static boolean isPythonFunction(String function) {
        return function != null && function.indexOf('.') > 0;
    }

    /**
     * Reads the {@code *.py} files directly in {@code dir} (module name → source). Hot reload calls it at
     * checkpoints to see whether the code changed.
     *
     * @throws UncheckedIOException when the directory cannot be listed or a file read
     */
    public static Map<String, String> readSources(Path dir) {
        Map<String, String> sources = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                String name = file.getFileName().toString();
                if (name.endsWith(".py") && Files.isRegularFile(file)) {
                    sources.put(name.substring(0, name.length() - 3), Files.readString(file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read udf modules in " + dir, e);
        }
        return sources;
    }
}
