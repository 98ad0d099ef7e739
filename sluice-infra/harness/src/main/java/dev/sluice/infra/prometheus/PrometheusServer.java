package dev.sluice.infra.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Prometheus server (the {@code prometheus} binary, e.g. Debian's package) started on a loopback
 * port with Sluice's configuration: {@code observability/prometheus/prometheus.yml} with its static
 * targets replaced by the local ones, its intervals shortened if asked, and the given rule files.
 *
 * <p>Usage:
 * <pre>{@code
 * try (PrometheusServer prometheus = PrometheusServer.builder()
 *         .config(repo.resolve("observability/prometheus/prometheus.yml"))
 *         .ruleFiles(List.of(rules))
 *         .target("sluice-gateway", "127.0.0.1:" + gatewayPort)
 *         .target("sluice-flink", "127.0.0.1:" + flinkReporterPort)
 *         .scrapeInterval(Duration.ofSeconds(1))
 *         .dataDir(dir)
 *         .start()) {
 *     List<JsonNode> series = prometheus.query("sluice:table_records_in:sum");
 * }
 * }</pre>
 *
 * <p>Scrape jobs of the template that get no target are dropped (nothing local to scrape). The process
 * is destroyed by {@link #close} and, should the JVM exit first, by a shutdown hook.
 */
public final class PrometheusServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PrometheusServer.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final String url;
    private final Path logFile;
    private final Thread shutdownHook;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PrometheusServer(Process process, String url, Path logFile) {
        this.process = process;
        this.url = url;
        this.logFile = logFile;
        this.shutdownHook = new Thread(process::destroy, "prometheus-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code name} (e.g. {@code prometheus}, {@code promtool}) on the {@code PATH}, if it is there. */
    public static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Base URL, {@code http://127.0.0.1:PORT}. */
    public String url() {
        return url;
    }

    public Path logFile() {
        return logFile;
    }

    /**
     * Runs an instant query through {@code /api/v1/query} and returns {@code data.result} (one element per
     * series for a vector). A query Prometheus rejects (bad PromQL) throws with Prometheus's message.
     */
    public List<JsonNode> query(String promql) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/api/v1/query?query="
                        + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new IllegalArgumentException("Prometheus rejected query " + promql + ": HTTP "
                    + response.statusCode() + " " + body.path("error").asText(response.body()));
        }
        List<JsonNode> result = new ArrayList<>();
        body.path("data").path("result").forEach(result::add);
        return result;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or has run: nothing to remove.
        }
        LOG.info("Prometheus at {} stopped", url);
    }

    /** Settings of a local Prometheus; {@link #start} validates them. */
    public static final class Builder {
        private Path binary;
        private Path config;
        private final List<Path> ruleFiles = new ArrayList<>();
        private final Map<String, List<String>> targets = new LinkedHashMap<>();
        private Duration scrapeInterval;
        private Path dataDir;
        private int port;

        /** The {@code prometheus} executable; default: the one on the {@code PATH}. */
        public Builder binary(Path value) {
            binary = value;
            return this;
        }

        /** The template configuration ({@code observability/prometheus/prometheus.yml}). */
        public Builder config(Path value) {
            config = value;
            return this;
        }

        /** Rule files to load instead of the template's {@code rule_files}. */
        public Builder ruleFiles(List<Path> values) {
            ruleFiles.addAll(values);
            return this;
        }

        /** A {@code host:port} scraped by the template's scrape job {@code job}. */
        public Builder target(String job, String hostPort) {
            targets.computeIfAbsent(job, j -> new ArrayList<>()).add(hostPort);
            return this;
        }

        /** Scrape and rule evaluation interval; default: the template's. */
        public Builder scrapeInterval(Duration value) {
            scrapeInterval = value;
            return this;
        }

        /** Where the generated configuration, the TSDB and the log go. */
        public Builder dataDir(Path value) {
            dataDir = value;
            return this;
        }

        /** Loopback port of the web API (required). */
        public Builder port(int value) {
            port = value;
            return this;
        }

        /** Writes the configuration, starts Prometheus and returns once {@code /-/ready} answers 200. */
        public PrometheusServer start() throws IOException, InterruptedException {
            Objects.requireNonNull(config, "config (observability/prometheus/prometheus.yml)");
            Objects.requireNonNull(dataDir, "dataDir");
            Path executable = binary != null ? binary : onPath("prometheus").orElseThrow(() ->
                    new IllegalStateException("no prometheus binary on the PATH (Debian: apt-get install -y prometheus)"));
            if (port <= 0) {
                throw new IllegalArgumentException("port must be set to a free port, was " + port);
            }
            Files.createDirectories(dataDir);
            Path generated = dataDir.resolve("prometheus.yml");
            Files.writeString(generated, configuration());
            Path log = dataDir.resolve("prometheus.log");
            String url = "http://127.0.0.1:" + port;
            Process process = new ProcessBuilder(executable.toString(),
                    "--config.file=" + generated,
                    "--storage.tsdb.path=" + dataDir.resolve("tsdb"),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--web.enable-lifecycle")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            PrometheusServer server = new PrometheusServer(process, url, log);
            try {
                server.awaitReady();
            } catch (IOException | InterruptedException | RuntimeException e) {
                server.close();
                throw e;
            }
            LOG.info("Prometheus {} at {} scraping {} (log {})", executable, url, targets, log);
            return server;
        }

        /** The template with local targets, intervals and rule files. */
        String configuration() throws IOException {
            ObjectNode root = (ObjectNode) YAML.readTree(config.toFile());
            if (scrapeInterval != null) {
                ObjectNode global = root.withObjectProperty("global");
                String interval = scrapeInterval.toMillis() + "ms";
                global.put("scrape_interval", interval);
                global.put("evaluation_interval", interval);
            }
            if (!ruleFiles.isEmpty()) {
                ArrayNode rules = root.putArray("rule_files");
                ruleFiles.forEach(f -> rules.add(f.toAbsolutePath().toString()));
            }
            ArrayNode jobs = root.withArrayProperty("scrape_configs");
            List<String> known = new ArrayList<>();
            for (int i = jobs.size() - 1; i >= 0; i--) {
                ObjectNode job = (ObjectNode) jobs.get(i);
                String name = job.path("job_name").asText();
                known.add(name);
                List<String> local = targets.get(name);
                if (local == null) {
                    jobs.remove(i);
                } else {
                    ArrayNode list = job.putArray("static_configs").addObject().putArray("targets");
                    local.forEach(list::add);
                }
            }
            for (String job : targets.keySet()) {
                if (!known.contains(job)) {
                    throw new IllegalArgumentException("target for scrape job '" + job + "', which " + config
                            + " does not define (it has " + known + ")");
                }
            }
            return YAML.writeValueAsString(root);
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url + "/-/ready")).timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited during start-up: " + tail());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // Keep polling until the deadline.
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("prometheus was not ready within " + READY_TIMEOUT + "; see " + logFile);
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(logFile);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    }
}
