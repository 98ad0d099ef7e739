package dev.sluice.infra.kafka;

import dev.sluice.infra.process.ChildJvm;
import dev.sluice.infra.process.Ports;
import dev.sluice.infra.process.ServerClasspath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * Single-node KRaft broker (combined broker + controller) in a child JVM, listening on 127.0.0.1.
 *
 * <p>The server classpath comes from the {@code sluice-infra-kafka-runtime} artifact, resolved by
 * Maven at build time. Data lives in {@code dataDir}; the log directory is formatted on first start
 * only, so a restart keeps every topic.
 */
final class EmbeddedKafkaBroker implements KafkaBroker {
    private static final String CLASSPATH_RESOURCE = "/dev/sluice/infra/kafka/server.classpath";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final ChildJvm server;

    EmbeddedKafkaBroker(Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath();
        this.port = Ports.free();
        this.controllerPort = Ports.free();
        List<String> classpath = ServerClasspath.read(CLASSPATH_RESOURCE, "sluice-infra/kafka-runtime");
        try {
            Files.createDirectories(this.dataDir);
            Files.writeString(this.dataDir.resolve("server.properties"), serverProperties());
            Files.writeString(this.dataDir.resolve("log4j.properties"), LOG4J);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + this.dataDir, e);
        }
        formatOnce(classpath);
        this.server = ChildJvm.builder("kafka-broker")
                .classpath(classpath)
                .jvmArgs(jvmArgs())
                .mainClass("kafka.Kafka")
                .args(List.of(this.dataDir.resolve("server.properties").toString()))
                .logFile(this.dataDir.resolve("broker.log"))
                .build();
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void start() {
        long from = server.logSize();
        server.start();
        server.awaitLogLine(from, line -> line.contains("Kafka Server started"), START_TIMEOUT);
    }

    @Override
    public void stop() {
        server.stop();
    }

    @Override
    public void kill() {
        server.kill();
    }

    @Override
    public void close() {
        server.stop();
    }

    @Override
    public String description() {
        return "embedded KRaft broker (child JVM) at " + bootstrapServers() + ", data in " + dataDir;
    }

    private void formatOnce(List<String> classpath) {
        Path logs = dataDir.resolve("logs");
        if (Files.exists(logs.resolve("meta.properties"))) {
            return;
        }
        ChildJvm format = ChildJvm.builder("kafka-storage-format")
                .classpath(classpath)
                .jvmArgs(jvmArgs())
                .mainClass("kafka.tools.StorageTool")
                .args(List.of("format", "-t", clusterId(), "-c", dataDir.resolve("server.properties").toString()))
                .logFile(dataDir.resolve("format.log"))
                .build();
        format.start();
        int exitCode = format.awaitExit(START_TIMEOUT);
        if (exitCode != 0 || !Files.exists(logs.resolve("meta.properties"))) {
            throw new IllegalStateException("formatting the broker storage failed; see " + format.logFile());
        }
    }

    private List<String> jvmArgs() {
        return List.of("-Xmx512m", "-Xms128m", "-XX:+UseSerialGC",
                "-Dlog4j.configuration=" + dataDir.resolve("log4j.properties").toUri());
    }

    private String serverProperties() {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + dataDir.resolve("logs"),
                "num.partitions=1",
                "default.replication.factor=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=5",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=5",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true",
                "message.max.bytes=16777216",
                "");
    }

    private static String clusterId() {
        // Kafka's Uuid: 16 random bytes, base64url without padding, not starting with '-'.
        SecureRandom random = new SecureRandom();
        byte[] bytes = new byte[16];
        String id;
        do {
            random.nextBytes(bytes);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (id.startsWith("-"));
        return id;
    }

    private static final String LOG4J = String.join("\n",
            "log4j.rootLogger=INFO, stdout",
            "log4j.appender.stdout=org.apache.log4j.ConsoleAppender",
            "log4j.appender.stdout.layout=org.apache.log4j.PatternLayout",
            "log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n",
            "log4j.logger.kafka=INFO",
            "log4j.logger.org.apache.kafka=WARN",
            "log4j.logger.state.change.logger=WARN",
            "log4j.logger.kafka.log.LogCleaner=WARN",
            "log4j.logger.kafka.controller=WARN",
            "log4j.logger.kafka.coordinator=WARN",
            "log4j.logger.kafka.server.KafkaRaftServer=INFO",
            "");
}
