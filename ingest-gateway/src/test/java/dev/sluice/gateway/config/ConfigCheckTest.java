package dev.sluice.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigCheckTest {

    private static GatewayConfig config(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(GatewayConfig.class)
                // What Quarkus adds to plain SmallRye Config: "5s" durations.
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
        return config.getConfigMapping(GatewayConfig.class);
    }

    private static Map<String, String> validSetup() {
        Map<String, String> p = new HashMap<>();
        p.put("sluice.gateway.sources.app-logs.kind", "program");
        p.put("sluice.gateway.sources.app-logs.format", "json");
        p.put("sluice.gateway.sources.app-logs.topic", "raw-app-logs");
        p.put("sluice.gateway.sources.game-ops.kind", "ops");
        p.put("sluice.gateway.sources.game-ops.format", "text");
        p.put("sluice.gateway.sources.game-ops.topic", "raw-game-ops");
        p.put("sluice.gateway.sources.game-ops.header-pattern", "^\\d{4} \\[[a-z]+\\] ");
        p.put("sluice.gateway.api-keys.demo.sha256", "a".repeat(64));
        p.put("sluice.gateway.api-keys.demo.sources", "app-logs,game-ops");
        return p;
    }

    @Test
    void aValidSetupHasNoProblem() {
        assertThat(ConfigCheck.problems(config(validSetup()))).isEmpty();
    }

    @Test
    void everyProblemIsReportedWithItsKey() {
        Map<String, String> p = validSetup();
        p.remove("sluice.gateway.sources.game-ops.header-pattern");
        p.put("sluice.gateway.sources.app-logs.header-pattern", "^(unclosed");
        p.put("sluice.gateway.sources.app-logs.rate-limit", "0");
        p.put("sluice.gateway.sources.app-logs.max-request-bytes", "10");
        p.put("sluice.gateway.sources.game-ops.topic", "sluice-dlq");
        p.put("sluice.gateway.api-keys.demo.sha256", "NOT-A-HASH");
        p.put("sluice.gateway.api-keys.demo.sources", "app-logs,nope");
        p.put("sluice.gateway.sources.nginx.kind", "business");
        p.put("sluice.gateway.sources.nginx.format", "text");
        p.put("sluice.gateway.sources.nginx.topic", "raw-nginx");
        p.put("sluice.gateway.sources.nginx.key-field", "host");
        p.put("sluice.gateway.limits.event-loop-max-body-bytes", "-1");

        assertThat(ConfigCheck.problems(config(p))).containsExactlyInAnyOrder(
                "sluice.gateway.sources.app-logs.header-pattern: only ops sources have a header; this source is program",
                "sluice.gateway.sources.app-logs.header-pattern: not a valid regex: Unclosed group",
                "sluice.gateway.sources.app-logs.rate-limit: records per second must be positive (leave it unset for no limit)",
                "sluice.gateway.sources.app-logs.max-request-bytes: must be at least max-record-bytes (1048576)",
                "sluice.gateway.sources.game-ops.topic: must differ from the DLQ topic 'sluice-dlq'",
                "sluice.gateway.sources.game-ops.header-pattern: required for an ops source (regex the line must start with, "
                        + "before its JSON body)",
                "sluice.gateway.sources.nginx.key-field: needs JSON records (format json, or an ops source's JSON body)",
                "sluice.gateway.api-keys.demo.sha256: must be the lower-case hex SHA-256 of the key (64 characters 0-9a-f), "
                        + "e.g. printf %s \"$KEY\" | sha256sum",
                "sluice.gateway.api-keys.demo.sources: unknown source 'nope', configured sources are [app-logs, game-ops, nginx]",
                "sluice.gateway.limits.event-loop-max-body-bytes: must be 0 (stream every body) or positive");
    }
}
