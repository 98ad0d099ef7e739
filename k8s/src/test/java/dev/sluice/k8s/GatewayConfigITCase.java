package dev.sluice.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.infra.process.Ports;
import dev.sluice.k8s.ManifestCheck.Target;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's packaged application started the way the overlays' Deployment starts it: the files of the
 * ConfigMap sluice-gateway-config and the Secret sluice-gateway-api-keys, named by the Deployment's
 * QUARKUS_CONFIG_LOCATIONS. No broker: the point is that the configuration is accepted and means what the
 * manifests say (dev's key authenticates, an unknown key does not; prod's placeholders stop the start).
 */
class GatewayConfigITCase {
    private static final Path APP = ManifestCheck.repo().resolve("ingest-gateway/target/quarkus-app/quarkus-run.jar");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @BeforeAll
    static void kubectl() {
        KubectlAvailable.assume();
        assertThat(APP).as("the gateway is packaged before k8s (reactor order)").exists();
    }

    @Test
    void devConfigurationServesItsSourcesWithItsKey() throws Exception {
        int port = Ports.free();
        Process gateway = start(ManifestCheck.TARGETS.get(0), port);
        try {
            String base = "http://127.0.0.1:" + port;
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> status(get(base + CrossChecks.LIVE_PATH)) == 200);
            // Ready only while Kafka answers: there is no broker here.
            assertThat(status(get(base + CrossChecks.READY_PATH))).isEqualTo(503);
            assertThat(status(post(base + "/v1/logs/app-logs", "not-a-key"))).isEqualTo(401);
            HttpResponse<String> withKey = HTTP.send(post(base + "/v1/logs/app-logs", "sluice-dev-key"), HttpResponse.BodyHandlers.ofString());
            // Authenticated and bound to the source, validated, then refused only because Kafka is absent.
            assertThat(withKey.statusCode()).isEqualTo(503);
            assertThat(withKey.body()).contains("KAFKA_UNAVAILABLE");
            assertThat(status(post(base + "/v1/logs/no-such-source", "sluice-dev-key"))).isEqualTo(404);
        } finally {
            gateway.destroy();
            if (!gateway.waitFor(30, TimeUnit.SECONDS)) {
                gateway.destroyForcibly();
            }
        }
    }

    @Test
    void prodPlaceholdersStopTheGatewayNamingEachKey() throws Exception {
        Process gateway = start(ManifestCheck.TARGETS.get(2), Ports.free());
        try {
            assertThat(gateway.waitFor(90, TimeUnit.SECONDS)).as("the gateway exits").isTrue();
            assertThat(gateway.exitValue()).isNotZero();
            assertThat(Files.readString(dir.resolve("gateway.log"), StandardCharsets.UTF_8))
                    .contains("sluice.gateway.api-keys.applications.sha256: must be the lower-case hex SHA-256 of the key");
        } finally {
            gateway.destroyForcibly();
        }
    }

    /** Writes the mounted files as the kubelet would and starts the gateway with the Deployment's settings. */
    private Process start(Target overlay, int port) throws IOException {
        Rendered rendered = ManifestCheck.render(ManifestCheck.repo(), overlay);
        Path config = dir.resolve("gateway/application.yaml");
        Path keys = dir.resolve("gateway-keys/api-keys.yaml");
        Files.createDirectories(config.getParent());
        Files.createDirectories(keys.getParent());
        Files.writeString(config, rendered.findGenerated("ConfigMap", "sluice-gateway-config").orElseThrow()
                .path("data").path("application.yaml").asText());
        Files.write(keys, Base64.getMimeDecoder().decode(rendered.findGenerated("Secret", "sluice-gateway-api-keys").orElseThrow()
                .path("data").path("api-keys.yaml").asText()));
        JsonNode container = rendered.find("Deployment", CrossChecks.GATEWAY).orElseThrow()
                .path("spec").path("template").path("spec").path("containers").get(0);
        String locations = null;
        for (JsonNode env : container.path("env")) {
            if (env.path("name").asText().equals("QUARKUS_CONFIG_LOCATIONS")) {
                locations = env.path("value").asText();
            }
        }
        assertThat(locations).isEqualTo("/etc/sluice/gateway/application.yaml,/etc/sluice/gateway-keys/api-keys.yaml");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", APP.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("gateway.log").toFile());
        builder.environment().put("QUARKUS_CONFIG_LOCATIONS", locations.replace("/etc/sluice/", dir + "/"));
        // Nothing listens on port 9: Kafka is unreachable, as during an outage.
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9");
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        return builder.start();
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
    }

    private static HttpRequest post(String url, String key) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"level\":\"INFO\",\"msg\":\"k8s\"}")).build();
    }

    private static int status(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
