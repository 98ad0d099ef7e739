package dev.sluice.gateway.config;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The configured sources by name. Created at startup so that an invalid configuration stops the
 * gateway before it listens, with every problem listed.
 */
@Startup
@ApplicationScoped
public class SourceRegistry {
    private static final Logger LOG = Logger.getLogger(SourceRegistry.class);

    private final Map<String, IngestSource> sources = new TreeMap<>();
    private final String dlqTopic;

    public SourceRegistry(GatewayConfig config) {
        List<String> problems = ConfigCheck.problems(config);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid gateway configuration (" + problems.size() + " problem"
                    + (problems.size() == 1 ? "" : "s") + "):\n  - " + String.join("\n  - ", problems));
        }
        config.sources().forEach((name, source) -> sources.put(name, IngestSource.from(name, source)));
        this.dlqTopic = config.dlqTopic();
        if (sources.isEmpty()) {
            LOG.warn("No source configured under sluice.gateway.sources: every POST will get 404");
        }
        sources.values().forEach(s -> LOG.infof("Source %s: kind=%s format=%s topic=%s%s", s.name(),
                s.kind().wireName(), s.format().name().toLowerCase(Locale.ROOT), s.topic(),
                s.rateLimiter().map(r -> " rate-limit=" + r.perSecond() + "/s").orElse("")));
        LOG.infof("DLQ topic %s; %d API key(s) configured", dlqTopic, config.apiKeys().size());
    }

    public Optional<IngestSource> find(String name) {
        return Optional.ofNullable(sources.get(name));
    }

    public String dlqTopic() {
        return dlqTopic;
    }
}
