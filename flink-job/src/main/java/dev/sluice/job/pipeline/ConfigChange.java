package dev.sluice.job.pipeline;

import dev.sluice.core.config.ColumnConfig;
import dev.sluice.core.config.PipelineConfig;
import dev.sluice.core.config.TableConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a new pipeline config means for a running job. {@link Kind#LIGHT} changes only affect the
 * {@link RecordProcessor} (filters, parsers, extensions, routes, column paths/formats, Python UDF code and
 * hooks) and can be swapped
 * in at a checkpoint; anything that alters the job graph or a table's row type — including a new
 * optional column, since the sinks are built with the row type at job start — is
 * {@link Kind#RESTART_REQUIRED}.
 *
 * @param kind    the verdict
 * @param changes what changed, one line each (empty when nothing did)
 */
public record ConfigChange(Kind kind, List<String> changes) {

    /** The verdict of {@link #classify}. */
    public enum Kind {
        /** Nothing changed. */
        NONE,
        /** Swap the processor at the next checkpoint. */
        LIGHT,
        /** Refuse: the job must be restarted with the new config. */
        RESTART_REQUIRED
    }

    /** Compares configs; the restart reasons come first in {@link #changes}. */
    public static ConfigChange classify(PipelineConfig old, PipelineConfig next) {
        List<String> restart = new ArrayList<>();
        List<String> light = new ArrayList<>();
        if (!old.source().equals(next.source())) {
            restart.add("source changed (topic, group or start): " + old.source() + " → " + next.source());
        }
        if (!Objects.equals(old.udf(), next.udf())) {
            light.add(udfChange(old, next));
        }
        Map<String, TableConfig> before = byName(old);
        Map<String, TableConfig> after = byName(next);
        for (String name : before.keySet()) {
            if (!after.containsKey(name)) {
                restart.add("table " + name + " removed");
            }
        }
        for (TableConfig table : after.values()) {
            TableConfig was = before.get(table.name());
            if (was == null) {
                restart.add("table " + table.name() + " added");
            } else {
                compare(was, table, restart, light);
            }
        }
        List<String> changes = new ArrayList<>(restart);
        changes.addAll(light);
        Kind kind = !restart.isEmpty() ? Kind.RESTART_REQUIRED : light.isEmpty() ? Kind.NONE : Kind.LIGHT;
        return new ConfigChange(kind, List.copyOf(changes));
    }

    private static void compare(TableConfig was, TableConfig now, List<String> restart, List<String> light) {
        String t = "table " + now.name() + ": ";
        if (!was.sinks().equals(now.sinks())) {
            restart.add(t + "sinks changed");
        }
        if (was.salt() != now.salt()) {
            restart.add(t + "salt changed from " + was.salt() + " to " + now.salt() + " (changes the keyBy)");
        }
        if (!Objects.equals(was.dedup(), now.dedup())) {
            restart.add(t + "dedup changed (the dedup stage and its keyed state are built at job start)");
        }
        columns(was.columns(), now.columns(), t, restart, light);
        if (!was.filter().equals(now.filter())) {
            light.add(t + "filter changed");
        }
        if (!was.parser().equals(now.parser())) {
            light.add(t + "parser changed");
        }
        if (!was.extensions().equals(now.extensions())) {
            light.add(t + "extensions changed");
        }
        if (!Objects.equals(was.postprocess(), now.postprocess())) {
            light.add(t + "postprocess changed to " + now.postprocess());
        }
        if (!Objects.equals(was.route(), now.route())) {
            light.add(t + "route changed to " + now.route());
        }
    }

    private static void columns(List<ColumnConfig> was, List<ColumnConfig> now, String t, List<String> restart,
                                List<String> light) {
        for (int i = 0; i < was.size(); i++) {
            ColumnConfig old = was.get(i);
            ColumnConfig next = i < now.size() ? now.get(i) : null;
            if (next == null || !next.name().equals(old.name())) {
                restart.add(t + "column " + old.name() + " removed or moved");
            } else if (next.type() != old.type()) {
                restart.add(t + "column " + old.name() + " type changed from " + old.type() + " to " + next.type());
            } else if (next.required() != old.required()) {
                restart.add(t + "column " + old.name() + " required changed to " + next.required());
            } else if (!next.equals(old)) {
                light.add(t + "column " + old.name() + " path or format changed");
            }
        }
        for (int i = was.size(); i < now.size(); i++) {
            ColumnConfig added = now.get(i);
            // Even an optional column changes the row type the sinks were built with at job start.
            restart.add(t + (added.required() ? "required column " + added.name() + " added (old rows have no value)"
                    : "optional column " + added.name() + " added (the sinks' row type is fixed at job start)"));
        }
    }

    private static String udfChange(PipelineConfig old, PipelineConfig next) {
        if (old.udf() == null || next.udf() == null) {
            return "udf " + (next.udf() == null ? "removed" : "added");
        }
        List<String> modules = new ArrayList<>();
        next.udf().sources().forEach((name, source) -> {
            if (!source.equals(old.udf().sources().get(name))) {
                modules.add(name);
            }
        });
        old.udf().sources().keySet().stream().filter(name -> !next.udf().sources().containsKey(name))
                .forEach(modules::add);
        return "udf changed" + (modules.isEmpty() ? " (directory, budget or preprocess)"
                : ": module(s) " + String.join(", ", modules));
    }

    private static Map<String, TableConfig> byName(PipelineConfig config) {
        Map<String, TableConfig> tables = new LinkedHashMap<>();
        config.tables().forEach(table -> tables.put(table.name(), table));
        return tables;
    }

    /** One line for logs and for the refusal: {@code RESTART_REQUIRED: table x added; …}. */
    public String message() {
        return kind + (changes.isEmpty() ? "" : ": " + String.join("; ", changes))
                + (kind == Kind.RESTART_REQUIRED ? " — restart the job with the new config" : "");
    }
}
