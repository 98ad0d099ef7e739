package dev.sluice.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.demo.IngestClient;
import dev.sluice.demo.LocalStack;
import dev.sluice.demo.TopicAdmin;
import dev.sluice.infra.process.Ports;
import dev.sluice.infra.prometheus.PrometheusServer;
import dev.sluice.job.EtlJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboards and alerts against the real thing: a KRaft broker, the gateway's packaged app and an ETL
 * job on a Flink MiniCluster with the Prometheus reporter, fed over HTTP with half bad records (type
 * conversion errors), lines no table claims and lines the gateway rejects to its DLQ; a real Prometheus
 * loads {@code prometheus/prometheus.yml} (targets filled in, 1 s intervals) and the rule files (every
 * {@code for:} shortened to 5 s), scrapes both, and answers every panel's query. A panel whose query
 * names a metric the code does not emit returns nothing and fails this test; the error-ratio alert must
 * fire for real.
 */
class DashboardQueriesITCase {
    private static final String API_KEY = "sk-obs-it-key";
    private static final Duration PATIENCE = Duration.ofMinutes(4);

    @TempDir
    static Path dir;

    static LocalStack stack;
    static PrometheusServer prometheus;
    static ExecutorService traffic;
    static final AtomicBoolean sending = new AtomicBoolean(true);
    static Future<?> sender;
    static final AtomicLong accepted = new AtomicLong();

    @BeforeAll
    static void start() throws Exception {
        Path prometheusBinary = PrometheusTools.prometheus();
        Path repo = ObservabilityFiles.MODULE.getParent();
        stack = LocalStack.start(dir, repo.resolve("ingest-gateway/target/quarkus-app/quarkus-run.jar"), Ports.free(),
                API_KEY, 2, Duration.ofSeconds(2), false, step -> { });
        try (TopicAdmin topics = new TopicAdmin(stack.broker().bootstrapServers())) {
            topics.ensureTopics(List.of("raw-app-logs", "sluice-dlq"));
        }
        EtlJob job = EtlJob.builder()
                .pipeline(PipelineConfigLoader.load(Path.of("src/test/resources/obs-app-logs.yaml")))
                .bootstrapServers(stack.broker().bootstrapServers())
                .lakeRoot(dir.resolve("lake").toString())
                .build();
        stack.submit(job);

        prometheus = PrometheusServer.builder()
                .binary(prometheusBinary)
                .config(ObservabilityFiles.PROMETHEUS.resolve("prometheus.yml"))
                .ruleFiles(shortenedRules(Files.createDirectories(dir.resolve("rules"))))
                .target("sluice-gateway", stack.gateway().baseUrl().replace("http://", ""))
                .target("sluice-flink", "127.0.0.1:" + stack.prometheusPort())
                .scrapeInterval(Duration.ofSeconds(1))
                .dataDir(dir.resolve("prometheus"))
                .port(Ports.free())
                .start();

        // Traffic for the whole test, one batch a second, so that rates are rates (not one step).
        IngestClient client = new IngestClient(stack.gateway().baseUrl(), API_KEY);
        traffic = Executors.newSingleThreadExecutor();
        sender = traffic.submit(() -> {
            for (int round = 0; sending.get() && round < 600; round++) {
                List<String> lines = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    String id = "r" + round + "-" + i;
                    // Half bad: an n that is not a number fails the job's TYPE_CONVERSION.
                    String n = i % 2 == 0 ? "7" : "\"lots\"";
                    lines.add("{\"id\":\"" + id + "\",\"ts\":\"2026-11-23T10:00:00Z\",\"kind\":\"event\",\"n\":" + n + "}");
                }
                lines.add("{\"id\":\"n" + round + "\",\"note\":\"a kind no table claims\"}");
                lines.add("{not json");
                accepted.addAndGet(client.post("app-logs", "application/x-ndjson", lines).accepted());
                Thread.sleep(1000);
            }
            return null;
        });
    }

    @AfterAll
    static void stop() throws Exception {
        sending.set(false);
        try {
            if (sender != null) {
                sender.get(30, TimeUnit.SECONDS);
            }
        } finally {
            if (traffic != null) {
                traffic.shutdownNow();
            }
            if (prometheus != null) {
                prometheus.close();
            }
            if (stack != null) {
                stack.close();
            }
        }
    }

    @Test
    void everyPanelQueryReturnsSeriesAndTheErrorRatioAlertFires() throws Exception {
        // The template variables get what Grafana would offer: values Prometheus has for the labels.
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(2)).until(() ->
                senderAlive() && prometheus.query("sluice:table_records_in:sum{table!=\"_job\"}").size() > 0);
        JsonNode series = prometheus.query("sluice:table_records_in:sum{table!=\"_job\"}").get(0).path("metric");
        Map<String, String> variables = Map.of("job", series.path("job_name").asText(),
                "table", series.path("table").asText(), "source", "app-logs");
        // Flink's reporter turns characters Prometheus labels cannot hold into '_': obs.events → obs_events.
        assertThat(variables).containsEntry("table", "obs_events");

        List<ObservabilityFiles.Query> queries = ObservabilityFiles.panelQueries();
        List<String> empty = new ArrayList<>();
        try {
            await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(3)).until(() -> {
                senderAlive();
                empty.clear();
                for (ObservabilityFiles.Query query : queries) {
                    if (prometheus.query(query.substituted(variables)).isEmpty()) {
                        empty.add(query.toString());
                    }
                }
                return empty.isEmpty();
            });
        } finally {
            assertThat(empty).as("panel queries without a series (with %s)", variables).isEmpty();
        }

        // Half the table's records fail: the error-ratio alert goes pending, then firing (for: shortened).
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(2)).until(() -> !prometheus.query(
                "ALERTS{alertname=\"SluiceTableErrorRatioHigh\",alertstate=\"firing\"}").isEmpty());
        JsonNode alert = prometheus.query("ALERTS{alertname=\"SluiceTableErrorRatioHigh\",alertstate=\"firing\"}")
                .get(0).path("metric");
        assertThat(alert.path("table").asText()).isEqualTo("obs_events");
        assertThat(alert.path("severity").asText()).isEqualTo("warning");
        double ratio = prometheus.query("sluice:table_error_ratio:rate5m{table=\"obs_events\"}").get(0)
                .path("value").get(1).asDouble();
        assertThat(ratio).isBetween(0.3, 0.7);
        // The codes the job emitted are what "top error codes" shows.
        List<JsonNode> codes = prometheus.query("sum by (code) (sluice:table_errors_by_code:sum)");
        assertThat(codes).extracting(c -> c.path("metric").path("code").asText()).containsExactly("TYPE_CONVERSION");
        // 1 line in 12 matches no table: the no_table alert fires too.
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(2)).until(() -> !prometheus.query(
                "ALERTS{alertname=\"SluiceNoTableDropsRising\",alertstate=\"firing\"}").isEmpty());
        // And alerts that have no reason to fire stay silent on this healthy stack.
        assertThat(prometheus.query("ALERTS{alertname=~\"SluiceGatewayNotReady|SluiceTargetDown|SluiceJobRestarting\"}"))
                .isEmpty();
        assertThat(accepted.get()).isPositive();
    }

    /** True while the traffic thread runs; its failure (e.g. a refused post) fails the test at once. */
    private static boolean senderAlive() throws Exception {
        if (sender.isDone()) {
            sender.get();
            throw new IllegalStateException("the traffic thread stopped early");
        }
        return true;
    }

    /** The rule files with every {@code for:} at 5 s, so a real alert fires within the test's time. */
    private static List<Path> shortenedRules(Path target) throws Exception {
        List<Path> files = new ArrayList<>();
        for (Path file : ObservabilityFiles.ruleFiles()) {
            Path copy = target.resolve(file.getFileName());
            Files.writeString(copy, Files.readString(file).replaceAll("(?m)^(\\s+)for: \\S+$", "$1for: 5s"));
            files.add(copy);
        }
        return files;
    }
}
