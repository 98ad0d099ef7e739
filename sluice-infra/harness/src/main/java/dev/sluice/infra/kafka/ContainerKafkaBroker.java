package dev.sluice.infra.kafka;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Broker in a Docker container (apache/kafka, KRaft) for machines with a Docker engine. Stop and start
 * pause and unpause the container, which keeps the mapped port so clients see the same address.
 */
final class ContainerKafkaBroker implements KafkaBroker {
    private static final DockerImageName IMAGE = DockerImageName.parse("apache/kafka:3.9.1");

    private final KafkaContainer container = new KafkaContainer(IMAGE);
    private boolean paused;

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void start() {
        if (paused) {
            container.getDockerClient().unpauseContainerCmd(container.getContainerId()).exec();
            paused = false;
        } else if (!container.isRunning()) {
            container.start();
        }
    }

    @Override
    public void stop() {
        container.getDockerClient().pauseContainerCmd(container.getContainerId()).exec();
        paused = true;
    }

    @Override
    public void close() {
        container.stop();
    }

    @Override
    public String description() {
        return "Kafka container " + IMAGE + " at " + bootstrapServers();
    }
}
