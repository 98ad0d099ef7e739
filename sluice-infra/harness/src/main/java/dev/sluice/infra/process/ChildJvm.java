package dev.sluice.infra.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server started in a JVM of its own, so its jars never meet ours.
 *
 * <p>Usage:
 * <pre>{@code
 * ChildJvm broker = ChildJvm.builder("kafka")
 *     .classpath(serverClasspath).mainClass("kafka.Kafka").args(List.of("server.properties"))
 *     .logFile(dir.resolve("broker.log")).build();
 * broker.start();
 * broker.awaitLogLine(line -> line.contains("Kafka Server started"), Duration.ofSeconds(60));
 * }</pre>
 *
 * <p>Semantics: the child runs {@link ParentWatchdog}, which exits the child when our stdin pipe
 * closes, so a parent killed without running its shutdown hooks leaves no orphan. {@link #stop}
 * asks for a graceful exit (SIGTERM, the server's own shutdown hook) and forces it after a timeout.
 */
public final class ChildJvm {
    private static final Logger LOG = LoggerFactory.getLogger(ChildJvm.class);

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path logFile;
    private final Thread shutdownHook;
    private Process process;

    private ChildJvm(String name, List<String> command, Map<String, String> environment, Path logFile) {
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.logFile = logFile;
        this.shutdownHook = new Thread(this::stop, "stop-" + name);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Starts the child; its stdout and stderr are appended to the log file. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        try {
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            process = builder
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
        }
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        LOG.info("started {} (pid {}), log: {}", name, process.pid(), logFile);
    }

    /**
     * Waits until a line appended to the log since {@code fromByte} matches, failing fast when the
     * child exits first. Returns the log size at the match.
     */
    public long awaitLogLine(long fromByte, Predicate<String> ready, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (Files.exists(logFile)) {
                    byte[] all = Files.readAllBytes(logFile);
                    if (all.length > fromByte) {
                        String tail = new String(all, (int) fromByte, all.length - (int) fromByte);
                        if (tail.lines().anyMatch(ready)) {
                            return all.length;
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + " before it was ready; see " + logFile);
            }
            sleepQuietly(100);
        }
        stop();
        throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + logFile);
    }

    /**
     * Waits until the child accepts TCP connections on {@code 127.0.0.1:port}, for servers whose log
     * has no reliable ready line. Fails fast when the child exits; stops it on timeout.
     */
    public void awaitPort(int port, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!isAlive()) {
                throw new IllegalStateException(name + " exited before it was ready; see " + logFile);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException notYet) {
                sleepQuietly(200);
            }
        }
        stop();
        throw new IllegalStateException(name + " did not open port " + port + " within " + timeout + "; see " + logFile);
    }

    /** Size of the log file now: pass it to {@link #awaitLogLine} to look only at later lines. */
    public long logSize() {
        try {
            return Files.exists(logFile) ? Files.size(logFile) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits for the child to exit by itself (a one-shot tool) and returns its exit code.
     *
     * @throws IllegalStateException when it is still running after the timeout (it is then stopped)
     */
    public int awaitExit(Duration timeout) {
        Process running;
        synchronized (this) {
            running = Objects.requireNonNull(process, name + " was not started");
        }
        try {
            if (!running.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop();
                throw new IllegalStateException(name + " did not finish within " + timeout + "; see " + logFile);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
        int code = running.exitValue();
        stop();
        return code;
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Graceful stop (SIGTERM), forced after 30 s. Idempotent. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // We are the shutdown hook ourselves.
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                LOG.warn("{} did not stop within 30 s, killing it", name);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        LOG.info("stopped {}", name);
        process = null;
    }

    /**
     * Kills the process at once (SIGKILL, like {@code kill -9}): no shutdown hook, no flush, no clean
     * close of its files; for fault-injection tests. {@link #start()} may start it again. Idempotent.
     */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // We are the shutdown hook ourselves.
        }
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("killed {} (SIGKILL)", name);
        process = null;
    }

    public Path logFile() {
        return logFile;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }

    /** Builds a {@link ChildJvm}; {@link #build()} checks that a main class, classpath and log file are set. */
    public static final class Builder {
        private final String name;
        private final List<String> classpath = new ArrayList<>();
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> environment = new HashMap<>();
        private String mainClass;
        private Path logFile;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        public Builder classpath(List<String> entries) {
            classpath.addAll(entries);
            return this;
        }

        public Builder jvmArgs(List<String> values) {
            jvmArgs.addAll(values);
            return this;
        }

        public Builder mainClass(String value) {
            mainClass = value;
            return this;
        }

        public Builder args(List<String> values) {
            args.addAll(values);
            return this;
        }

        /** Extra environment variables of the child (it inherits ours too). */
        public Builder environment(String key, String value) {
            environment.put(key, value);
            return this;
        }

        public Builder logFile(Path value) {
            logFile = value;
            return this;
        }

        public ChildJvm build() {
            List<String> problems = new ArrayList<>();
            if (mainClass == null) {
                problems.add("mainClass is not set");
            }
            if (classpath.isEmpty()) {
                problems.add("classpath is empty");
            }
            if (logFile == null) {
                problems.add("logFile is not set");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("child JVM '" + name + "': " + String.join("; ", problems));
            }
            List<String> cp = new ArrayList<>(classpath);
            cp.add(ownLocation());
            List<String> command = new ArrayList<>();
            command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmArgs);
            command.add("-cp");
            command.add(String.join(File.pathSeparator, cp));
            command.add(ParentWatchdog.class.getName());
            command.add(mainClass);
            command.addAll(args);
            return new ChildJvm(name, command, environment, logFile);
        }

        private static String ownLocation() {
            try {
                return Paths.get(ParentWatchdog.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                        .toString();
            } catch (Exception e) {
                throw new IllegalStateException("cannot locate the harness classes for the child JVM", e);
            }
        }
    }
}
