package dev.sluice.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway settings a pod will run with: the packaged {@code application.yaml} overlaid with the files the
 * Deployment mounts (QUARKUS_CONFIG_LOCATIONS), as Quarkus reads them. Only the keys the cross-checks need.
 */
record GatewaySettings(Map<String, String> sourceTopics, String dlqTopic, List<ApiKey> apiKeys,
                       Duration ackTimeout, Duration shutdownTimeout) {

    record ApiKey(String name, String sha256, List<String> sources) {
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    /** The gateway's packaged configuration (its defaults), without any profile section. */
    static Map<String, Object> packagedDefaults(Path repo) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> config = Rendered.YAML.readValue(repo.resolve("ingest-gateway/src/main/resources/application.yaml").toFile(), Map.class);
            config.keySet().removeIf(k -> k.startsWith("%"));
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static GatewaySettings of(Map<String, Object> mounted, Map<String, Object> defaults) {
        Map<String, Object> config = new LinkedHashMap<>();
        deepMerge(config, defaults);
        deepMerge(config, mounted);
        Map<String, String> topics = new LinkedHashMap<>();
        map(config, "sluice", "gateway", "sources").forEach((name, source) ->
                topics.put(name, String.valueOf(((Map<?, ?>) source).get("topic"))));
        List<ApiKey> keys = new ArrayList<>();
        map(config, "sluice", "gateway", "api-keys").forEach((name, key) -> {
            Map<?, ?> k = (Map<?, ?>) key;
            List<String> sources = new ArrayList<>();
            if (k.get("sources") instanceof List<?> list) {
                list.forEach(s -> sources.add(String.valueOf(s)));
            }
            keys.add(new ApiKey(name, String.valueOf(k.get("sha256")), sources));
        });
        Object dlq = map(config, "sluice", "gateway").getOrDefault("dlq-topic", "sluice-dlq");
        Object ack = map(config, "sluice", "gateway", "kafka").getOrDefault("ack-timeout", "6s");
        // Quarkus' own default for quarkus.shutdown.timeout is no wait at all.
        Object shutdown = map(config, "quarkus", "shutdown").getOrDefault("timeout", "0s");
        return new GatewaySettings(topics, String.valueOf(dlq), keys, duration(String.valueOf(ack)), duration(String.valueOf(shutdown)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> config, String... path) {
        Map<String, Object> current = config;
        for (String key : path) {
            Object next = current.get(key);
            if (!(next instanceof Map<?, ?>)) {
                return Map.of();
            }
            current = (Map<String, Object>) next;
        }
        return current;
    }

    /** Merges {@code overlay} into {@code target}: maps key by key, anything else replaced. */
    @SuppressWarnings("unchecked")
    static void deepMerge(Map<String, Object> target, Map<String, Object> overlay) {
        overlay.forEach((key, value) -> {
            if (value instanceof Map<?, ?> overlayMap && target.get(key) instanceof Map<?, ?> targetMap) {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) targetMap);
                deepMerge(copy, (Map<String, Object>) overlayMap);
                target.put(key, copy);
            } else {
                target.put(key, value);
            }
        });
    }

    /** Quarkus' duration forms: {@code 6s}, {@code 500ms}, {@code 2m}, or ISO-8601 ({@code PT6S}). */
    static Duration duration(String value) {
        Matcher m = DURATION.matcher(value.strip());
        if (!m.matches()) {
            return Duration.parse(value.strip());
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }
}
