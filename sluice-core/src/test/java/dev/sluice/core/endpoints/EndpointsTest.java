package dev.sluice.core.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointsTest {

    @TempDir
    Path dir;

    @Test
    void writesTheContractShapeLeavesOutAbsentPartsAndReadsItBack() throws Exception {
        Endpoints endpoints = new Endpoints("http://127.0.0.1:8080", "SLUICE_DEMO_API_KEY", "127.0.0.1:9092",
                "http://127.0.0.1:8081", "http://127.0.0.1:9249/metrics", "http://127.0.0.1:8080/q/metrics",
                "file:///data/lake", "/data/checkpoints", null);

        Path file = endpoints.writeTo(dir);

        String json = Files.readString(file);
        assertThat(file).isEqualTo(dir.resolve("endpoints.json"));
        assertThat(json).contains("\"gateway\"", "\"api_key_env\"", "\"bootstrap_servers\"", "\"flink_ui\"",
                "\"job_metrics\"", "\"gateway_metrics\"", "\"lake_root\"", "\"checkpoint_dir\"")
                .doesNotContain("metastore_uri");
        assertThat(Endpoints.readFrom(dir)).isEqualTo(endpoints);
        Endpoints.removeFrom(dir);
        assertThat(file).doesNotExist();
    }

    @Test
    void ignoresKeysItDoesNotKnowAndSaysWhatToDoWhenAbsent() throws Exception {
        Files.writeString(dir.resolve("endpoints.json"),
                "{\"bootstrap_servers\": \"127.0.0.1:1\", \"grafana\": \"http://127.0.0.1:3000\"}");
        assertThat(Endpoints.readFrom(dir).bootstrapServers()).isEqualTo("127.0.0.1:1");

        Path empty = dir.resolve("empty");
        assertThatThrownBy(() -> Endpoints.readFrom(empty))
                .hasMessageContaining("endpoints.json")
                .hasMessageContaining("sluice demo --keep-running");
    }

    @Test
    void prometheusIsWrittenWhenRunningAndLeftOutOtherwise() throws Exception {
        Endpoints endpoints = new Endpoints("http://127.0.0.1:8080", "SLUICE_DEMO_API_KEY", "127.0.0.1:9092",
                "http://127.0.0.1:8081", "http://127.0.0.1:9249/metrics", "http://127.0.0.1:8080/q/metrics",
                "file:///tmp/lake/", "/tmp/checkpoints", null);
        endpoints.writeTo(dir);
        assertThat(Files.readString(Endpoints.fileIn(dir))).doesNotContain("prometheus");
        assertThat(Endpoints.readFrom(dir).prometheus()).isNull();

        endpoints.withPrometheus("http://127.0.0.1:9090").writeTo(dir);
        assertThat(Files.readString(Endpoints.fileIn(dir))).contains("\"prometheus\" : \"http://127.0.0.1:9090\"");
        Endpoints read = Endpoints.readFrom(dir);
        assertThat(read.prometheus()).isEqualTo("http://127.0.0.1:9090");
        assertThat(read.flinkUi()).isEqualTo("http://127.0.0.1:8081");
    }
}
