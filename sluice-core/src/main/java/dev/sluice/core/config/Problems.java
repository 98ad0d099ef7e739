package dev.sluice.core.config;

import java.util.ArrayList;
import java.util.List;

/** Collects configuration problems as {@code path: message}, so one load reports all of them. */
public final class Problems {
    private final List<String> problems = new ArrayList<>();

    public void add(String path, String message) {
        problems.add(path + ": " + message);
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public List<String> list() {
        return List.copyOf(problems);
    }
}
