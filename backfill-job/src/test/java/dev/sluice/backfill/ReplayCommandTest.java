package dev.sluice.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's refusals: each names the offending flag or input, exits 2 and touches nothing. */
class ReplayCommandTest {

    @TempDir
    Path dir;

    @Test
    void refusesBadFlagsWithExitCodeTwo() throws Exception {
        Path pipeline = pipeline();
        assertThat(run("--pipeline", pipeline.toString(), "--table", "rp.events", "--partition", "dt=2026-11-23",
                "--from", "files")).isEqualTo(new Result(2, "--from must be kafka or errors, was files"));
        assertThat(run("--pipeline", pipeline.toString(), "--table", "rp.events").output())
                .contains("--partition is required");
        assertThat(run("--pipeline", pipeline.toString(), "--table", "rp.events", "--gc", "--rollback", "x").output())
                .contains("--gc and --rollback exclude each other");
        assertThat(run("--pipeline", dir.resolve("absent.yaml").toString(), "--table", "rp.events",
                "--partition", "dt=2026-11-23").output()).contains("absent.yaml is not a file");
        assertThat(run("--pipeline", pipeline.toString(), "--table", "rp.events", "--partition", "2026-11-23").output())
                .contains("--partition must be a Hive-style partition such as dt=2026-11-23");
        assertThat(run("--pipeline", pipeline.toString(), "--table", "rp.events", "--partition", "dt=2026-11-23",
                "--lateness", "soon").output()).contains("--lateness must be a duration");
        assertThat(run("--pipeline", pipeline.toString(), "--table", "rp.events", "--gc", "--older-than", "7d")
                .output()).contains("--metastore-uri");
        Result unknown = run("--pipeline", pipeline.toString(), "--table", "rp.nope", "--partition", "dt=2026-11-23");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.output()).contains("unknown table rp.nope").contains("[rp.events]");
        Result notADay = run("--pipeline", pipeline.toString(), "--table", "rp.events", "--partition", "day=monday");
        assertThat(notADay.output()).contains("does not match the partition fields [dt]");
        assertThat(dir.resolve("lake")).doesNotExist();
    }

    @Test
    void readsDurationsInShortAndIsoForms() {
        assertThat(ReplayCommand.duration("--older-than", "7d")).isEqualTo(Duration.ofDays(7));
        assertThat(ReplayCommand.duration("--older-than", "12h")).isEqualTo(Duration.ofHours(12));
        assertThat(ReplayCommand.duration("--older-than", "0s")).isEqualTo(Duration.ZERO);
        assertThat(ReplayCommand.duration("--lateness", "PT90M")).isEqualTo(Duration.ofMinutes(90));
    }

    private Path pipeline() throws Exception {
        String yaml = Files.readString(Path.of("src/test/resources/pipelines/replay-events.yaml"))
                .replace("${topic}", "raw-events").replace("${db}", "rp").replace("${user_path}", "uid")
                .replace("${ts_format}", "");
        Path file = dir.resolve("pipeline.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private Result run(String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--data-dir", dir.resolve("no-demo").toString(), "--lake-root",
                dir.resolve("lake").toUri().toString(), "--bootstrap-servers", "127.0.0.1:1"));
        int exit = ReplayCommand.commandLine(new ReplayCommand(out, Replayer.Checkpoints.NONE))
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true))
                .execute(all.toArray(String[]::new));
        String output = buffer.toString(StandardCharsets.UTF_8).trim();
        return new Result(exit, output.startsWith("[sluice replay] error: ")
                ? output.substring("[sluice replay] error: ".length()) : output);
    }

    private record Result(int exit, String output) {
    }
}
