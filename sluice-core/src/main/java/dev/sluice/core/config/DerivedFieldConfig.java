package dev.sluice.core.config;

import java.io.Serializable;
import java.util.List;

/**
 * A field computed from other fields by a named function, e.g. {@code dt = date_format(ts, 'yyyy-MM-dd')}.
 *
 * @param name     name of the new field; columns and later derived fields refer to it by this name
 * @param function built-in or SPI function name
 * @param args     arguments: field paths, or constants written in single quotes ({@code 'yyyy-MM-dd'});
 *                 arguments a function documents as constants (patterns) may omit the quotes
 */
public record DerivedFieldConfig(String name, String function, List<String> args) implements Serializable {

    public DerivedFieldConfig(String name,
                              String function,
                              List<String> args) {
        this.name = name;
        this.function = function;
        this.args = args == null ? List.of() : List.copyOf(args);
    }
}
