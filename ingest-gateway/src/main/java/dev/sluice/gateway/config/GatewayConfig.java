package dev.sluice.gateway.config;

import dev.sluice.core.record.LogKind;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything the gateway is told from configuration. Rules across keys (an ops source needs a header
 * pattern, a key names only known sources...) are checked at startup by {@link SourceRegistry}, which
 * reports every problem in one pass.
 */
@ConfigMapping(prefix = "sluice.gateway")
public interface GatewayConfig {

    /** Topic that receives records refused by validation, with the reason in headers. */
    @WithName("dlq-topic")
    @WithDefault("sluice-dlq")
    String dlqTopic();

    /** Log sources by name; the name is the {@code {source}} path segment of {@code POST /v1/logs/{source}}. */
    Map<String, Source> sources();

    /** API keys by a descriptive name (the name is logged, the key never is). */
    @WithName("api-keys")
    Map<String, ApiKey> apiKeys();

    /** Bounds on what the gateway holds at once; beyond them requests get 503 OVERLOADED at once. */
    Limits limits();

    /** How long to wait for Kafka and what to tell clients when it does not answer. */
    Kafka kafka();

    interface Source {
        /** {@code ops} | {@code business} | {@code program}. */
        LogKind kind();

        /** {@code json}: every record is a JSON object; {@code text}: every record is one raw line. */
        SourceFormat format();

        /** Raw topic the source's valid records go to. */
        String topic();

        /**
         * Top-level field of the JSON record (of the JSON body for ops sources) appended to the Kafka
         * key: {@code source:value}. Records without it are keyed by the source alone.
         */
        @WithName("key-field")
        Optional<String> keyField();

        /**
         * Java regex an ops record must start with; what follows it must be a JSON object. Required
         * for {@code ops} sources, refused for others.
         */
        @WithName("header-pattern")
        Optional<String> headerPattern();

        /** Largest record in bytes; larger ones go to the DLQ (truncated) as RECORD_TOO_LARGE. */
        @WithName("max-record-bytes")
        @WithDefault("1048576")
        int maxRecordBytes();

        /** Largest request body in bytes after decompression; larger requests get 413 as a whole. */
        @WithName("max-request-bytes")
        @WithDefault("67108864")
        long maxRequestBytes();

        /** Records per second admitted for this source (token bucket); unset means no limit. */
        @WithName("rate-limit")
        OptionalInt rateLimit();

        /** Deepest JSON nesting accepted in a record. */
        @WithName("max-json-depth")
        @WithDefault("64")
        int maxJsonDepth();
    }

    interface ApiKey {
        /** Lower-case hex SHA-256 of the key: the key itself is never configured. */
        String sha256();

        /** Sources this key may write to. */
        List<String> sources();
    }

    interface Limits {
        /** Requests being read, produced or awaiting their acks at once. */
        @WithName("max-in-flight-requests")
        @WithDefault("64")
        int maxInFlightRequests();

        /** Record bytes held at once (read but not yet acknowledged or failed by Kafka). */
        @WithName("max-in-flight-bytes")
        @WithDefault("134217728")
        long maxInFlightBytes();

        /**
         * Largest body (by {@code Content-Length}, not gzip-encoded) read in full and handled on the event
         * loop that received it, without a hand-off to a worker thread; larger, chunked or gzip bodies are
         * streamed record by record on a worker thread. 0 streams every body.
         */
        @WithName("event-loop-max-body-bytes")
        @WithDefault("16384")
        int eventLoopMaxBodyBytes();
    }

    interface Kafka {
        /**
         * Longest wait for the acks of one request's records; past it the request gets 503. Keep it
         * above the producer's {@code delivery.timeout.ms} so that a slow ack is not reported as a
         * failure while Kafka is still retrying.
         */
        @WithName("ack-timeout")
        @WithDefault("6s")
        Duration ackTimeout();

        /** {@code Retry-After} sent with 503 and 429 answers. */
        @WithName("retry-after")
        @WithDefault("5s")
        Duration retryAfter();

        /** Longest time a readiness probe waits for the cluster to answer. */
        @WithName("health-timeout")
        @WithDefault("2s")
        Duration healthTimeout();
    }
}
