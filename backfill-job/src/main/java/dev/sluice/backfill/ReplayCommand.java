package dev.sluice.backfill;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.PipelineConfig;
import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.core.endpoints.Endpoints;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice replay}: repair one partition of one table by re-running the ETL with the current pipeline
 * config, roll a repair back, or collect superseded locations. Exit codes in {@link ExitCodes}.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Re-runs the ETL for one partition of one table with the current pipeline config (from the raw topic's"
                + " window or from the error table), writes it to a staging location, checks the counts and swaps the"
                + " partition's location in the Hive Metastore in one call.",
            "Without --bootstrap-servers/--lake-root/--metastore-uri it uses DIR/endpoints.json of a running"
                + " `sluice demo --keep-running` (--data-dir).",
            "Exit codes: 0 done, 1 a service is unreachable or the job failed, 2 bad flags or input,"
                + " 3 nothing to do, 4 verification failed (nothing swapped)."})
public final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--pipeline", required = true, description = "Pipeline YAML of the table (its current, fixed config).")
    Path pipeline;

    @Option(names = "--table", required = true, description = "Table to repair: db.table.")
    String table;

    @Option(names = "--partition", description = "Partition to repair, Hive-style: dt=2026-11-23 (required unless --rollback or --gc).")
    String partition;

    @Option(names = "--from", defaultValue = "kafka", description = "Input: kafka (the raw topic's records ingested in the partition's day) or errors (its error-table rows) (default ${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--dry-run", description = "Print the plan (records to read, rows expected, error rows to retry); change nothing.")
    boolean dryRun;

    @Option(names = "--rollback", paramLabel = "RUN_ID", description = "Point the partition of run RUN_ID back at its location before the run.")
    String rollback;

    @Option(names = "--gc", description = "Delete superseded locations of runs older than --older-than that no partition points at.")
    boolean gc;

    @Option(names = "--older-than", defaultValue = "7d", description = "With --gc: age of runs whose superseded locations may go, e.g. 7d, 12h, 0s (default ${DEFAULT-VALUE}).")
    String olderThan;

    @Option(names = "--show", paramLabel = "N", description = "Only print the partition as readers see it: its row count, each column's null count and N rows; change nothing.")
    Integer show;

    @Option(names = "--sink", description = "hive or hudi: which sink of a table that has both to repair (default: hive).")
    String sink;

    @Option(names = "--data-dir", defaultValue = "data", description = "Data directory of a running demo; its endpoints.json gives the defaults of the next three flags (default ./${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--bootstrap-servers", description = "Kafka brokers, host:port[,...] (default: from endpoints.json).")
    String bootstrapServers;

    @Option(names = "--lake-root", description = "Lake root the pipeline's tables live under (default: from endpoints.json).")
    String lakeRoot;

    @Option(names = "--metastore-uri", description = "Hive Metastore, thrift://host:port (default: from endpoints.json).")
    String metastoreUri;

    @Option(names = "--lateness", defaultValue = "1h", description = "How long after the partition's day its records may still have been ingested, e.g. 1h, 30m (default ${DEFAULT-VALUE}).")
    String lateness;

    @Option(names = "--parallelism", defaultValue = "1", description = "Parallelism of the replay job (default ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--summary-json", paramLabel = "FILE", description = "Also write the summary as JSON to FILE.")
    Path summaryJson;

    private final PrintStream out;
    private final Replayer.Checkpoints checkpoints;

    public ReplayCommand() {
        this(System.out, Replayer.Checkpoints.NONE);
    }

    ReplayCommand(PrintStream out, Replayer.Checkpoints checkpoints) {
        this.out = out;
        this.checkpoints = checkpoints;
    }

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        try {
            ReplayRequest request = request();
            Replayer replayer = new Replayer(line -> {
                out.printf("[sluice replay %5.1fs] %s%n", (System.nanoTime() - started) / 1e9, line);
                out.flush();
            }, checkpoints);
            if (gc) {
                List<String> deleted = replayer.gc(request, duration("--older-than", olderThan));
                out.println(deleted.isEmpty() ? "nothing to collect" : "deleted " + deleted.size() + " superseded locations");
                return deleted.isEmpty() ? ExitCodes.NOTHING_TO_DO : ExitCodes.DONE;
            }
            if (show != null) {
                show(replayer.partitionRows(request));
                return ExitCodes.DONE;
            }
            ReplaySummary summary = rollback != null ? replayer.rollback(request, rollback) : replayer.replay(request);
            out.print(rollback != null ? summary.render("rolled back") : summary.render());
            if (summaryJson != null) {
                summary.writeJson(summaryJson);
                out.println("summary written to " + summaryJson);
            }
            return ExitCodes.DONE;
        } catch (ReplayException e) {
            out.println("[sluice replay] " + (e.exitCode() == ExitCodes.NOTHING_TO_DO ? "nothing to do: " : "error: ")
                    + e.getMessage());
            return e.exitCode();
        }
    }

    private void show(List<org.apache.flink.types.Row> rows) {
        out.printf("%,d rows%n", rows.size());
        if (rows.isEmpty()) {
            return;
        }
        java.util.Set<String> columns = rows.get(0).getFieldNames(true);
        StringBuilder nulls = new StringBuilder("nulls:");
        for (String column : columns) {
            nulls.append(' ').append(column).append('=').append(rows.stream().filter(r -> r.getField(column) == null).count());
        }
        out.println(nulls);
        rows.stream().limit(show).forEach(out::println);
    }

    private ReplayRequest request() {
        if (gc && rollback != null) {
            throw ReplayException.usage("--gc and --rollback exclude each other");
        }
        if (show != null && (gc || rollback != null || show < 0)) {
            throw ReplayException.usage("--show N (N >= 0) stands alone: it cannot go with --gc or --rollback");
        }
        if (partition == null && !gc && rollback == null) {
            throw ReplayException.usage("--partition is required (e.g. --partition dt=2026-11-23), unless --rollback or --gc");
        }
        ReplaySource source;
        try {
            source = ReplaySource.valueOf(from.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ReplayException.usage("--from must be kafka or errors, was " + from);
        }
        if (!Files.isRegularFile(pipeline)) {
            throw ReplayException.usage("--pipeline " + pipeline + " is not a file");
        }
        PipelineConfig config;
        try {
            config = PipelineConfigLoader.load(pipeline);
        } catch (ConfigException e) {
            throw ReplayException.usage("--pipeline " + pipeline + ": " + e.getMessage());
        }
        if (bootstrapServers == null || lakeRoot == null || metastoreUri == null) {
            if (Files.isRegularFile(Endpoints.fileIn(dataDir))) {
                Endpoints endpoints = Endpoints.readFrom(dataDir);
                bootstrapServers = bootstrapServers != null ? bootstrapServers : endpoints.bootstrapServers();
                lakeRoot = lakeRoot != null ? lakeRoot : endpoints.lakeRoot();
                metastoreUri = metastoreUri != null ? metastoreUri : endpoints.metastoreUri();
            } else if (lakeRoot == null) {
                throw ReplayException.usage("no " + Endpoints.fileIn(dataDir) + " (is `sluice demo --keep-running"
                        + " --data-dir " + dataDir + "` running?); or give --lake-root, --bootstrap-servers and"
                        + " --metastore-uri");
            }
        }
        return ReplayRequest.builder().pipeline(config).table(table).partition(partition).from(source).sink(sink)
                .dryRun(dryRun).bootstrapServers(bootstrapServers).lakeRoot(lakeRoot).metastoreUri(metastoreUri)
                .lateness(duration("--lateness", lateness)).parallelism(parallelism).build();
    }

    /** {@code 7d}, {@code 12h}, {@code 30m}, {@code 45s}, or ISO-8601 ({@code PT1H}). */
    static Duration duration(String flag, String value) {
        try {
            if (value.matches("\\d+[dhms]")) {
                long amount = Long.parseLong(value.substring(0, value.length() - 1));
                return switch (value.charAt(value.length() - 1)) {
                    case 'd' -> Duration.ofDays(amount);
                    case 'h' -> Duration.ofHours(amount);
                    case 'm' -> Duration.ofMinutes(amount);
                    default -> Duration.ofSeconds(amount);
                };
            }
            return Duration.parse(value);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw ReplayException.usage(flag + " must be a duration such as 7d, 12h, 30m or PT1H, was " + value);
        }
    }

    public static void main(String[] args) {
        System.exit(commandLine(new ReplayCommand()).execute(args));
    }

    /** The command with its error handling: an unexpected failure prints one line and exits {@link ExitCodes#FAILED}. */
    static CommandLine commandLine(ReplayCommand command) {
        return new CommandLine(command)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    command.out.println("[sluice replay] failed: " + e);
                    command.out.println("[sluice replay] nothing was swapped; a rerun with the same arguments starts over");
                    return ExitCodes.FAILED;
                });
    }
}
