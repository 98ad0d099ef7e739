package dev.sluice.job.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.jobgraph.RestoreMode;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;

/**
 * Where one job's checkpoints and savepoints live, and which of them a new run resumes from.
 *
 * <p>Layout: every run of job {@code NAME} checkpoints to {@code <checkpoint dir>/NAME/<job id>/chk-N/} and
 * takes its savepoints in {@code <checkpoint dir>/NAME/savepoints/}. A checkpoint or savepoint is complete
 * once its {@code _metadata} file exists: Flink writes that file last, through a recoverable (write, then
 * commit) stream on file systems that have one.
 *
 * <p>Semantics of {@link #latest}: the complete checkpoint or savepoint with the newest {@code _metadata},
 * whichever run wrote it — the state a process that died (or was stopped with a savepoint) last made
 * durable, as the Flink Kubernetes Operator's {@code last-state} upgrade mode resumes. A retained
 * checkpoint is restored in {@link RestoreMode#CLAIM} mode, so the new run owns and later deletes it
 * instead of keeping one full copy per restart; a savepoint is never claimed (it belongs to the operator).
 */
public final class RetainedState {
    private static final String METADATA = "_metadata";
    private static final String SAVEPOINTS = "savepoints";

    private RetainedState() {
    }

    /** A complete checkpoint or savepoint: its directory, whether it is a savepoint, when it completed. */
    public record Snapshot(String path, boolean savepoint, long completedAt) {
        /** How a run restores from it: checkpoints claimed, savepoints left to their owner. */
        public SavepointRestoreSettings restoreSettings() {
            return SavepointRestoreSettings.forPath(path, false, savepoint ? RestoreMode.NO_CLAIM : RestoreMode.CLAIM);
        }

        public String kind() {
            return savepoint ? "savepoint" : "checkpoint";
        }
    }

    /** {@code <checkpointDir>/<jobName>} as a URI string; {@code checkpointDir} is a path or a URI. */
    public static String jobDir(String checkpointDir, String jobName) {
        String root = Locations.toUri(checkpointDir);
        return (root.endsWith("/") ? root : root + "/") + jobName;
    }

    /** Where {@code stop-with-savepoint} puts the savepoints of the job whose {@link #jobDir} this is. */
    public static String savepointDir(String jobDir) {
        return (jobDir.endsWith("/") ? jobDir : jobDir + "/") + SAVEPOINTS;
    }

    /** The newest complete checkpoint or savepoint under {@code jobDir}, if any. */
    public static Optional<Snapshot> latest(String jobDir) {
        try {
            Path root = new Path(jobDir);
            FileSystem fs = root.getFileSystem();
            Snapshot newest = null;
            for (FileStatus run : list(fs, root)) {
                if (!run.isDir()) {
                    continue;
                }
                boolean savepoints = run.getPath().getName().equals(SAVEPOINTS);
                for (FileStatus candidate : list(fs, run.getPath())) {
                    String name = candidate.getPath().getName();
                    if (!candidate.isDir() || !(savepoints ? name.startsWith("savepoint-") : name.startsWith("chk-"))) {
                        continue;
                    }
                    Path metadata = new Path(candidate.getPath(), METADATA);
                    if (!fs.exists(metadata)) {
                        continue;
                    }
                    long completedAt = fs.getFileStatus(metadata).getModificationTime();
                    if (newest == null || completedAt > newest.completedAt()) {
                        newest = new Snapshot(candidate.getPath().toUri().toString(), savepoints, completedAt);
                    }
                }
            }
            return Optional.ofNullable(newest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the retained checkpoints under " + jobDir, e);
        }
    }

    private static FileStatus[] list(FileSystem fs, Path dir) throws IOException {
        if (!fs.exists(dir)) {
            return new FileStatus[0];
        }
        FileStatus[] entries = fs.listStatus(dir);
        return entries == null ? new FileStatus[0] : entries;
    }
}
