package dev.sluice.gateway.it;

import dev.sluice.infra.kafka.KafkaBroker;
import dev.sluice.infra.kafka.KafkaBrokers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One real broker for every gateway integration test (KRaft in a child JVM here, a container where
 * Docker answers). Tests that need the broker itself (the outage test) get it injected into a field
 * annotated {@link InjectBroker}.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {
    private KafkaBroker broker;
    private Path dataDir;

    @Override
    public Map<String, String> start() {
        try {
            dataDir = Files.createTempDirectory("gateway-it-kafka");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        broker = KafkaBrokers.start(dataDir);
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(broker, new TestInjector.AnnotatedAndMatchesType(InjectBroker.class, KafkaBroker.class));
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
        if (dataDir != null) {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A leftover temp dir is harmless; the broker is already gone.
            }
        }
    }
}
