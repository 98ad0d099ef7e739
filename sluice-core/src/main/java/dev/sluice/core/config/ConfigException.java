package dev.sluice.core.config;

import java.util.List;

/** A configuration that cannot run; the message lists every problem with the path of its key. */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(String origin, List<String> problems) {
        super("invalid configuration " + origin + ":\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem as {@code path: what is wrong}. */
    public List<String> problems() {
        return problems;
    }
}
