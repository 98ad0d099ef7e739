package dev.sluice.gateway.kafka;

import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.metrics.GatewayMetrics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Ready only while the Kafka cluster answers. Asks the cluster itself (describeCluster) on each probe
 * rather than reading the producer's connection state: an idle producer does not reconnect after an
 * outage, so its state would keep a recovered gateway out of the load balancer, and out of traffic
 * that would have reconnected it.
 */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {
    private static final Logger LOG = Logger.getLogger(KafkaReadinessCheck.class);

    private final Admin admin;
    private final long timeoutMillis;
    private final String bootstrapServers;
    private volatile Boolean lastUp;

    public KafkaReadinessCheck(GatewayConfig config, GatewayMetrics metrics,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.timeoutMillis = config.kafka().healthTimeout().toMillis();
        int timeout = (int) timeoutMillis;
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "sluice-gateway-health",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000));
        metrics.kafkaReady(() -> call().getStatus() == HealthCheckResponse.Status.UP);
    }

    @Override
    public HealthCheckResponse call() {
        String problem = null;
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMillis))
                    .nodes().get(timeoutMillis + 500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted";
        } catch (ExecutionException e) {
            problem = String.valueOf(e.getCause().getMessage());
        } catch (TimeoutException e) {
            problem = "no answer within " + timeoutMillis + " ms";
        }
        boolean up = problem == null;
        if (lastUp == null || lastUp != up) {
            // One line per change of state, not per probe.
            if (up) {
                LOG.infof("Kafka reachable at %s: ready", bootstrapServers);
            } else {
                LOG.warnf("Kafka unreachable at %s (%s): not ready", bootstrapServers, problem);
            }
            lastUp = up;
        }
        return HealthCheckResponse.named("kafka")
                .status(up)
                .withData("bootstrap.servers", bootstrapServers)
                .withData("error", problem == null ? "" : problem)
                .build();
    }

    @PreDestroy
    void close() {
        admin.close(java.time.Duration.ofSeconds(2));
    }
}
