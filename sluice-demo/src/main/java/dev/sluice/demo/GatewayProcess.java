package dev.sluice.demo;

import dev.sluice.infra.process.ChildJvm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ingest gateway's packaged application ({@code quarkus-run.jar}) in a child JVM with the
 * {@code demo} profile: the three demo sources, one API key given by its SHA-256.
 */
public final class GatewayProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final ChildJvm jvm;
    private final String baseUrl;

    private GatewayProcess(ChildJvm jvm, String baseUrl) {
        this.jvm = jvm;
        this.baseUrl = baseUrl;
    }

    /** Starts the gateway and returns once {@code /q/health/ready} answers 200. */
    public static GatewayProcess start(Path app, int port, String bootstrapServers, String keySha256, Path logFile)
            throws InterruptedException {
        return start(app, port, bootstrapServers, keySha256, logFile, Map.of());
    }

    /**
     * Like {@link #start(Path, int, String, String, Path)}, with gateway settings on top of the demo
     * profile's, e.g. {@code sluice.gateway.sources.app-logs.rate-limit=400} (tests of limits).
     */
    public static GatewayProcess start(Path app, int port, String bootstrapServers, String keySha256, Path logFile,
                                       Map<String, String> settings) throws InterruptedException {
        if (!Files.isRegularFile(app)) {
            throw new IllegalStateException("gateway application " + app
                    + " is missing: build it with ./mvnw -B install -DskipTests (./sluice does this on first use)");
        }
        ChildJvm jvm = ChildJvm.builder("ingest-gateway")
                .classpath(List.of(app.toAbsolutePath().toString()))
                .mainClass("io.quarkus.bootstrap.runner.QuarkusEntryPoint")
                .jvmArgs(jvmArgs(port, bootstrapServers, settings))
                .environment("SLUICE_DEMO_KEY_SHA256", keySha256)
                .logFile(logFile)
                .build();
        jvm.start();
        GatewayProcess gateway = new GatewayProcess(jvm, "http://127.0.0.1:" + port);
        gateway.awaitReady();
        return gateway;
    }

    private static List<String> jvmArgs(int port, String bootstrapServers, Map<String, String> settings) {
        List<String> args = new ArrayList<>(List.of("-Xmx512m", "-Dquarkus.profile=demo",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-Dkafka.bootstrap.servers=" + bootstrapServers));
        settings.forEach((key, value) -> args.add("-D" + key + "=" + value));
        return args;
    }

    public String baseUrl() {
        return baseUrl;
    }

    private void awaitReady() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!jvm.isAlive()) {
                throw new IllegalStateException("the gateway exited during start-up; see " + jvm.logFile());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYetListening) {
                // Keep polling until the deadline.
            }
            Thread.sleep(250);
        }
        jvm.stop();
        throw new IllegalStateException("the gateway was not ready within " + READY_TIMEOUT + "; see " + jvm.logFile());
    }

    @Override
    public void close() {
        jvm.stop();
    }
}
