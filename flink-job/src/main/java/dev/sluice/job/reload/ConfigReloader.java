package dev.sluice.job.reload;

import dev.sluice.core.config.PipelineConfig;
import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.core.config.UdfConfig;
import dev.sluice.job.pipeline.ConfigChange;
import dev.sluice.job.pipeline.RecordProcessor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload of a job's pipeline config: at each checkpoint, re-reads the config file and, when its
 * content — or the content of the Python UDF modules of the active config — changed in a way
 * {@link ConfigChange#classify} calls {@link ConfigChange.Kind#LIGHT}, hands back
 * a new opened {@link RecordProcessor} to use from then on.
 *
 * <p>Work flow: the owning function calls {@link #atCheckpoint} from {@code snapshotState}, i.e. on the
 * task thread after the checkpoint barrier, when every record before the barrier has been processed and
 * none after it. Swapping there puts the switch exactly on the checkpoint: records before the barrier
 * went through the old processor, records after it go through the new one.
 *
 * <p>Semantics: every subtask switches at the same checkpoint when the file is replaced atomically (write
 * a temporary file, then rename) and the writer's clock agrees with the JobManager's within a checkpoint
 * interval: a file modified at or after the checkpoint's trigger time is left for the next checkpoint, so
 * a file that some subtasks could see at checkpoint N and others not is applied by all at N + 1. A change
 * that needs a restart, or a file that does not load, keeps the running config and is logged once per
 * file content, never per record.
 *
 * <p>Fault tolerance: the YAML of the active config is part of the checkpoint ({@link #activeYaml}), so
 * after a failover the records replayed after checkpoint N run with the config that was active after N,
 * whatever the file says meanwhile. A job resubmitted from that checkpoint with a config that differs from
 * the restored one by a restart-required change runs the submitted config: its job graph was built from it.
 *
 * <p>Not thread-safe: one instance per subtask, used by the task thread only.
 */
public final class ConfigReloader implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    /** SLA counter (job level) of the reloads applied, summed over subtasks: p per reload at parallelism p. */
    public static final String RELOADS_COUNTER = "configReloads";

    private final String location;

    private transient PipelineConfig active;
    private transient String activeYaml;
    private transient byte[] lastSeen;

    /** @param location the pipeline YAML the job was started from */
    public ConfigReloader(Path location) {
        this.location = Objects.requireNonNull(location, "location").toAbsolutePath().toString();
    }

    /**
     * Starts from the job's built-in config, or from the config that was active at the restored
     * checkpoint ({@code restoredYaml}, null on a fresh start or when no reload had happened).
     *
     * @return the processor to run, not yet opened when it is {@code builtIn}
     */
    public RecordProcessor start(RecordProcessor builtIn, String restoredYaml) {
        active = builtIn.config();
        if (restoredYaml == null) {
            return builtIn;
        }
        PipelineConfig restored = PipelineConfigLoader.parse(restoredYaml, location + " (as of the restored checkpoint)",
                baseDir());
        ConfigChange change = ConfigChange.classify(restored, builtIn.config());
        if (change.kind() == ConfigChange.Kind.RESTART_REQUIRED) {
            // The job was resubmitted with a config the restored one cannot run in: the sinks and the
            // keyBy were built from the new one, so that restart is how the change is applied.
            LOG.info("Config reload: the job was started from a config that needs a restart against the one active "
                    + "at the restored checkpoint, so {} as submitted wins: {}", location, change.message());
            return builtIn;
        }
        activeYaml = restoredYaml;
        lastSeen = restoredYaml.getBytes(StandardCharsets.UTF_8);
        active = restored;
        return new RecordProcessor(active);
    }

    /** The YAML of the active config to keep in the checkpoint; null while the built-in config runs. */
    public String activeYaml() {
        return activeYaml;
    }

    /**
     * Checks the file at checkpoint {@code checkpointId} triggered at {@code triggeredAt} (epoch ms).
     *
     * @return an opened processor for the new config when a light change is to be applied now, else null
     */
    public RecordProcessor atCheckpoint(long checkpointId, long triggeredAt) {
        Path file = Path.of(location);
        byte[] content;
        byte[] yamlBytes;
        try {
            if (modifiedSince(file, triggeredAt)) {
                return null;
            }
            yamlBytes = Files.readAllBytes(file);
            content = withModules(yamlBytes, triggeredAt);
            if (content == null) {
                return null;
            }
        } catch (IOException | UncheckedIOException e) {
            if (lastSeen != null && lastSeen.length == 0) {
                return null;
            }
            // An empty marker, so a missing file is reported once until it is back.
            lastSeen = new byte[0];
            LOG.warn("Config reload: cannot read {} ({}); keeping the running config", location, e.toString());
            return null;
        }
        if (Arrays.equals(content, lastSeen)) {
            return null;
        }
        lastSeen = content;
        String yaml = new String(yamlBytes, StandardCharsets.UTF_8);
        PipelineConfig next;
        RecordProcessor processor;
        ConfigChange change;
        try {
            next = PipelineConfigLoader.parse(yaml, location, baseDir());
            change = ConfigChange.classify(active, next);
            if (change.kind() != ConfigChange.Kind.LIGHT) {
                if (change.kind() == ConfigChange.Kind.RESTART_REQUIRED) {
                    LOG.warn("Config reload refused at checkpoint {} ({}): {}", checkpointId, location,
                            change.message());
                }
                return null;
            }
            processor = new RecordProcessor(next);
            processor.open();
        } catch (RuntimeException e) {
            // Logged once per content (file + modules): lastSeen already holds it.
            LOG.warn("Config reload: {} does not load ({}); keeping the running config", location, e.getMessage());
            return null;
        }
        active = next;
        activeYaml = yaml;
        LOG.info("Config reloaded at checkpoint {} from {}: {}", checkpointId, location, change.message());
        return processor;
    }

    private Path baseDir() {
        return Path.of(location).getParent();
    }

    private static boolean modifiedSince(Path file, long triggeredAt) throws IOException {
        FileTime modified = Files.getLastModifiedTime(file);
        return modified.toMillis() >= triggeredAt;
    }

    /**
     * The YAML followed by the sources of the active config's UDF modules, so a changed module is a
     * changed content; null when the module directory was modified at or after the checkpoint's trigger
     * time (left for the next checkpoint, as for the YAML file).
     */
    private byte[] withModules(byte[] yaml, long triggeredAt) throws IOException {
        UdfConfig udf = active.udf();
        if (udf == null) {
            return yaml;
        }
        Path dir = Path.of(udf.modules());
        List<Path> files;
        try (Stream<Path> listed = Files.list(dir)) {
            files = listed.toList();
        }
        if (modifiedSince(dir, triggeredAt)) {
            return null;
        }
        for (Path module : files) {
            if (module.getFileName().toString().endsWith(".py") && modifiedSince(module, triggeredAt)) {
                return null;
            }
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.write(yaml);
        for (Map.Entry<String, String> module : UdfConfig.readSources(dir).entrySet()) {
            content.write(0);
            content.write(module.getKey().getBytes(StandardCharsets.UTF_8));
            content.write(0);
            content.write(module.getValue().getBytes(StandardCharsets.UTF_8));
        }
        return content.toByteArray();
    }
}
