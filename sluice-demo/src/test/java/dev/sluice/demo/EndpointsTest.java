package dev.sluice.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointsTest {

    @Test
    void writtenEndpointsReadBackInOrderAndAreGoneAfterDelete(@TempDir Path dir) throws Exception {
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put(Endpoints.GATEWAY, "http://127.0.0.1:8080");
        endpoints.put(Endpoints.FLINK_UI, "http://127.0.0.1:8081");
        endpoints.put(Endpoints.PROMETHEUS, "http://127.0.0.1:9090");
        Endpoints.write(dir, endpoints);
        assertThat(Endpoints.read(dir)).containsExactlyEntriesOf(endpoints);
        assertThat(Files.readString(dir.resolve("endpoints.json"))).contains("\"prometheus\" : \"http://127.0.0.1:9090\"");
        assertThat(dir.resolve("endpoints.json.tmp")).doesNotExist();

        Endpoints.delete(dir);
        assertThatThrownBy(() -> Endpoints.read(dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("endpoints.json").hasMessageContaining("./sluice demo --keep-running");
    }
}
