package dev.sluice.backfill;

import dev.sluice.core.config.HiveSinkConfig;
import dev.sluice.core.config.HudiSinkConfig;
import dev.sluice.core.record.RawRecord;
import dev.sluice.job.load.HiveMetastoreClient;
import dev.sluice.job.load.HiveSink;
import dev.sluice.job.load.HiveTableReader;
import dev.sluice.job.source.RawRecordTypeInfo;
import dev.sluice.job.source.RawSources;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.hudi.common.table.timeline.HoodieInstant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repairs one partition of one Hive table: re-runs the ETL for its input into a staging location, checks
 * the counts, then points the metastore's partition at the staging location in one call; rolls a run back;
 * collects superseded locations.
 *
 * <p>Work flow of {@link #replay}: resolve the table as the streaming job does → look the partition up in
 * the metastore (old location, rows before) → find the input (the raw topic's window, or the error rows to
 * retry) → replay log entry {@code STAGING} → bounded job writes {@code <table>/_staging/<run-id>/<partition>/}
 * (for {@code --from errors} the old partition's files are copied there first, so repaired rows join it) →
 * read the staged partition back and compare with the job's count → {@code alter_partition} to the staged
 * location → log entry {@code SWAPPED} → mark repaired error rows.
 *
 * <p>Failure semantics: nothing readers see changes before the single {@code alter_partition}. A run that
 * dies earlier leaves a staging directory and a {@code STAGING} log entry that no partition points at
 * ({@code --gc} removes them); rerunning with the same arguments writes a fresh staging directory from the
 * same input and ends where an uninterrupted run would have.
 */
public final class Replayer {
    private static final Logger LOG = LoggerFactory.getLogger(Replayer.class);
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final Consumer<String> progress;
    private final Checkpoints checkpoints;

    /** Points of a run where tests stop it, as a crash would. */
    public interface Checkpoints {
        /** Called once the staged partition is written and verified, right before the swap. */
        void beforeSwap(ReplaySummary staged) throws Exception;

        Checkpoints NONE = staged -> { };
    }

    public Replayer(Consumer<String> progress) {
        this(progress, Checkpoints.NONE);
    }

    public Replayer(Consumer<String> progress, Checkpoints checkpoints) {
        this.progress = progress;
        this.checkpoints = checkpoints;
    }

    /**
     * Replays {@code request.partition()} (or plans it, for a dry run).
     *
     * @throws ReplayException with the exit code: bad input (2), nothing to do (3), verification failed (4),
     *                         platform unreachable (1); nothing readers see has changed then
     */
    public ReplaySummary replay(ReplayRequest request) throws Exception {
        if (request.partition() == null) {
            throw ReplayException.usage("--partition is required to replay (e.g. --partition dt=2026-11-23)");
        }
        ReplayTarget target = ReplayTarget.resolve(request);
        if (!target.isHive()) {
            return replayHudi(request, target);
        }
        String metastoreUri = requireMetastore(request, target);
        String runId = newRunId();
        String partition = request.partition();
        String oldLocation;
        try (HiveMetastoreClient metastore = connect(metastoreUri)) {
            oldLocation = metastore.partitionLocation(target.database(), target.tableName(), target.partitionValues());
            if (oldLocation == null) {
                throw ReplayException.usage("partition " + partition + " is not a partition of " + target.name()
                        + " in the metastore " + metastoreUri + " (it has "
                        + abbreviate(metastore.partitionNames(target.database(), target.tableName())) + ")");
            }
        }
        long rowsBefore = HiveTableReader.read(target.hiveSink(), List.of(oldLocation)).size();
        progress.accept(String.format("%s %s: %,d rows at %s", target.name(), partition, rowsBefore, oldLocation));

        Input input = input(request, target);
        String stagingBase = target.basePath() + "/" + ReplayLog.STAGING + "/" + runId;
        String newLocation = stagingBase + "/" + partition;
        if (request.dryRun()) {
            progress.accept("dry run: reading the input through the current pipeline, writing nothing");
            ReplayJob.Result counted = ReplayJob.run("sluice-replay-plan " + target.name() + " " + partition,
                    request.pipeline(), target, input.records(), null, request.parallelism(), input.size(), progress);
            long expected = request.from() == ReplaySource.ERRORS ? rowsBefore + counted.rowsKept() : counted.rowsKept();
            progress.accept(String.format("rows expected: %,d in %s, %,d in other partitions (left alone)",
                    counted.rowsKept(), partition, counted.rowsOther()));
            return summary(runId, request, true, rowsBefore, expected, input, counted, oldLocation, newLocation);
        }

        for (ReplayLog earlier : ReplayLog.all(target.basePath())) {
            if (earlier.state() == ReplayLog.State.STAGING && partition.equals(earlier.summary().partition())) {
                progress.accept("run " + earlier.summary().runId() + " of this partition stopped before its swap;"
                        + " its staging directory is left for --gc");
            }
        }
        ReplaySummary staging = new ReplaySummary(runId, target.name(), partition, request.from().wireName(), false,
                rowsBefore, null, null, null, null, oldLocation, newLocation);
        ReplayLog log = ReplayLog.started(staging);
        log.save(target.basePath());
        LOG.info("replay {} of {} {} --from {}: staging at {}", runId, target.name(), partition,
                request.from().wireName(), newLocation);
        if (request.from() == ReplaySource.ERRORS) {
            // Repaired rows join the partition: the staged partition starts as a copy of the current one.
            for (Path file : LakeFiles.visibleFiles(oldLocation)) {
                LakeFiles.copy(file, new Path(newLocation, file.getName()));
            }
        }
        HiveSink staged = HiveSink.builder().table(target.name()).rowType(target.target().rowType())
                .config((HiveSinkConfig) target.sinkConfig()).basePath(stagingBase)
                .parallelism(request.parallelism()).salt(target.config().salt()).build();
        progress.accept("writing " + newLocation);
        ReplayJob.Result job = ReplayJob.run("sluice-replay " + target.name() + " " + partition + " " + runId,
                request.pipeline(), target, input.records(), staged::writeTo, request.parallelism(), input.size(),
                progress);
        long expected = request.from() == ReplaySource.ERRORS ? rowsBefore + job.rowsKept() : job.rowsKept();
        long rowsAfter = HiveTableReader.read(target.hiveSink(), List.of(newLocation)).size();
        ReplaySummary summary = summary(runId, request, false, rowsBefore, rowsAfter, input, job, oldLocation,
                newLocation);
        if (request.from() == ReplaySource.ERRORS && job.rowsKept() == 0) {
            log.with(ReplayLog.State.VERIFICATION_FAILED, summary).save(target.basePath());
            throw ReplayException.nothingToDo(String.format("none of the %,d error rows becomes a row of %s with the"
                    + " current config (%s); nothing swapped", input.size(), partition, job.slaOf(target.name())));
        }
        if (rowsAfter != expected || expected == 0) {
            log.with(ReplayLog.State.VERIFICATION_FAILED, summary).save(target.basePath());
            throw new ReplayException(ExitCodes.VERIFICATION_FAILED, expected == 0
                    ? "the replay produced no row of " + partition + " (" + job.slaOf(target.name()) + "); not swapping"
                    + " an empty partition in. Check the pipeline's config; staging left at " + newLocation
                    : String.format("staged partition has %,d rows, the job wrote %,d; nothing swapped (staging left at %s)",
                    rowsAfter, expected, newLocation));
        }
        checkpoints.beforeSwap(summary);
        try (HiveMetastoreClient metastore = connect(metastoreUri)) {
            String current = metastore.partitionLocation(target.database(), target.tableName(), target.partitionValues());
            if (current == null || !LakeFiles.sameLocation(current, oldLocation)) {
                log.with(ReplayLog.State.VERIFICATION_FAILED, summary).save(target.basePath());
                throw new ReplayException(ExitCodes.VERIFICATION_FAILED, "partition " + partition + " moved to "
                        + current + " while this run wrote (another replay?); nothing swapped");
            }
            metastore.alterPartitionLocation(target.database(), target.tableName(), target.partitionValues(),
                    newLocation);
        }
        log = log.with(ReplayLog.State.SWAPPED, summary);
        log.save(target.basePath());
        LOG.info("replay {}: {} {} now at {} (was {})", runId, target.name(), partition, newLocation, oldLocation);
        markRepaired(request, target, input, job, runId);
        return summary;
    }

    /**
     * The Hudi flow: the job writes the table itself (insert_overwrite of the partition, or the repaired rows
     * for {@code --from errors}) in one instant; verification reads the partition back and rolls the instant
     * back when the count is off, so a failed run leaves the table as it was.
     */
    private ReplaySummary replayHudi(ReplayRequest request, ReplayTarget target) throws Exception {
        String partition = request.partition();
        if (!HudiReplay.partitionExists(target, partition)) {
            throw ReplayException.usage("partition " + partition + " is not a partition of Hudi table " + target.name()
                    + " (no " + target.basePath() + "/" + partition + "/.hoodie_partition_metadata)");
        }
        String runId = newRunId();
        long rowsBefore = HudiReplay.rows(target).size();
        HoodieInstant before = HudiReplay.lastCompleted(target);
        String location = target.basePath() + "/" + partition;
        progress.accept(String.format("%s %s: %,d rows at instant %s", target.name(), partition, rowsBefore,
                instantOf(before)));
        Input input = input(request, target);
        if (request.dryRun()) {
            progress.accept("dry run: reading the input through the current pipeline, writing nothing");
            ReplayJob.Result counted = ReplayJob.run("sluice-replay-plan " + target.name() + " " + partition,
                    request.pipeline(), target, input.records(), null, request.parallelism(), input.size(), progress);
            long expected = request.from() == ReplaySource.ERRORS ? rowsBefore + counted.rowsKept() : counted.rowsKept();
            progress.accept(String.format("rows expected: %,d in %s, %,d in other partitions (left alone)",
                    counted.rowsKept(), partition, counted.rowsOther()));
            return summary(runId, request, true, rowsBefore, expected, input, counted, location, null);
        }
        String operation = request.from() == ReplaySource.KAFKA ? HudiReplay.INSERT_OVERWRITE
                : ((HudiSinkConfig) target.sinkConfig()).operation().hudiName();
        ReplaySummary staging = new ReplaySummary(runId, target.name(), partition, request.from().wireName(), false,
                rowsBefore, null, null, null, null, location + "@" + instantOf(before), null);
        ReplayLog log = ReplayLog.started(staging).withInstants(instantOf(before), null);
        log.save(target.basePath());
        progress.accept("writing " + location + " (" + operation + ")");
        ReplayJob.Result job = ReplayJob.run("sluice-replay " + target.name() + " " + partition + " " + runId,
                request.pipeline(), target, input.records(),
                HudiReplay.sink(target, operation, request.parallelism())::writeTo, request.parallelism(),
                input.size(), progress);
        HoodieInstant after = HudiReplay.lastCompleted(target);
        String instant = after == null || (before != null && after.getTimestamp().equals(before.getTimestamp()))
                ? null : after.getTimestamp();
        long rowsAfter = HudiReplay.rows(target).size();
        long expected = request.from() == ReplaySource.ERRORS ? rowsBefore + job.rowsKept() : job.rowsKept();
        ReplaySummary summary = summary(runId, request, false, rowsBefore, rowsAfter, input, job,
                location + "@" + instantOf(before), location + "@" + instantOf(after));
        log = log.withInstants(instantOf(before), instant);
        if (instant == null || rowsAfter != expected || expected == 0) {
            if (instant != null) {
                HudiReplay.rollback(target, instant);
            }
            log.with(ReplayLog.State.VERIFICATION_FAILED, summary).save(target.basePath());
            throw new ReplayException(ExitCodes.VERIFICATION_FAILED, String.format(
                    "the partition had %,d rows after the run's instant %s, the job wrote %,d; instant rolled back,"
                            + " the table is as before", rowsAfter, instant, expected));
        }
        checkpoints.beforeSwap(summary);
        log.with(ReplayLog.State.SWAPPED, summary).save(target.basePath());
        LOG.info("replay {}: {} {} rewritten in instant {} ({})", runId, target.name(), partition, instant, operation);
        markRepaired(request, target, input, job, runId);
        return summary;
    }

    private static String instantOf(HoodieInstant instant) {
        return instant == null ? "-" : instant.getTimestamp();
    }

    private void markRepaired(ReplayRequest request, ReplayTarget target, Input input, ReplayJob.Result job,
                              String runId) throws Exception {
        if (input.errors() != null) {
            Set<String> failed = new HashSet<>(job.failedOrigins());
            List<ErrorMarks.Pending> repaired = input.errors().stream().filter(e -> !failed.contains(e.origin())).toList();
            progress.accept(String.format("marking %,d repaired error rows replayed by %s", repaired.size(), runId));
            new ErrorMarks(request.lakeRoot(), target.database()).mark(repaired, target.name(), runId);
        }
    }

    /**
     * The partition's rows as readers see them: a Hive table's through the location the metastore holds, a
     * Hudi table's through Hudi's reader. Changes nothing.
     */
    public List<org.apache.flink.types.Row> partitionRows(ReplayRequest request) throws Exception {
        if (request.partition() == null) {
            throw ReplayException.usage("--show needs --partition");
        }
        ReplayTarget target = ReplayTarget.resolve(request);
        if (!target.isHive()) {
            return HudiReplay.rows(target);
        }
        String metastoreUri = requireMetastore(request, target);
        try (HiveMetastoreClient metastore = connect(metastoreUri)) {
            String location = metastore.partitionLocation(target.database(), target.tableName(),
                    target.partitionValues());
            if (location == null) {
                throw ReplayException.usage("partition " + request.partition() + " is not a partition of "
                        + target.name() + " in the metastore " + metastoreUri);
            }
            progress.accept(request.partition() + " of " + target.name() + " is at " + location);
            return HiveTableReader.read(target.hiveSink(), List.of(location));
        }
    }

    /**
     * Points the partition of run {@code runId} back at the location it had before the run.
     *
     * @throws ReplayException (usage) when there is no such run, or it is not the partition's latest swap
     */
    public ReplaySummary rollback(ReplayRequest request, String runId) throws Exception {
        ReplayTarget target = ReplayTarget.resolve(request);
        ReplayLog log = ReplayLog.load(target.basePath(), runId);
        ReplaySummary run = log.summary();
        if (log.state() != ReplayLog.State.SWAPPED) {
            throw ReplayException.usage("run " + runId + " is " + log.state() + ", not SWAPPED: nothing to roll back");
        }
        if (!target.isHive()) {
            HudiReplay.rollback(target, log.instant());
            ReplaySummary rolledBack = new ReplaySummary(runId, run.table(), run.partition(), run.from(), false,
                    run.rowsAfter(), null, null, null, null, run.newLocation(), run.oldLocation());
            log.with(ReplayLog.State.ROLLED_BACK, run).save(target.basePath());
            LOG.info("rolled back replay {}: instant {} of {}", runId, log.instant(), target.name());
            return rolledBack;
        }
        String metastoreUri = requireMetastore(request, target);
        List<String> values = dev.sluice.job.load.PartitionPath.valuesOf(run.partition());
        try (HiveMetastoreClient metastore = connect(metastoreUri)) {
            String current = metastore.partitionLocation(target.database(), target.tableName(), values);
            if (current == null || !LakeFiles.sameLocation(current, run.newLocation())) {
                throw ReplayException.usage("partition " + run.partition() + " is at " + current + ", not at run "
                        + runId + "'s location " + run.newLocation() + ": roll back the later run first");
            }
            if (!LakeFiles.exists(run.oldLocation())) {
                throw new ReplayException(ExitCodes.VERIFICATION_FAILED, "the old location " + run.oldLocation()
                        + " no longer exists (collected by --gc?); nothing changed");
            }
            metastore.alterPartitionLocation(target.database(), target.tableName(), values, run.oldLocation());
        }
        long rows = HiveTableReader.read(target.hiveSink(), List.of(run.oldLocation())).size();
        ReplaySummary rolledBack = new ReplaySummary(runId, run.table(), run.partition(), run.from(), false,
                run.rowsAfter(), rows, null, null, null, run.newLocation(), run.oldLocation());
        log.with(ReplayLog.State.ROLLED_BACK, run).save(target.basePath());
        LOG.info("rolled back replay {}: {} {} at {} again", runId, target.name(), run.partition(), run.oldLocation());
        return rolledBack;
    }

    /**
     * Deletes the locations of runs older than {@code olderThan} that no partition points at any more and no
     * younger run could roll back to: superseded partition directories, rolled-back and abandoned staging.
     *
     * @return the deleted locations
     */
    public List<String> gc(ReplayRequest request, Duration olderThan) throws Exception {
        ReplayTarget target = ReplayTarget.resolve(request);
        if (!target.isHive()) {
            progress.accept(target.name() + " is a Hudi table: the file groups a replay replaced are removed by Hudi's"
                    + " cleaner (hoodie.cleaner.commits.retained), not by --gc");
            return List.of();
        }
        String metastoreUri = requireMetastore(request, target);
        Instant cutoff = Instant.now().minus(olderThan);
        List<String> current;
        try (HiveMetastoreClient metastore = connect(metastoreUri)) {
            current = metastore.partitionLocations(target.database(), target.tableName());
        }
        List<ReplayLog> logs = ReplayLog.all(target.basePath());
        List<String> keep = new ArrayList<>(current);
        for (ReplayLog log : logs) {
            if (!log.started().isBefore(cutoff)) {
                // A young run may still be rolled back to its old location, and its staging may be in use.
                keep.add(log.summary().oldLocation());
                keep.add(log.summary().newLocation());
            }
        }
        List<String> deleted = new ArrayList<>();
        for (ReplayLog log : logs) {
            if (log.started().isBefore(cutoff)) {
                List<String> mine = new ArrayList<>();
                for (String location : List.of(log.summary().oldLocation(), log.summary().newLocation())) {
                    if (keep.stream().noneMatch(k -> LakeFiles.sameLocation(k, location)) && LakeFiles.exists(location)
                            && deleted.stream().noneMatch(d -> LakeFiles.sameLocation(d, location))) {
                        LakeFiles.deleteRecursively(location);
                        mine.add(location);
                        progress.accept("deleted " + location + " (run " + log.summary().runId() + ", " + log.state() + ")");
                    }
                }
                String staging = target.basePath() + "/" + ReplayLog.STAGING + "/" + log.summary().runId();
                if (keep.stream().noneMatch(k -> LakeFiles.normalize(k).startsWith(LakeFiles.normalize(staging) + "/"))
                        && LakeFiles.exists(staging)) {
                    LakeFiles.deleteRecursively(staging);
                }
                if (!mine.isEmpty()) {
                    log.withDeleted(mine).save(target.basePath());
                    deleted.addAll(mine);
                }
            }
        }
        LOG.info("gc of {}: deleted {} locations older than {}", target.name(), deleted.size(), olderThan);
        return deleted;
    }

    /** The input of a run and how to add it to a job. */
    private record Input(long size, Function<StreamExecutionEnvironment, DataStream<RawRecord>> records,
                         List<ErrorMarks.Pending> errors) {
    }

    private Input input(ReplayRequest request, ReplayTarget target) throws Exception {
        if (request.from() == ReplaySource.KAFKA) {
            Instant from = target.day().atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant until = from.plus(Duration.ofDays(1)).plus(request.lateness());
            KafkaWindow window = KafkaWindow.find(request.bootstrapServers(), request.pipeline().source().topic(),
                    from, until);
            progress.accept(String.format("input: %,d records of %s ingested in [%s, %s), offsets %s..%s",
                    window.records(), window.topic(), from, until, window.start().values(), window.end().values()));
            if (window.records() == 0) {
                throw ReplayException.nothingToDo("topic " + window.topic() + " has no record ingested in [" + from
                        + ", " + until + ")");
            }
            return new Input(window.records(), env -> env.fromSource(
                    RawSources.kafkaRange(request.bootstrapServers(), request.pipeline().source(), window.start(),
                            window.end()), WatermarkStrategy.noWatermarks(), "kafka:" + window.topic()), null);
        }
        List<ErrorMarks.Pending> errors = new ErrorMarks(request.lakeRoot(), target.database()).pending(target);
        progress.accept(String.format("input: %,d error rows of %s ingested on %s to retry", errors.size(),
                target.name(), target.day()));
        if (errors.isEmpty()) {
            throw ReplayException.nothingToDo("no error rows of " + target.name() + " ingested on " + target.day()
                    + " are waiting for a replay");
        }
        List<RawRecord> records = errors.stream().map(ErrorMarks.Pending::record).toList();
        return new Input(records.size(), env -> env.fromCollection(records, RawRecordTypeInfo.INSTANCE), errors);
    }

    private ReplaySummary summary(String runId, ReplayRequest request, boolean dryRun, long rowsBefore, long rowsAfter,
                                  Input input, ReplayJob.Result job, String oldLocation, String newLocation) {
        Long repaired = null;
        Long remaining = null;
        if (input.errors() != null) {
            remaining = (long) new HashSet<>(job.failedOrigins()).size();
            repaired = input.errors().size() - remaining;
        }
        return new ReplaySummary(runId, request.table(), request.partition(), request.from().wireName(), dryRun,
                rowsBefore, rowsAfter, repaired, remaining, job.slaOf(request.table()), oldLocation,
                dryRun ? null : newLocation);
    }

    private static String requireMetastore(ReplayRequest request, ReplayTarget target) {
        if (request.metastoreUri() == null) {
            throw ReplayException.usage("table " + target.name() + " is a Hive table: its partitions live in a Hive"
                    + " Metastore; give --metastore-uri (or --data-dir of a running demo)");
        }
        return request.metastoreUri();
    }

    private static HiveMetastoreClient connect(String uri) {
        try {
            return HiveMetastoreClient.connect(uri);
        } catch (IllegalStateException e) {
            throw ReplayException.unavailable("cannot reach the Hive Metastore at " + uri + " ("
                    + rootMessage(e) + "); nothing was changed", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 10 ? names.toString() : names.subList(0, 10) + " and " + (names.size() - 10) + " more";
    }

    static String newRunId() {
        return RUN_ID.format(Instant.now()) + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    }
}
