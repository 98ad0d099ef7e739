package dev.sluice.demo.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.demo.GatewayProcess;
import dev.sluice.infra.kafka.KafkaBroker;
import dev.sluice.infra.kafka.KafkaBrokers;
import dev.sluice.infra.process.Ports;
import dev.sluice.job.EtlJob;
import dev.sluice.job.TableTarget;
import dev.sluice.job.runtime.LocalFlink;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst at ten times the sustainable rate for 30 s, end to end: the app-logs source is limited to
 * {@value #RATE} records/s and the gateway's in-flight byte budget is small; shippers offer ten times
 * the rate at a fixed pace (a misbehaving client: a batch answered 429 or 503 is re-sent at its next tick,
 * not after {@code Retry-After}). The gateway must shed with 429/503 while its in-flight bytes stay within
 * the budget, the job's backlog must drain after the burst, and every acknowledged event must be a table
 * row exactly once.
 */
class BurstITCase {
    private static final String API_KEY = "sk-burst-test";
    private static final int RATE = 300;
    private static final int BATCH = 150;
    private static final int SHIPPERS = 6;
    private static final long BUDGET_BYTES = 64 * 1024;
    private static final Duration BURST = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aTenfoldBurstIsShedWithinTheMemoryBoundAndEveryAcknowledgedEventLands() throws Exception {
        Path repo = Path.of(System.getProperty("user.dir")).getParent();
        try (KafkaBroker broker = KafkaBrokers.start(dir.resolve("kafka"));
             GatewayProcess gateway = GatewayProcess.start(repo.resolve("ingest-gateway/target/quarkus-app/quarkus-run.jar"),
                     Ports.free(), broker.bootstrapServers(), sha256(API_KEY), dir.resolve("gateway.log"),
                     Map.of("sluice.gateway.sources.app-logs.rate-limit", String.valueOf(RATE),
                             "sluice.gateway.limits.max-in-flight-bytes", String.valueOf(BUDGET_BYTES)));
             LocalFlink flink = LocalFlink.start(2, 0, dir.resolve("checkpoints"), Duration.ofSeconds(2))) {
            EtlJob job = EtlJob.builder()
                    .pipeline(PipelineConfigLoader.load(Path.of("src/test/resources/pipelines/e2e-app-logs.yaml")))
                    .bootstrapServers(broker.bootstrapServers()).lakeRoot(dir.resolve("lake").toString()).build();
            StreamExecutionEnvironment env = flink.newEnvironment(1);
            job.attachTo(env);
            flink.submit(env, job.name());
            TableTarget table = job.targets().get(0);

            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            AtomicLong maxInFlight = new AtomicLong(-1);
            AtomicInteger nextBatch = new AtomicInteger();
            AtomicInteger attempts = new AtomicInteger();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            Instant end = Instant.now().plus(BURST);
            // Ten times the rate over all shippers: each offers a batch every SHIPPERS * BATCH / (10 * RATE) s.
            long pace = SHIPPERS * BATCH * 1000L / (10L * RATE);
            ExecutorService pool = Executors.newFixedThreadPool(SHIPPERS + 1);
            List<Future<?>> shippers = new ArrayList<>();
            for (int s = 0; s < SHIPPERS; s++) {
                shippers.add(pool.submit(() -> ship(http, gateway.baseUrl(), end, pace, nextBatch, attempts, acknowledged,
                        statuses)));
            }
            Future<?> sampler = pool.submit(() -> sampleInFlight(http, gateway.baseUrl(), end, maxInFlight));
            for (Future<?> shipper : shippers) {
                shipper.get(2, TimeUnit.MINUTES);
            }
            sampler.get(1, TimeUnit.MINUTES);
            pool.shutdown();
            Instant burstEnd = Instant.now();

            List<Row> rows = new ArrayList<>();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                rows.clear();
                rows.addAll(table.readAll());
                return rows.size() >= acknowledged.size();
            });
            Instant drained = Instant.now();
            long offeredPerSecond = (long) attempts.get() * BATCH / BURST.toSeconds();
            System.out.printf("burst: %d events/s offered for %d s (%.1fx the %d/s limit), %d acknowledged, answers %s, "
                    + "max in-flight %d of %d bytes; backlog in the table %.1f s after the burst%n",
                    offeredPerSecond, BURST.toSeconds(), offeredPerSecond / (double) RATE, RATE, acknowledged.size(),
                    statuses, maxInFlight.get(), BUDGET_BYTES, Duration.between(burstEnd, drained).toMillis() / 1000.0);
            // Ten times is the aim; a loaded machine's HTTP round trips may keep the shippers below it.
            assertThat(offeredPerSecond).as("offered load").isGreaterThanOrEqualTo(5L * RATE);

            assertThat(statuses.getOrDefault(429, new AtomicInteger()).get() + statuses.getOrDefault(503, new AtomicInteger()).get())
                    .as("the gateway shed the burst").isPositive();
            assertThat(statuses.keySet()).isSubsetOf(200, 429, 503);
            assertThat(maxInFlight.get()).as("in-flight bytes sampled, within the budget")
                    .isNotNegative().isLessThanOrEqualTo(BUDGET_BYTES);
            assertThat(acknowledged.size()).as("at least the sustainable rate got through")
                    .isGreaterThanOrEqualTo(RATE * (int) BURST.toSeconds() / 2);
            List<String> keys = rows.stream().map(r -> (String) r.getField("event_id")).toList();
            assertThat(keys).doesNotHaveDuplicates();
            assertThat(new TreeSet<>(keys)).isEqualTo(new TreeSet<>(acknowledged));
        }
    }

    /** A shipper: one request per pace tick (fixed rate); a batch answered 429/503 is re-sent at the next. */
    private static Void ship(HttpClient http, String baseUrl, Instant end, long pace, AtomicInteger nextBatch,
                             AtomicInteger attempts, Set<String> acknowledged, Map<Integer, AtomicInteger> statuses)
            throws Exception {
        List<String> keys = null;
        long tick = System.nanoTime();
        while (Instant.now().isBefore(end) || keys != null) {
            if (keys == null) {
                int b = nextBatch.getAndIncrement();
                keys = IntStream.range(b * BATCH, (b + 1) * BATCH).mapToObj(i -> "b-" + i).toList();
            }
            String body = keys.stream().map(BurstITCase::event).collect(Collectors.joining("\n", "", "\n"));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/logs/app-logs"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + API_KEY)
                    .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (Instant.now().isBefore(end)) {
                attempts.incrementAndGet();
            }
            statuses.computeIfAbsent(response.statusCode(), c -> new AtomicInteger()).incrementAndGet();
            if (response.statusCode() == 200) {
                acknowledged.addAll(keys);
                keys = null;
            } else if (response.statusCode() != 429 && response.statusCode() != 503) {
                throw new AssertionError("unexpected " + response.statusCode() + ": " + response.body());
            }
            tick += pace * 1_000_000;
            long wait = (tick - System.nanoTime()) / 1_000_000;
            // After the burst, a batch still refused is re-sent at the rate the gateway asks for.
            Thread.sleep(Instant.now().isBefore(end) ? Math.max(0, wait) : 1000);
        }
        return null;
    }

    private static Void sampleInFlight(HttpClient http, String baseUrl, Instant end, AtomicLong max) throws Exception {
        while (Instant.now().isBefore(end)) {
            String metrics = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            metrics.lines().filter(l -> l.startsWith("sluice_gateway_in_flight_bytes"))
                    .forEach(l -> max.accumulateAndGet((long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)),
                            Math::max));
            Thread.sleep(200);
        }
        return null;
    }

    private static String sha256(String value) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static String event(String key) {
        return "{\"event_id\":\"" + key + "\",\"ts\":\"2026-11-23T10:00:00Z\",\"level\":\"INFO\",\"msg\":\"burst\","
                + "\"latency_ms\":1,\"user\":{\"id\":1},\"dt\":\"2026-11-23\"}";
    }
}
