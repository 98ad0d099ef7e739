package dev.sluice.backfill;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.core.fs.Path;

/**
 * One run's entry in a table's replay log: {@code <table>/_replay/<run-id>.json}. It is written when the
 * staging write starts and updated at each step, so after a crash the log says how far the run got, and it
 * is what {@code --rollback} and {@code --gc} work from.
 *
 * @param summary     the run's summary (locations, counts)
 * @param state       how far the run got
 * @param startedAt   when the run started (ISO-8601 instant)
 * @param updatedAt   when this entry last changed (ISO-8601 instant)
 * @param deleted     locations {@code --gc} deleted on this run's behalf
 * @param instantBefore Hudi tables: the table's latest completed instant before the run
 * @param instant       Hudi tables: the run's own instant (its replacecommit or commit)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReplayLog(
        @JsonProperty("summary") ReplaySummary summary,
        @JsonProperty("state") State state,
        @JsonProperty("started_at") String startedAt,
        @JsonProperty("updated_at") String updatedAt,
        @JsonProperty("deleted") List<String> deleted,
        @JsonProperty("instant_before") String instantBefore,
        @JsonProperty("instant") String instant) {

    /** Directory of the log under a table's base path. */
    public static final String DIR = "_replay";
    /** Directory of staged partitions under a table's base path: {@code _staging/<run-id>/<partition>/}. */
    public static final String STAGING = "_staging";

    /** Steps of a run. */
    public enum State {
        /** Writing the new partition to its staging location; readers still see the old one. */
        STAGING,
        /** The staged partition did not pass verification; nothing was swapped. */
        VERIFICATION_FAILED,
        /** The metastore points at the new location (Hive) / the replacecommit is complete (Hudi). */
        SWAPPED,
        /** {@code --rollback} set the old location (or instant) back. */
        ROLLED_BACK
    }

    static ReplayLog started(ReplaySummary summary) {
        String now = Instant.now().toString();
        return new ReplayLog(summary, State.STAGING, now, now, null, null, null);
    }

    /** When the run started. */
    Instant started() {
        return Instant.parse(startedAt);
    }

    ReplayLog with(State newState, ReplaySummary newSummary) {
        return new ReplayLog(newSummary, newState, startedAt, Instant.now().toString(), deleted, instantBefore, instant);
    }

    ReplayLog withInstants(String before, String own) {
        return new ReplayLog(summary, state, startedAt, Instant.now().toString(), deleted, before, own);
    }

    ReplayLog withDeleted(List<String> locations) {
        List<String> all = new ArrayList<>(deleted == null ? List.of() : deleted);
        all.addAll(locations);
        return new ReplayLog(summary, state, startedAt, Instant.now().toString(), List.copyOf(all), instantBefore,
                instant);
    }

    static String location(String tableBase, String runId) {
        return tableBase + "/" + DIR + "/" + runId + ".json";
    }

    void save(String tableBase) throws IOException {
        LakeFiles.write(location(tableBase, summary.runId()), ReplaySummary.JSON.writeValueAsString(this));
    }

    /**
     * The log entry of {@code runId}.
     *
     * @throws ReplayException (usage) when the table has no such run
     */
    static ReplayLog load(String tableBase, String runId) throws IOException {
        String location = location(tableBase, runId);
        if (!LakeFiles.exists(location)) {
            throw ReplayException.usage("no replay run " + runId + " in " + tableBase + "/" + DIR
                    + " (runs: " + all(tableBase).stream().map(l -> l.summary().runId()).toList() + ")");
        }
        return ReplaySummary.JSON.readValue(LakeFiles.read(location), ReplayLog.class);
    }

    /** Every run of the table, oldest first. */
    static List<ReplayLog> all(String tableBase) throws IOException {
        List<ReplayLog> logs = new ArrayList<>();
        for (Path file : LakeFiles.visibleFiles(tableBase + "/" + DIR)) {
            if (file.getName().endsWith(".json")) {
                logs.add(ReplaySummary.JSON.readValue(LakeFiles.read(file.toString()), ReplayLog.class));
            }
        }
        logs.sort(Comparator.comparing(log -> Instant.parse(log.startedAt())));
        return logs;
    }
}
