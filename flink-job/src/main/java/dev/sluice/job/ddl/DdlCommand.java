package dev.sluice.job.ddl;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.PipelineConfig;
import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.job.EtlJob;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice ddl}: prints the CREATE statements of every table the pipeline's ETL job writes (its
 * stream tables and the error table of each database), in Hive, Spark or Flink SQL; with {@code --dialect
 * avro}, the Avro value schemas of its Kafka sinks with {@code format: avro} instead. Nothing is
 * connected to or created: the statements come from the job's own table definitions.
 */
@Command(name = "ddl", mixinStandardHelpOptions = true,
        description = "Prints the CREATE TABLE statements of every table of a pipeline (stream tables and error tables).")
public final class DdlCommand implements Callable<Integer> {
    /**
     * The job is only built, never run, so no broker is contacted; its builder still asks for one. The
     * {@code .invalid} domain never resolves (RFC 2606).
     */
    private static final String NO_BROKER = "ddl.invalid:9092";

    @Spec
    CommandSpec spec;

    @Option(names = "--pipeline", required = true, description = "Pipeline config YAML (see examples/pipelines).")
    Path pipeline;

    @Option(names = "--dialect", defaultValue = "flink",
            description = "SQL dialect: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}); avro prints the Avro value "
                    + "schemas of the Kafka sinks with format avro as JSON, keyed by registry subject.")
    Dialect dialect;

    @Option(names = "--lake-root", defaultValue = "data/lake",
            description = "Lake root the tables' locations are under, as given to sluice etl: a directory, file:///... or "
                    + "s3a://bucket/prefix (default ${DEFAULT-VALUE}, the demo's lake).")
    String lakeRoot;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PipelineConfig config;
        try {
            config = PipelineConfigLoader.load(pipeline);
        } catch (ConfigException | UncheckedIOException e) {
            err.println("[sluice ddl] --pipeline " + pipeline + ": " + e.getMessage());
            return 1;
        }
        EtlJob job = EtlJob.builder().pipeline(config).bootstrapServers(NO_BROKER).lakeRoot(lakeRoot).build();
        PrintWriter out = spec.commandLine().getOut();
        if (dialect == Dialect.AVRO) {
            // JSON has no comments: the output is the document alone, for tools and registries to read.
            out.println(TableDdl.avroSchemas(job.targets()));
            out.flush();
            return 0;
        }
        out.println("-- " + dialect.name().toLowerCase(Locale.ROOT) + " DDL of the tables of "
                + pipeline + ", lake root " + lakeRoot);
        for (String statement : TableDdl.statements(job.targets(), dialect)) {
            out.println();
            out.println(statement + ";");
        }
        out.flush();
        return 0;
    }

    /** A command line that accepts {@code --dialect HIVE} as well as {@code hive}. */
    public static CommandLine commandLine() {
        return new CommandLine(new DdlCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
