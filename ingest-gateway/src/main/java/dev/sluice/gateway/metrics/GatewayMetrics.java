package dev.sluice.gateway.metrics;

import dev.sluice.gateway.admission.InFlightBudget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Every gateway metric, under the names ARCHITECTURE.md fixes (dashboards and alerts use only these).
 * In Prometheus form:
 * <ul>
 *   <li>{@code sluice_gateway_records_total{source,outcome}}: outcome {@code accepted} (acked on the raw
 *       topic), {@code rejected} (refused by validation), {@code dlq} (a rejected record acked on the
 *       DLQ), {@code unacknowledged} (valid, but Kafka did not ack it before the answer: the client got 503);</li>
 *   <li>{@code sluice_gateway_request_seconds{source,status}}: request latency histogram;</li>
 *   <li>{@code sluice_gateway_bytes_in_total{source}}: request body bytes after decompression;</li>
 *   <li>{@code sluice_gateway_kafka_unavailable_total}: requests answered 503 because Kafka did not ack;</li>
 *   <li>{@code sluice_gateway_in_flight_requests}, {@code sluice_gateway_in_flight_bytes}: held now;</li>
 *   <li>{@code sluice_gateway_kafka_ready}: 1 while Kafka answers (the readiness check, run at each scrape),
 *       else 0 — what {@code /q/health/ready} says, for alerting without a probe;</li>
 *   <li>{@code sluice_gateway_stage_seconds{stage}}: count, sum and max of each stage of the requests that
 *       reached Kafka ({@link RequestClock}): where a request's time goes, for profiling. The producer's
 *       own client metrics ({@code kafka_producer_record_queue_time_avg}, {@code
 *       kafka_producer_request_latency_avg}, {@code kafka_producer_records_per_request_avg}, published by
 *       Quarkus) split the {@code kafka} stage into the wait for the batch to leave and the broker's answer.</li>
 * </ul>
 * Requests to unknown sources are tagged {@code source="unknown"} so that a scan of random paths
 * cannot blow up the series count.
 */
@Singleton
public class GatewayMetrics {
    public static final String UNKNOWN_SOURCE = "unknown";

    public enum Outcome {
        ACCEPTED, REJECTED, DLQ, UNACKNOWLEDGED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final Counter kafkaUnavailable;
    private final Map<String, Counter> records = new ConcurrentHashMap<>();
    private final Map<String, Counter> bytesIn = new ConcurrentHashMap<>();
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    private final Timer[] stages = new Timer[RequestClock.Stage.values().length];

    public GatewayMetrics(MeterRegistry registry, InFlightBudget budget) {
        this.registry = registry;
        this.kafkaUnavailable = Counter.builder("sluice.gateway.kafka.unavailable")
                .description("Requests answered 503 because Kafka did not acknowledge their records in time")
                .register(registry);
        Gauge.builder("sluice.gateway.in.flight.requests", budget, InFlightBudget::requests)
                .description("Requests being read or awaiting Kafka acks")
                .register(registry);
        Gauge.builder("sluice.gateway.in.flight.bytes", budget, InFlightBudget::bytes)
                .description("Record bytes read but not yet acknowledged or failed by Kafka")
                .register(registry);
        for (RequestClock.Stage stage : RequestClock.Stage.values()) {
            // No histogram: a stage's mean (sum / count) and max are what a profile needs, at the cost of a
            // few atomic adds per request.
            stages[stage.ordinal()] = Timer.builder("sluice.gateway.stage")
                    .description("Time of each stage of a request that reached Kafka (see RequestClock)")
                    .tag("stage", stage.tag())
                    .register(registry);
        }
    }

    /** Records the stages of a request answered now, if it got as far as Kafka's answer. */
    public void stages(RequestClock clock) {
        if (clock.complete()) {
            long[] nanos = clock.stages(System.nanoTime());
            for (int i = 0; i < nanos.length; i++) {
                stages[i].record(nanos[i], TimeUnit.NANOSECONDS);
            }
        }
    }

    public void records(String source, Outcome outcome, long count) {
        if (count > 0) {
            records.computeIfAbsent(source + '\u0000' + outcome.tag(), k -> Counter.builder("sluice.gateway.records")
                    .description("Records by source and outcome")
                    .tag("source", source)
                    .tag("outcome", outcome.tag())
                    .register(registry)).increment(count);
        }
    }

    public void bytesIn(String source, long bytes) {
        if (bytes > 0) {
            bytesIn.computeIfAbsent(source, s -> Counter.builder("sluice.gateway.bytes.in")
                    .description("Request body bytes after decompression")
                    .tag("source", s)
                    .register(registry)).increment(bytes);
        }
    }

    public void request(String source, int status, long nanos) {
        latency.computeIfAbsent(source + '\u0000' + status, k -> Timer.builder("sluice.gateway.request")
                .description("Time from request start to answer, acks included")
                .tag("source", source)
                .tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Registers the readiness gauge; {@code check} asks Kafka (bounded by the health timeout). */
    public void kafkaReady(BooleanSupplier check) {
        Gauge.builder("sluice.gateway.kafka.ready", check, c -> c.getAsBoolean() ? 1 : 0)
                .description("1 while Kafka answers the readiness check, else 0")
                .strongReference(true)
                .register(registry);
    }

    public void kafkaUnavailable() {
        kafkaUnavailable.increment();
    }
}
