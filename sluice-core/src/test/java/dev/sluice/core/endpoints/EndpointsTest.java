package dev.sluice.core.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointsTest {

    @Test
    void prometheusIsWrittenWhenRunningAndLeftOutOtherwise(@TempDir Path dir) throws Exception {
        Endpoints endpoints = new Endpoints("http://127.0.0.1:8080", "SLUICE_DEMO_API_KEY", "127.0.0.1:9092",
                "http://127.0.0.1:8081", "http://127.0.0.1:9249/metrics", "http://127.0.0.1:8080/q/metrics",
                "file:///tmp/lake/", "/tmp/checkpoints", null);
        endpoints.writeTo(dir);
        assertThat(Files.readString(Endpoints.fileIn(dir))).doesNotContain("prometheus", "metastore_uri");
        assertThat(Endpoints.readFrom(dir).prometheus()).isNull();

        endpoints.withPrometheus("http://127.0.0.1:9090").writeTo(dir);
        assertThat(Files.readString(Endpoints.fileIn(dir))).contains("\"prometheus\" : \"http://127.0.0.1:9090\"");
        Endpoints read = Endpoints.readFrom(dir);
        assertThat(read.prometheus()).isEqualTo("http://127.0.0.1:9090");
        assertThat(read.flinkUi()).isEqualTo("http://127.0.0.1:8081");

        Endpoints.removeFrom(dir);
        assertThatThrownBy(() -> Endpoints.readFrom(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("./sluice demo --keep-running");
    }
}
