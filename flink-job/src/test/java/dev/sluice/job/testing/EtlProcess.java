package dev.sluice.job.testing;

import dev.sluice.infra.process.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sluice etl} as its own process, the way an operator runs it: {@code dev.sluice.job.EtlCommand} in a
 * child JVM with this test's classpath and Java 17 flags, its console in a log file the test reads
 * (the operator lines: started, restored, status, stopped with savepoint).
 */
public final class EtlProcess {
    private static final Pattern ACCOUNT = Pattern.compile("in (\\d+) out (\\d+) dropped (\\d+) errored (\\d+)");

    private final ChildJvm jvm;

    public EtlProcess(String name, List<String> args, Path console) {
        List<String> jvmArgs = new ArrayList<>(List.of("-Xmx1g", "-XX:+UseSerialGC"));
        // The same --add-opens/--add-exports the build gives this JVM (the launcher's jvm.options).
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports"))
                .forEach(jvmArgs::add);
        this.jvm = ChildJvm.builder(name)
                .classpath(Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator)))
                .jvmArgs(jvmArgs)
                .mainClass("dev.sluice.job.EtlCommand")
                .args(args)
                .logFile(console)
                .build();
    }

    public void start() {
        jvm.start();
    }

    /** Waits for a console line containing {@code text} written after byte {@code from}; returns the console size then. */
    public long await(long from, String text, Duration timeout) {
        return jvm.awaitLogLine(from, line -> line.contains(text), timeout);
    }

    public long consoleSize() {
        return jvm.logSize();
    }

    /** {@code kill -9}: the process dies without running anything of its own. */
    public void kill() {
        jvm.kill();
    }

    /** SIGTERM, then waits for the exit (a stop with savepoint); returns the exit code. */
    public int terminate(Duration timeout) {
        return jvm.terminate(timeout);
    }

    /** Stops whatever still runs; for {@code finally} blocks. */
    public void close() {
        jvm.stop();
    }

    /** Every console line written after byte {@code from}. */
    public List<String> lines(long from) {
        try {
            byte[] all = Files.readAllBytes(jvm.logFile());
            return new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from)).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The SLA account {in, out, dropped, errored} of the last status line after byte {@code from}, if any. */
    public Optional<long[]> lastAccount(long from) {
        long[] last = null;
        for (String line : lines(from)) {
            Matcher m = ACCOUNT.matcher(line);
            if (line.startsWith("[sluice etl]") && m.find()) {
                last = new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                        Long.parseLong(m.group(3)), Long.parseLong(m.group(4))};
            }
        }
        return Optional.ofNullable(last);
    }
}
