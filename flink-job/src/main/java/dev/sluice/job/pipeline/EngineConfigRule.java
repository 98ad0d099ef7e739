package dev.sluice.job.pipeline;

import dev.sluice.core.config.ColumnConfig;
import dev.sluice.core.config.ConfigRule;
import dev.sluice.core.config.DerivedFieldConfig;
import dev.sluice.core.config.ParserConfig;
import dev.sluice.core.config.ParserType;
import dev.sluice.core.config.PipelineConfig;
import dev.sluice.core.config.Problems;
import dev.sluice.core.config.TableConfig;
import dev.sluice.core.config.UdfConfig;
import dev.sluice.job.extend.Extender;
import dev.sluice.job.extend.Functions;
import dev.sluice.job.parse.FieldPattern;
import dev.sluice.job.split.RouteExpression;
import dev.sluice.job.udf.PythonUdfs;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * The engine's part of config validation, run by the loader through {@link ConfigRule} SPI: patterns
 * compile and name the fields the columns read, functions exist and accept their arguments, routes
 * compile, Python UDF modules load (imports outside the module directory and the standard library are
 * refused here) and the functions they name exist. Compiles exactly what {@link RecordProcessor#open()}
 * compiles, so a config that loads opens.
 */
public final class EngineConfigRule implements ConfigRule {

    @Override
    public void check(PipelineConfig config, Problems problems) {
        Functions functions = Functions.load();
        PythonUdfs udfs = udfs(config.udf(), problems);
        try {
            check(config, functions, udfs, problems);
        } catch (RuntimeException | Error e) {
            if (udfs != null) {
                udfs.close();
            }
            throw e;
        }
        if (udfs != null) {
            // A valid config is usually opened next in this JVM (job start, hot reload): let it reuse the context.
            if (problems.isEmpty()) {
                udfs.park();
            } else {
                udfs.close();
            }
        }
    }

    /** The loaded UDFs; null when there are none or they do not load (reported). */
    private static PythonUdfs udfs(UdfConfig udf, Problems problems) {
        if (udf == null || udf.modules() == null || udf.sources().isEmpty()
                || !udf.sources().keySet().stream().allMatch(m -> UdfConfig.MODULE_NAME.matcher(m).matches())) {
            return null;
        }
        PythonUdfs udfs;
        try {
            udfs = PythonUdfs.open(udf);
        } catch (IllegalArgumentException e) {
            problems.add("udf.modules", e.getMessage());
            return null;
        }
        if (udf.preprocess() != null && UdfConfig.FUNCTION_REF.matcher(udf.preprocess()).matches()) {
            pythonFunction(udfs, udf.preprocess(), 1, "udf.preprocess", problems);
        }
        return udfs;
    }

    private static void pythonFunction(PythonUdfs udfs, String ref, int arguments, String at, Problems problems) {
        try {
            udfs.check(ref, arguments);
        } catch (IllegalArgumentException e) {
            problems.add(at, e.getMessage());
        }
    }

    private static void check(PipelineConfig config, Functions functions, PythonUdfs udfs, Problems problems) {
        List<TableConfig> tables = config.tables();
        for (int t = 0; t < tables.size(); t++) {
            TableConfig table = tables.get(t);
            String at = "tables[" + t + "]";
            if (udfs != null && table.postprocess() != null
                    && UdfConfig.FUNCTION_REF.matcher(table.postprocess()).matches()) {
                pythonFunction(udfs, table.postprocess(), 1, at + ".postprocess", problems);
            }
            Set<String> derivedNames = derived(table, functions, udfs, at, problems);
            Set<String> parsedFields = parsedFields(table.parser(), at + ".parser", problems);
            if (parsedFields != null) {
                columnSources(table, parsedFields, derivedNames, at, problems);
            }
            if (table.route() != null) {
                try {
                    RouteExpression.parse(table.route());
                } catch (IllegalArgumentException e) {
                    problems.add(at + ".route", e.getMessage());
                }
            }
        }
    }

    private static Set<String> derived(TableConfig table, Functions functions, PythonUdfs udfs, String at,
                                       Problems problems) {
        Set<String> names = new HashSet<>();
        List<DerivedFieldConfig> derived = table.extensions().derived();
        for (int d = 0; d < derived.size(); d++) {
            DerivedFieldConfig field = derived.get(d);
            names.add(field.name());
            // Python references without loaded modules were reported by the core validator or udf.modules.
            if (field.function() == null || (UdfConfig.isPythonFunction(field.function()) && udfs == null)) {
                continue;
            }
            String path = at + ".extensions.derived[" + d + "]";
            try {
                Extender.bind(field, functions, table.extensions().explode(), udfs);
            } catch (IllegalArgumentException e) {
                boolean known = functions.get(field.function()) != null || UdfConfig.isPythonFunction(field.function());
                problems.add(path + (known ? ".args" : ".function"), e.getMessage());
            }
        }
        return names;
    }

    /** Fields a text parser produces (named groups, CSV fields); null when any field name is possible. */
    private static Set<String> parsedFields(ParserConfig parser, String at, Problems problems) {
        if (parser == null || parser.type() == null) {
            return null;
        }
        if (parser.type() == ParserType.CSV) {
            return new HashSet<>(parser.fields());
        }
        if ((parser.type() == ParserType.REGEX || parser.type() == ParserType.HEADER_JSON) && parser.pattern() != null) {
            try {
                List<String> groups = FieldPattern.compile(parser.pattern()).fields();
                return parser.type() == ParserType.REGEX ? new HashSet<>(groups) : null;
            } catch (PatternSyntaxException e) {
                problems.add(at + ".pattern", "not a valid regex: " + e.getDescription() + " near index "
                        + e.getIndex());
            } catch (IllegalArgumentException e) {
                problems.add(at + ".pattern", e.getMessage());
            }
        }
        return null;
    }

    private static void columnSources(TableConfig table, Set<String> parsed, Set<String> derived, String at,
                                      Problems problems) {
        String explode = table.extensions().explode();
        List<String> flatten = table.extensions().flatten();
        List<ColumnConfig> columns = table.columns();
        for (int c = 0; c < columns.size(); c++) {
            String path = columns.get(c).path();
            if (path == null) {
                continue;
            }
            String head = path.split("\\.", 2)[0];
            boolean known = parsed.contains(head) || derived.contains(head)
                    || (explode != null && (path.equals(explode) || path.startsWith(explode + ".")))
                    || flatten.stream().anyMatch(f -> head.startsWith(f.replace('.', '_') + "_"));
            if (!known) {
                problems.add(at + ".columns[" + c + "].path", "'" + head + "' is not produced by the "
                        + table.parser().type().wireName() + " parser (fields: " + String.join(", ", parsed.stream().sorted().toList())
                        + ") nor a derived field");
            }
        }
    }
}
