package dev.sluice.infra.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses and starts a broker: a testcontainers broker where a Docker engine answers, the embedded
 * KRaft broker in a child JVM otherwise.
 *
 * <p>The choice can be forced with the {@code sluice.kafka.mode} system property or the
 * {@code SLUICE_KAFKA_MODE} environment variable: {@code auto} (default), {@code embedded},
 * {@code container}.
 */
public final class KafkaBrokers {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokers.class);

    private KafkaBrokers() {
    }

    /** Starts a broker whose data (embedded mode) lives under {@code dataDir}. */
    public static KafkaBroker start(Path dataDir) {
        Mode mode = Mode.resolve();
        KafkaBroker broker = switch (mode) {
            case EMBEDDED -> new EmbeddedKafkaBroker(dataDir);
            case CONTAINER -> new ContainerKafkaBroker();
            case AUTO -> dockerEngineLikely() && ContainerKafkaBroker.dockerAvailable()
                    ? new ContainerKafkaBroker()
                    : new EmbeddedKafkaBroker(dataDir);
        };
        broker.start();
        LOG.info("Kafka ready: {} (mode {})", broker.description(), mode.name().toLowerCase(Locale.ROOT));
        return broker;
    }

    /** Asking testcontainers costs seconds and noisy logs; skip it when no engine can be there. */
    private static boolean dockerEngineLikely() {
        return System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
    }

    enum Mode {
        AUTO, EMBEDDED, CONTAINER;

        static Mode resolve() {
            String value = System.getProperty("sluice.kafka.mode", System.getenv("SLUICE_KAFKA_MODE"));
            if (value == null || value.isBlank()) {
                return AUTO;
            }
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("sluice.kafka.mode / SLUICE_KAFKA_MODE: unknown value '" + value
                        + "', expected auto, embedded or container", e);
            }
        }
    }
}
