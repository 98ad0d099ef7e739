package dev.sluice.job;

import dev.sluice.core.sla.SlaMetrics;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The status line {@code sluice etl} prints for operators: the job's SLA account and, per table, when
 * data was last committed — read from the lake itself (a Hudi table's newest completed instant, a Hive
 * table's newest data file), so it says what readers can see, not what a writer believes.
 */
final class EtlStatus {
    /** Completed Hudi instants: {@code <yyyyMMddHHmmssSSS>.commit|deltacommit|replacecommit}, no state suffix. */
    private static final Pattern COMPLETED_INSTANT = Pattern.compile("(\\d{17})\\.(commit|deltacommit|replacecommit)");
    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    /** Hive tables are partitioned a few levels deep at most; a bound keeps a stray deep tree from stalling the line. */
    private static final int MAX_DEPTH = 6;

    private final List<TableTarget> tables;

    EtlStatus(List<TableTarget> tables) {
        this.tables = List.copyOf(tables);
    }

    /** {@code in N out N dropped N errored N | db.t (hudi-cow) committed HH:mm:ss, ...} from the job's SLA accumulator. */
    String line(Map<String, Long> sla) {
        StringBuilder line = new StringBuilder(account(sla)).append(" |");
        for (TableTarget table : tables) {
            line.append(' ').append(table.name()).append(" (").append(table.format()).append(") ")
                    .append(lastCommit(table).map(t -> "committed " + CLOCK.format(t)).orElse("no commit yet"))
                    .append(',');
        }
        line.setLength(line.length() - 1);
        return line.toString();
    }

    /**
     * {@code in N out N dropped N errored N}, job level; before the TaskManagers' first report after a
     * (re)start the accumulator is empty, and a restored job's counters are not zero, so that says so.
     */
    static String account(Map<String, Long> sla) {
        if (!sla.containsKey(SlaMetrics.key(SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_IN))) {
            return "counters not reported yet";
        }
        return String.format("in %d out %d dropped %d errored %d",
                job(sla, SlaMetrics.RECORDS_IN), job(sla, SlaMetrics.RECORDS_OUT),
                job(sla, SlaMetrics.RECORDS_DROPPED), job(sla, SlaMetrics.RECORDS_ERRORED));
    }

    private static long job(Map<String, Long> sla, String counter) {
        return sla.getOrDefault(SlaMetrics.key(SlaMetrics.JOB_TABLE, counter), 0L);
    }

    /** When the table last got data readers can see, in local time; empty before the first commit. */
    static Optional<LocalDateTime> lastCommit(TableTarget table) {
        try {
            Path base = new Path(table.path());
            FileSystem fs = base.getFileSystem();
            if (!fs.exists(base)) {
                return Optional.empty();
            }
            return table.format().equals(TableTarget.HIVE) ? newestFile(fs, base, 0) : newestInstant(fs, new Path(base, ".hoodie"));
        } catch (IOException e) {
            // A status line must not fail the run: an unreadable lake shows as "no commit yet" this time.
            return Optional.empty();
        }
    }

    private static Optional<LocalDateTime> newestInstant(FileSystem fs, Path timeline) throws IOException {
        if (!fs.exists(timeline)) {
            return Optional.empty();
        }
        String newest = null;
        for (FileStatus file : fs.listStatus(timeline)) {
            Matcher m = COMPLETED_INSTANT.matcher(file.getPath().getName());
            if (m.matches() && (newest == null || m.group(1).compareTo(newest) > 0)) {
                newest = m.group(1);
            }
        }
        // Hudi names instants in the writer's local time zone (hoodie.table.timeline.timezone=LOCAL).
        return Optional.ofNullable(newest).map(i -> LocalDateTime.parse(i, INSTANT));
    }

    private static Optional<LocalDateTime> newestFile(FileSystem fs, Path dir, int depth) throws IOException {
        Optional<LocalDateTime> newest = Optional.empty();
        if (depth > MAX_DEPTH) {
            return newest;
        }
        for (FileStatus entry : fs.listStatus(dir)) {
            String name = entry.getPath().getName();
            // In-progress part files are hidden (".part-...inprogress"), metadata starts with "_".
            if (name.startsWith(".") || name.startsWith("_")) {
                continue;
            }
            Optional<LocalDateTime> candidate = entry.isDir() ? newestFile(fs, entry.getPath(), depth + 1)
                    : Optional.of(LocalDateTime.ofInstant(Instant.ofEpochMilli(entry.getModificationTime()), ZoneId.systemDefault()));
            if (candidate.isPresent() && (newest.isEmpty() || candidate.get().isAfter(newest.get()))) {
                newest = candidate;
            }
        }
        return newest;
    }
}
