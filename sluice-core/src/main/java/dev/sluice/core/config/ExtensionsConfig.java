package dev.sluice.core.config;

import java.io.Serializable;
import java.util.List;

/**
 * What the extender adds to a parsed record before columns are taken from it.
 *
 * @param flatten paths of nested objects whose leaves become top-level fields named by their path joined
 *                with {@code _} ({@code role.guild.id} under {@code role} → {@code role_guild_id})
 * @param explode path of an array; each element becomes its own row, visible under that path; null: no
 *                explode
 * @param derived computed fields, evaluated in order (a later one may use an earlier one)
 */
public record ExtensionsConfig(List<String> flatten, String explode, List<DerivedFieldConfig> derived)
        implements Serializable {

    /** No extensions. */
    public static final ExtensionsConfig NONE = new ExtensionsConfig(List.of(), null, List.of());

    public ExtensionsConfig(List<String> flatten,
                            String explode,
                            List<DerivedFieldConfig> derived) {
        this.flatten = flatten == null ? List.of() : List.copyOf(flatten);
        this.explode = explode;
        this.derived = derived == null ? List.of() : List.copyOf(derived);
    }
}
