package dev.sluice.job.extend;

import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The derived-field functions on the class path (built-ins and user SPI implementations), by name. */
public final class Functions {
    private final Map<String, FunctionFactory> byName;

    private Functions(Map<String, FunctionFactory> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /**
     * Loads every {@link FunctionFactory} visible to {@code loader}.
     *
     * @throws IllegalStateException when two implementations claim the same name
     */
    public static Functions load(ClassLoader loader) {
        Map<String, FunctionFactory> byName = new TreeMap<>();
        for (FunctionFactory factory : ServiceLoader.load(FunctionFactory.class, loader)) {
            FunctionFactory clash = byName.putIfAbsent(factory.name(), factory);
            if (clash != null) {
                throw new IllegalStateException("function '" + factory.name() + "' is defined twice: by "
                        + clash.getClass().getName() + " and " + factory.getClass().getName());
            }
        }
        return new Functions(byName);
    }

    /** Functions visible to this class's loader (where the job jar and user jars live). */
    public static Functions load() {
        return load(Functions.class.getClassLoader());
    }

    /** The factory for {@code name}, or null. */
    public FunctionFactory get(String name) {
        return byName.get(name);
    }

    /** All names, sorted, for "expected one of" messages. */
    public Iterable<String> names() {
        return byName.keySet();
    }
}
