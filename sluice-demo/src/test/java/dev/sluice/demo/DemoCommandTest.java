package dev.sluice.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The demo's refusals before it starts anything: each is one line on stderr and exit code 1, and the
 * data directory is not locked afterwards (nothing is left holding it).
 */
class DemoCommandTest {
    @TempDir
    Path tmp;

    /** Runs the command as {@code main} does and returns its exit code and stderr. */
    private record Outcome(int exitCode, String err) {
    }

    private static Outcome run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cmd = DemoCommand.commandLine();
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Outcome(code, err.toString());
    }

    @Test
    void portInUseIsOneLineAndReleasesTheDataDir() throws Exception {
        Path data = tmp.resolve("data");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Outcome outcome = run("--events", "1", "--data-dir", data.toString(), "--port",
                    String.valueOf(taken.getLocalPort()), "--home", tmp.toString());

            assertThat(outcome.exitCode()).isEqualTo(1);
            assertThat(outcome.err()).isEqualTo("[sluice demo] failed: port " + taken.getLocalPort()
                    + " on 127.0.0.1 is in use; pass a free one with --port" + System.lineSeparator());
        }
        try (DataDirLock again = DataDirLock.acquire(data)) {
            assertThat(again).as("the refused run let go of its data dir").isNotNull();
        }
        assertThat(data.resolve("kafka")).as("nothing was started or cleaned").doesNotExist();
    }

    @Test
    void portOutsideTheRangeIsRefusedBeforeTheDataDirIsTouched() {
        Path data = tmp.resolve("untouched");

        Outcome outcome = run("--events", "1", "--data-dir", data.toString(), "--port", "0", "--home", tmp.toString());

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).startsWith("--port must be within 1..65535, was 0");
        assertThat(data).doesNotExist();
    }

    @Test
    void dataDirThatIsNotAWritableDirectoryIsOneLine() throws Exception {
        // Root may write anywhere, so "not writable" is made with a path under a regular file.
        Path file = Files.writeString(tmp.resolve("a-file"), "x");

        Outcome outcome = run("--events", "1", "--data-dir", file.resolve("data").toString(), "--home", tmp.toString());

        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.err().lines()).singleElement().asString()
                .startsWith("[sluice demo] failed: --data-dir " + file.resolve("data") + " is not a writable directory");
    }

    @Test
    void secondDemoOnTheSameDataDirIsRefusedWithoutTouchingIt() throws Exception {
        Path data = tmp.resolve("busy");
        Files.createDirectories(data.resolve("lake").resolve("t"));
        try (DataDirLock first = DataDirLock.acquire(data)) {
            Outcome outcome = run("--events", "1", "--data-dir", data.toString(), "--home", tmp.toString());

            assertThat(outcome.exitCode()).isEqualTo(1);
            assertThat(outcome.err()).isEqualTo("[sluice demo] failed: another sluice demo is running on --data-dir "
                    + data.toAbsolutePath() + " (it holds " + data.toAbsolutePath().resolve(DataDirLock.FILE)
                    + "); stop it or pass another --data-dir" + System.lineSeparator());
        }
        assertThat(data.resolve("lake").resolve("t")).as("the running demo's data is untouched").isDirectory();
    }
}
