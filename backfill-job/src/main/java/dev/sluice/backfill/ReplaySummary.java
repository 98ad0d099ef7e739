package dev.sluice.backfill;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a replay did (or, for a dry run, would do), in the shape of the {@code --summary-json} contract
 * (ARCHITECTURE.md). Fields a mode has no value for are null and left out of the JSON.
 *
 * @param runId           the run's id (also the staging directory's and the replay log's name)
 * @param table           {@code db.table}
 * @param partition       {@code dt=2026-11-23}
 * @param from            {@code kafka} or {@code errors}
 * @param dryRun          true when nothing was written
 * @param rowsBefore      rows of the partition readers saw before the run
 * @param rowsAfter       rows of the partition readers see after it (dry run: rows expected)
 * @param errorsRepaired  error rows that no longer fail (marked replayed with the run id)
 * @param errorsRemaining error rows that still fail (they stay in the error table)
 * @param sla             the replay job's account for the table: {@code in = out + dropped + errored}
 * @param oldLocation     the partition's location before the run
 * @param newLocation     its location after the run
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReplaySummary(
        @JsonProperty("run_id") String runId,
        @JsonProperty("table") String table,
        @JsonProperty("partition") String partition,
        @JsonProperty("from") String from,
        @JsonProperty("dry_run") boolean dryRun,
        @JsonProperty("rows_before") Long rowsBefore,
        @JsonProperty("rows_after") Long rowsAfter,
        @JsonProperty("errors_repaired") Long errorsRepaired,
        @JsonProperty("errors_remaining") Long errorsRemaining,
        @JsonProperty("sla") Sla sla,
        @JsonProperty("old_location") String oldLocation,
        @JsonProperty("new_location") String newLocation) {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The job's account of the replayed table; {@code in = out + dropped + errored} holds. */
    public record Sla(@JsonProperty("in") long in, @JsonProperty("out") long out,
                      @JsonProperty("dropped") long dropped, @JsonProperty("errored") long errored) {
        public boolean balanced() {
            return in == out + dropped + errored;
        }
    }

    public void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        JSON.writeValue(file.toFile(), this);
    }

    /** The human readable closing lines of a replay (or its plan). */
    public String render() {
        return render(dryRun ? "plan for" : "replayed");
    }

    /** The closing lines, opening with {@code what} (e.g. {@code rolled back}). */
    public String render(String what) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%s %s %s --from %s (run %s)%n", what, table, partition, from, runId));
        if (rowsBefore != null || rowsAfter != null) {
            out.append(String.format("  rows: before %s, %s %s%n", count(rowsBefore), dryRun ? "expected" : "after",
                    count(rowsAfter)));
        }
        if (errorsRepaired != null || errorsRemaining != null) {
            out.append(String.format("  error rows: repaired %s, still failing %s%n", count(errorsRepaired),
                    count(errorsRemaining)));
        }
        if (sla != null) {
            out.append(String.format("  job: in %,d = out %,d + dropped %,d + errored %,d  %s%n", sla.in(), sla.out(),
                    sla.dropped(), sla.errored(), sla.balanced() ? "[balanced]" : "[NOT BALANCED]"));
        }
        if (oldLocation != null) {
            out.append("  old location: ").append(oldLocation).append(System.lineSeparator());
        }
        if (newLocation != null) {
            out.append("  new location: ").append(newLocation).append(System.lineSeparator());
        }
        return out.toString();
    }

    private static String count(Long value) {
        return value == null ? "-" : String.format("%,d", value);
    }
}
