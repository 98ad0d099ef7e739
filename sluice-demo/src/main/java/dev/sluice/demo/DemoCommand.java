package dev.sluice.demo;

import dev.sluice.core.endpoints.Endpoints;
import dev.sluice.infra.process.Ports;
import dev.sluice.infra.prometheus.PrometheusServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice demo}: the whole platform on this machine, fed with generated logs. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Starts a Kafka broker, the ingest gateway and the ETL jobs locally, posts generated logs "
                + "over HTTP, waits until they are committed and prints what landed in each table.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--events", defaultValue = "10000", description = "Log lines to generate across the three sources (default ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--data-dir", defaultValue = "data", description = "Directory for broker data, lake tables, metastore, checkpoints and logs (default ./${DEFAULT-VALUE}); its kafka/, lake/, checkpoints/ and metastore/ are emptied at start.")
    Path dataDir;

    @Option(names = "--port", defaultValue = "8080", description = "Gateway HTTP port on 127.0.0.1 (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bad-ratio", defaultValue = "0.01", description = "Share of generated lines that fail the ETL on purpose, 0..1 (default ${DEFAULT-VALUE}).")
    double badRatio;

    @Option(names = "--summary-json", description = "Also write the closing summary as JSON to this file.")
    Path summaryJson;

    @Option(names = "--keep-running", description = "Keep broker, gateway and jobs up after the summary until Ctrl-C / SIGTERM.")
    boolean keepRunning;

    @Option(names = "--pipelines-dir", description = "Directory of the demo's pipeline configs <source>.yaml (default: examples/pipelines of the repository). The jobs re-read them at every checkpoint: light edits (paths, formats, filters) apply without a restart.")
    Path pipelinesDir;

    @Option(names = "--prometheus", description = "With --keep-running: also start Prometheus (the prometheus binary on the PATH, "
            + "e.g. Debian's package) with observability/prometheus/ config and rules, scraping the gateway and the jobs; "
            + "its URL is printed and written to DIR/endpoints.json. Skipped with a note when the binary is missing.")
    boolean prometheus;

    @Option(names = "--home", defaultValue = "${sys:sluice.home:-.}", hidden = true, description = "Repository root.")
    Path home;

    @Override
    public Integer call() throws Exception {
        if (events < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--events must be at least 1, was " + events);
        }
        if (badRatio < 0 || badRatio > 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--bad-ratio must be within 0..1, was " + badRatio);
        }
        if (prometheus && !keepRunning) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--prometheus needs --keep-running (Prometheus scrapes the stack while it keeps running)");
        }
        // Before anything logs: log4j2 reads this when it initialises.
        System.setProperty("sluice.log.file", dataDir.toAbsolutePath().resolve("logs").resolve("sluice.log").toString());
        String apiKey = System.getenv(DemoSettings.API_KEY_ENV);
        boolean generated = apiKey == null || apiKey.isBlank();
        if (generated) {
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            apiKey = "sk-demo-" + HexFormat.of().formatHex(bytes);
            System.out.println("[sluice demo] generated API key (set SLUICE_DEMO_API_KEY to choose one): " + apiKey);
        }
        DemoSettings settings = new DemoSettings(events, badRatio, dataDir.toAbsolutePath(), port, apiKey,
                home.resolve("ingest-gateway/target/quarkus-app/quarkus-run.jar"),
                pipelinesDir != null ? pipelinesDir.toAbsolutePath() : home.resolve("examples/pipelines"));
        long started = System.nanoTime();
        Demo.Result result = new Demo(settings, System.out).run();
        System.out.println();
        System.out.print(result.summary().render());
        System.out.printf("done in %.1f s; logs in %s%n", (System.nanoTime() - started) / 1e9, dataDir.resolve("logs"));
        if (summaryJson != null) {
            result.summary().writeJson(summaryJson);
            System.out.println("summary written to " + summaryJson);
        }
        if (keepRunning) {
            waitForSignal(result, apiKey, settings);
        } else {
            result.stack().close();
        }
        return 0;
    }

    private void waitForSignal(Demo.Result result, String apiKey, DemoSettings settings) throws Exception {
        Path dataDir = settings.dataDir();
        LocalStack stack = result.stack();
        PrometheusServer server = prometheus ? startPrometheus(stack, dataDir) : null;
        System.out.println();
        System.out.println("running; Ctrl-C or SIGTERM stops everything (jobs stop with a savepoint)");
        System.out.println("  gateway:   " + stack.gateway().baseUrl() + "/v1/logs/{app-logs|game-ops|nginx-access}");
        System.out.println("  API key:   " + apiKey);
        System.out.println("  metrics:   " + stack.gateway().baseUrl() + "/q/metrics (gateway), http://127.0.0.1:"
                + stack.prometheusPort() + "/metrics (jobs, SLA gauges)");
        System.out.println("  Flink UI:  " + stack.flink().webUi());
        System.out.println("  Kafka:     " + stack.broker().bootstrapServers());
        if (stack.metastoreUri() != null) {
            System.out.println("  metastore: " + stack.metastoreUri());
        }
        if (server != null) {
            System.out.println("  Prometheus: " + server.url() + " (rules and alerts of observability/prometheus; "
                    + "dashboards: observability/grafana, README \"Dashboards\")");
        }
        System.out.println("  try: curl -H 'Authorization: Bearer " + apiKey + "' -H 'Content-Type: application/x-ndjson' --data-binary '{\"ts\":\"2026-11-23T10:00:00Z\",\"level\":\"INFO\",\"msg\":\"hi\"}' " + stack.gateway().baseUrl() + "/v1/logs/app-logs");
        Endpoints running = stack.endpoints(settings.lakeRoot(), dataDir);
        Path endpoints = (server == null ? running : running.withPrometheus(server.url())).writeTo(dataDir);
        System.out.println("  endpoints: " + endpoints + " (sluice replay, sluice sla and other commands read it)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("[sluice demo] stopping");
            Endpoints.removeFrom(dataDir);
            try {
                if (server != null) {
                    server.close();
                }
                stack.close();
            } catch (Exception e) {
                System.err.println("[sluice demo] clean shutdown failed: " + e);
            }
            stopped.countDown();
        }, "demo-shutdown"));
        stopped.await();
    }

    /** Prometheus on a free port with the repository's observability config, or null with a note. */
    private PrometheusServer startPrometheus(LocalStack stack, Path dir) throws Exception {
        Optional<Path> binary = PrometheusServer.onPath("prometheus");
        if (binary.isEmpty()) {
            System.out.println("[sluice demo] --prometheus: no prometheus binary on the PATH (Debian: apt-get install -y "
                    + "prometheus); continuing without it");
            return null;
        }
        Path observability = home.toAbsolutePath().resolve("observability/prometheus");
        List<Path> rules;
        try (Stream<Path> files = Files.list(observability.resolve("rules"))) {
            rules = files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
        }
        Path data = dir.resolve("prometheus");
        // Each run starts from empty, like the broker and the lake: no series of a previous stack.
        if (Files.isDirectory(data)) {
            try (Stream<Path> old = Files.walk(data)) {
                old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.println("[sluice demo] starting Prometheus (" + binary.get() + ")");
        try {
            return PrometheusServer.builder()
                    .binary(binary.get())
                    .config(observability.resolve("prometheus.yml"))
                    .ruleFiles(rules)
                    .target("sluice-gateway", stack.gateway().baseUrl().replace("http://", ""))
                    .target("sluice-flink", "127.0.0.1:" + stack.prometheusPort())
                    .scrapeInterval(Duration.ofSeconds(5))
                    .dataDir(data)
                    .port(Ports.free())
                    .start();
        } catch (IOException | RuntimeException e) {
            // The stack is up and useful without it: say why and carry on.
            System.out.println("[sluice demo] --prometheus: Prometheus did not start (" + e.getMessage()
                    + "); continuing without it, see " + data.resolve("prometheus.log"));
            return null;
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new DemoCommand())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("[sluice demo] failed: " + e.getMessage());
                    cmd.getErr().println("[sluice demo] details in the logs under --data-dir (logs/sluice.log, logs/gateway.log)");
                    return 1;
                })
                .execute(args));
    }
}
