package dev.sluice.core.config;

import java.io.Serializable;
import java.util.List;

/**
 * Keyword filter on the raw line, checked before parsing because it is far cheaper than a parse.
 *
 * @param include the table takes a line only if it contains at least one of these (empty: every line)
 * @param exclude the table drops a line that contains any of these, counted as {@code filtered}
 */
public record FilterConfig(List<String> include, List<String> exclude) implements Serializable {

    /** Takes every line. */
    public static final FilterConfig NONE = new FilterConfig(List.of(), List.of());

    public FilterConfig(List<String> include,
                        List<String> exclude) {
        this.include = include == null ? List.of() : List.copyOf(include);
        this.exclude = exclude == null ? List.of() : List.copyOf(exclude);
    }

    /** True when the filter lets every line through. */
    public boolean acceptsAll() {
        return include.isEmpty() && exclude.isEmpty();
    }
}
