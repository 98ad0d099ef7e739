package dev.sluice.infra.flink;

import dev.sluice.infra.process.ChildJvm;
import dev.sluice.infra.process.Ports;
import dev.sluice.infra.process.ServerClasspath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flink standalone session cluster of separate processes on 127.0.0.1: one JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and TaskManagers ({@code TaskManagerRunner}), each a
 * {@link ChildJvm} started from the Flink artifacts {@code sluice-infra-flink-runtime} resolved — what a
 * distribution's {@code bin/jobmanager.sh} and {@code bin/taskmanager.sh} do, without the tarball.
 *
 * <p>Usage:
 * <pre>{@code
 * try (FlinkCluster cluster = FlinkCluster.start(dir, 2, 2, Map.of("state.checkpoints.dir", uri))) {
 *     new FlinkRestClient(cluster.restAddress()).upload(jobJar) ...
 *     cluster.killTaskManager("tm-0");      // kill -9
 *     cluster.startTaskManager();           // a replacement, tm-2
 * }
 * }</pre>
 *
 * <p>TaskManagers get their memory flags the way {@code taskmanager.sh} does: {@code BashJavaUtils
 * GET_TM_RESOURCE_PARAMS} computes JVM flags and dynamic properties from {@code flink-conf.yaml} once;
 * every TaskManager starts with them. Heartbeats are short (2 s, 10 s timeout) so a killed TaskManager is
 * noticed within seconds, and slots are spread evenly, so a job of parallelism p uses p TaskManagers when
 * it can.
 */
public final class FlinkCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FlinkCluster.class);
    private static final String CLASSPATH_RESOURCE = "/dev/sluice/infra/flink/cluster.classpath";
    private static final String JVM_OPTIONS_RESOURCE = "/dev/sluice/infra/flink/jvm.options";
    private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Pattern TASK_MANAGERS = Pattern.compile("\"taskmanagers\"\\s*:\\s*(\\d+)");

    private final Path dir;
    private final Path conf;
    private final int restPort;
    private final List<String> classpath;
    private final List<String> jvmOptions;
    private final ChildJvm jobManager;
    private final Map<String, ChildJvm> taskManagers = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private List<String> taskManagerJvmFlags;
    private List<String> taskManagerDynamicProperties;
    private int nextTaskManager;

    private FlinkCluster(Path dir, Map<String, String> settings) {
        this.dir = dir.toAbsolutePath();
        this.conf = this.dir.resolve("conf");
        this.restPort = Ports.free();
        this.classpath = ServerClasspath.read(CLASSPATH_RESOURCE, "sluice-infra/flink-runtime");
        this.jvmOptions = List.of(resource(JVM_OPTIONS_RESOURCE).trim().split("\\s+"));
        try {
            Files.createDirectories(conf);
            Files.createDirectories(this.dir.resolve("tmp"));
            Files.createDirectories(this.dir.resolve("upload"));
            Files.writeString(conf.resolve("flink-conf.yaml"), flinkConf(settings));
            Files.writeString(conf.resolve("log4j-console.properties"), LOG4J);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + this.dir, e);
        }
        List<String> jmFlags = new ArrayList<>(List.of("-Xmx512m", "-Xms256m"));
        jmFlags.addAll(commonFlags());
        this.jobManager = ChildJvm.builder("flink-jobmanager")
                .classpath(classpath)
                .jvmArgs(jmFlags)
                .mainClass("org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint")
                .args(List.of("--configDir", conf.toString()))
                .logFile(this.dir.resolve("jobmanager.log"))
                .build();
    }

    /**
     * Starts a JobManager and {@code taskManagers} TaskManagers with {@code slots} slots each, and waits
     * until the REST API reports every TaskManager registered.
     *
     * @param settings extra {@code flink-conf.yaml} entries, e.g. {@code state.checkpoints.dir}
     */
    public static FlinkCluster start(Path dir, int taskManagers, int slots, Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.put("taskmanager.numberOfTaskSlots", Integer.toString(slots));
        FlinkCluster cluster = new FlinkCluster(dir, all);
        try {
            cluster.jobManager.start();
            cluster.jobManager.awaitLogLine(0, line -> line.contains("Rest endpoint listening at"), START_TIMEOUT);
            cluster.resolveTaskManagerFlags();
            for (int i = 0; i < taskManagers; i++) {
                cluster.startTaskManager();
            }
            cluster.awaitTaskManagers(taskManagers, START_TIMEOUT);
            LOG.info("Flink cluster up: 1 JobManager, {} TaskManagers x {} slots, REST {}", taskManagers, slots,
                    cluster.webUrl());
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** {@code 127.0.0.1:PORT} of the REST API (what {@code flink run -m} and {@code sluice etl --jobmanager} take). */
    public String restAddress() {
        return "127.0.0.1:" + restPort;
    }

    public String webUrl() {
        return "http://" + restAddress() + "/";
    }

    /** Starts one more TaskManager and returns its resource id ({@code tm-N}); it registers within seconds. */
    public synchronized String startTaskManager() {
        String id = "tm-" + nextTaskManager++;
        List<String> flags = new ArrayList<>(taskManagerJvmFlags);
        flags.addAll(commonFlags());
        List<String> args = new ArrayList<>(List.of("--configDir", conf.toString()));
        args.addAll(taskManagerDynamicProperties);
        args.addAll(List.of("-D", "taskmanager.resource-id=" + id));
        ChildJvm taskManager = ChildJvm.builder("flink-" + id)
                .classpath(classpath)
                .jvmArgs(flags)
                .mainClass("org.apache.flink.runtime.taskexecutor.TaskManagerRunner")
                .args(args)
                .logFile(dir.resolve(id + ".log"))
                .build();
        taskManager.start();
        taskManagers.put(id, taskManager);
        return id;
    }

    /** {@code kill -9} of a TaskManager: its tasks fail, the JobManager notices the loss by heartbeat. */
    public synchronized void killTaskManager(String id) {
        ChildJvm taskManager = taskManagers.remove(id);
        if (taskManager == null) {
            throw new IllegalArgumentException("no running TaskManager " + id + "; running: " + taskManagers.keySet());
        }
        taskManager.kill();
    }

    public synchronized List<String> taskManagerIds() {
        return List.copyOf(taskManagers.keySet());
    }

    /** Waits until the REST API's {@code /overview} counts {@code count} registered TaskManagers. */
    public void awaitTaskManagers(int count, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        int seen = -1;
        while (Instant.now().isBefore(deadline)) {
            seen = registeredTaskManagers();
            if (seen == count) {
                return;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for TaskManagers", e);
            }
        }
        throw new IllegalStateException(count + " TaskManagers did not register within " + timeout + " (last seen " + seen
                + "); see the logs in " + dir);
    }

    private int registeredTaskManagers() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(webUrl() + "overview"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = TASK_MANAGERS.matcher(response.body());
            return response.statusCode() == 200 && m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** What {@code taskmanager.sh} does first: memory flags and dynamic properties from the config. */
    private void resolveTaskManagerFlags() {
        ChildJvm utils = ChildJvm.builder("flink-bash-java-utils")
                .classpath(classpath)
                .jvmArgs(commonFlags())
                .mainClass("org.apache.flink.runtime.util.bash.BashJavaUtils")
                .args(List.of("GET_TM_RESOURCE_PARAMS", "--configDir", conf.toString()))
                .logFile(dir.resolve("bash-java-utils.log"))
                .build();
        utils.start();
        int code = utils.awaitExit(START_TIMEOUT);
        List<String> results;
        try {
            results = Files.readAllLines(utils.logFile()).stream().filter(l -> l.startsWith(RESULT_PREFIX))
                    .map(l -> l.substring(RESULT_PREFIX.length()).trim()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (code != 0 || results.size() < 2) {
            throw new IllegalStateException("BashJavaUtils GET_TM_RESOURCE_PARAMS failed (exit " + code + "); see " + utils.logFile());
        }
        taskManagerJvmFlags = Arrays.asList(results.get(results.size() - 2).split("\\s+"));
        taskManagerDynamicProperties = Arrays.asList(results.get(results.size() - 1).split("\\s+"));
    }

    private List<String> commonFlags() {
        List<String> flags = new ArrayList<>(jvmOptions);
        flags.add("-Dlog4j.configurationFile=" + conf.resolve("log4j-console.properties").toUri());
        // Hudi's object sizing (JOL) would fork a JVM to attach to each TaskManager; it fails on Java 17 anyway.
        flags.add("-Djol.skipHotspotSAAttach=true");
        flags.add("-Djol.skipDynamicAttach=true");
        flags.add("-XX:+UseSerialGC");
        return flags;
    }

    private String flinkConf(Map<String, String> settings) {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("jobmanager.rpc.address", "127.0.0.1");
        entries.put("jobmanager.bind-host", "127.0.0.1");
        entries.put("jobmanager.rpc.port", Integer.toString(Ports.free()));
        entries.put("rest.address", "127.0.0.1");
        entries.put("rest.bind-address", "127.0.0.1");
        entries.put("rest.port", Integer.toString(restPort));
        entries.put("taskmanager.host", "127.0.0.1");
        entries.put("taskmanager.bind-host", "127.0.0.1");
        entries.put("jobmanager.memory.process.size", "800m");
        entries.put("taskmanager.memory.process.size", "1200m");
        entries.put("heartbeat.interval", "2000");
        entries.put("heartbeat.timeout", "10000");
        entries.put("cluster.evenly-spread-out-slots", "true");
        // Hudi's Hadoop FileSystem cache outlives a failed task's classloader (as in LocalFlink).
        entries.put("classloader.check-leaked-classloader", "false");
        entries.put("web.upload.dir", dir.resolve("upload").toString());
        entries.put("io.tmp.dirs", dir.resolve("tmp").toString());
        entries.putAll(settings);
        StringBuilder yaml = new StringBuilder();
        entries.forEach((key, value) -> yaml.append(key).append(": ").append(value).append('\n'));
        return yaml.toString();
    }

    private static String resource(String name) {
        try (InputStream in = FlinkCluster.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing " + name + ": build sluice-infra/flink-runtime first");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the TaskManagers, then the JobManager (running jobs end with them). */
    @Override
    public synchronized void close() {
        taskManagers.values().forEach(ChildJvm::stop);
        taskManagers.clear();
        jobManager.stop();
    }

    private static final String LOG4J = String.join("\n",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.console.ref = console",
            "appender.console.type = Console",
            "appender.console.name = console",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-40c{1} %m%n",
            "logger.kafka.name = org.apache.kafka",
            "logger.kafka.level = WARN",
            "logger.hadoop.name = org.apache.hadoop",
            "logger.hadoop.level = WARN",
            "logger.hudi.name = org.apache.hudi",
            "logger.hudi.level = WARN",
            "");
}
