package dev.sluice.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EtlCommandTest {
    private static final List<String> REQUIRED = List.of("--pipeline", "src/test/resources/pipelines/sla-orders.yaml",
            "--bootstrap-servers", "127.0.0.1:9", "--lake-root", "/tmp/lake");

    @Test
    void freshAndFromSavepointExcludeEachOther() {
        assertUsageError(List.of("--fresh", "--from-savepoint", "/tmp/sp"), "--fresh and --from-savepoint exclude each other");
    }

    @Test
    void freshIsRefusedForAClusterSubmission() {
        assertUsageError(List.of("--fresh", "--jobmanager", "127.0.0.1:8081"), "--fresh applies to local runs");
    }

    @Test
    void nonPositiveStatusIntervalIsRefused() {
        assertUsageError(List.of("--status-interval", "0"), "--status-interval must be positive");
    }

    @Test
    void aMissingJobJarIsNamed() {
        assertUsageError(List.of("--jobmanager", "127.0.0.1:8081", "--job-jar", "/nonexistent/job.jar"),
                "--job-jar /nonexistent/job.jar is not a file");
    }

    @Test
    void clusterArgumentsParseBackToTheSameOptions() {
        EtlCommand command = new EtlCommand();
        new CommandLine(command).parseArgs("--pipeline", "p.yaml", "--bootstrap-servers", "k:9092", "--lake-root", "s3a://lake/x",
                "--checkpoint-interval", "5", "--parallelism", "3", "--metastore-uri", "thrift://hms:9083",
                "--s3-endpoint", "http://minio:9000", "--jobmanager", "flink:8081");
        List<String> args = command.options.toArgs("/etc/p.yaml", "s3a://lake/ckpt");

        EtlJobMain main = new EtlJobMain();
        new CommandLine(main).parseArgs(args.toArray(String[]::new));
        EtlOptions parsed = main.options;
        assertThat(parsed.pipeline).isEqualTo("/etc/p.yaml");
        assertThat(parsed.bootstrapServers).isEqualTo("k:9092");
        assertThat(parsed.lakeRoot).isEqualTo("s3a://lake/x");
        assertThat(parsed.checkpointDir).isEqualTo("s3a://lake/ckpt");
        assertThat(parsed.checkpointInterval).hasSeconds(5);
        assertThat(parsed.parallelism).isEqualTo(3);
        assertThat(parsed.metastoreUri).isEqualTo("thrift://hms:9083");
        assertThat(parsed.s3Endpoint).isEqualTo("http://minio:9000");
        assertThat(parsed.localPipeline()).isEqualTo(Path.of("/etc/p.yaml"));
    }

    @Test
    void theJobMainRejectsMissingArgumentsWithoutExiting() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EtlJobMain.main(new String[] {"--pipeline", "p.yaml"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--bootstrap-servers")
                .hasMessageContaining("--lake-root");
    }

    private static void assertUsageError(List<String> extra, String message) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new EtlCommand()).setErr(new PrintWriter(err));
        String[] args = java.util.stream.Stream.concat(REQUIRED.stream(), extra.stream()).toArray(String[]::new);
        assertThat(commandLine.execute(args)).isEqualTo(2);
        assertThat(err.toString()).contains(message);
    }
}
