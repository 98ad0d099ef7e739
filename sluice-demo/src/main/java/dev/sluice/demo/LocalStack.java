package dev.sluice.demo;

import dev.sluice.core.endpoints.Endpoints;
import dev.sluice.infra.kafka.KafkaBroker;
import dev.sluice.infra.kafka.KafkaBrokers;
import dev.sluice.infra.metastore.HiveMetastore;
import dev.sluice.infra.metastore.HiveMetastores;
import dev.sluice.infra.process.Ports;
import dev.sluice.job.EtlJob;
import dev.sluice.job.runtime.LocalFlink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Everything Sluice runs on, started locally: Kafka broker, Hive Metastore (when asked for), ingest
 * gateway, Flink cluster. Shared by
 * the demo and the end-to-end test; closing it stops the jobs with a savepoint, then the gateway, then
 * the broker.
 */
public final class LocalStack implements AutoCloseable {
    private final KafkaBroker broker;
    private final GatewayProcess gateway;
    private final LocalFlink flink;
    private final Map<EtlJob, JobID> jobs = new LinkedHashMap<>();
    private final int prometheusPort;
    private final HiveMetastore metastore;

    private LocalStack(KafkaBroker broker, HiveMetastore metastore, GatewayProcess gateway, LocalFlink flink,
                       int prometheusPort) {
        this.prometheusPort = prometheusPort;
        this.metastore = metastore;
        this.broker = broker;
        this.gateway = gateway;
        this.flink = flink;
    }

    /**
     * Starts the stack with data under {@code dataDir} ({@code kafka/}, {@code checkpoints/}, {@code logs/}).
     *
     * @param gatewayApp the gateway's {@code quarkus-run.jar}
     * @param port       gateway HTTP port on 127.0.0.1
     * @param apiKey     the key clients use; the gateway only learns its SHA-256
     */
    public static LocalStack start(Path dataDir, Path gatewayApp, int port, String apiKey, int slots,
                                   Duration checkpointInterval, boolean withMetastore, Progress progress)
            throws Exception {
        KafkaBroker broker = null;
        HiveMetastore metastore = null;
        GatewayProcess gateway = null;
        try {
            progress.step("starting Kafka broker (KRaft)");
            broker = KafkaBrokers.start(dataDir.resolve("kafka"));
            if (withMetastore) {
                progress.step("starting Hive Metastore (Derby in " + dataDir.resolve("metastore") + ")");
                metastore = HiveMetastores.start(dataDir.resolve("metastore"));
            }
            progress.step("starting ingest gateway on 127.0.0.1:" + port);
            gateway = GatewayProcess.start(gatewayApp, port, broker.bootstrapServers(), sha256(apiKey),
                    dataDir.resolve("logs").resolve("gateway.log"));
            progress.step("starting Flink MiniCluster");
            int prometheusPort = Ports.free();
            LocalFlink flink = LocalFlink.start(slots, 0, dataDir.resolve("checkpoints"), checkpointInterval,
                    LocalFlink.prometheusReporter(String.valueOf(prometheusPort)));
            return new LocalStack(broker, metastore, gateway, flink, prometheusPort);
        } catch (Exception | Error e) {
            if (gateway != null) {
                gateway.close();
            }
            if (metastore != null) {
                metastore.close();
            }
            if (broker != null) {
                broker.close();
            }
            throw e;
        }
    }

    /** Submits an ETL job at parallelism 1. */
    public JobID submit(EtlJob job) throws Exception {
        StreamExecutionEnvironment env = flink.newEnvironment(1);
        job.attachTo(env);
        JobID id = flink.submit(env, job.name());
        jobs.put(job, id);
        return id;
    }

    /** Thrift URI of the local Hive Metastore, or null when the stack runs without one. */
    public String metastoreUri() {
        return metastore == null ? null : metastore.thriftUri();
    }

    /**
     * Where this stack's parts answer, for {@code DIR/endpoints.json}; checkpoints are under {@code dataDir}
     * as {@link #start} put them.
     */
    public Endpoints endpoints(String lakeRoot, Path dataDir) throws Exception {
        return new Endpoints(gateway.baseUrl(), DemoSettings.API_KEY_ENV, broker.bootstrapServers(), flink.webUi(),
                "http://127.0.0.1:" + prometheusPort + "/metrics", gateway.baseUrl() + "/q/metrics",
                lakeRoot, dataDir.resolve("checkpoints").toAbsolutePath().toString(), metastoreUri());
    }

    /** Port of the Flink Prometheus reporter: SLA gauges at {@code http://127.0.0.1:PORT/metrics}. */
    public int prometheusPort() {
        return prometheusPort;
    }

    public KafkaBroker broker() {
        return broker;
    }

    public GatewayProcess gateway() {
        return gateway;
    }

    public LocalFlink flink() {
        return flink;
    }

    /** Submitted jobs and their ids, in submission order. */
    public Map<EtlJob, JobID> jobs() {
        return Collections.unmodifiableMap(jobs);
    }

    @Override
    public void close() throws Exception {
        try {
            flink.close();
        } finally {
            try {
                gateway.close();
            } finally {
                try {
                    broker.close();
                } finally {
                    if (metastore != null) {
                        metastore.close();
                    }
                }
            }
        }
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }

    /** Where a long start-up reports its steps. */
    @FunctionalInterface
    public interface Progress {
        void step(String message);
    }
}
