package dev.sluice.gateway.config;

import dev.sluice.core.record.LogKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Rules across configuration keys, checked in one pass so that a bad setup lists all its problems at once. */
public final class ConfigCheck {
    private static final String PREFIX = "sluice.gateway.";
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SOURCE_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private ConfigCheck() {
    }

    /** Every problem found, each naming the key to fix; empty when the configuration is usable. */
    public static List<String> problems(GatewayConfig config) {
        List<String> problems = new ArrayList<>();
        if (config.dlqTopic().isBlank()) {
            problems.add(PREFIX + "dlq-topic: must not be blank");
        }
        for (Map.Entry<String, GatewayConfig.Source> entry : new TreeMap<>(config.sources()).entrySet()) {
            checkSource(entry.getKey(), entry.getValue(), config.dlqTopic(), problems);
        }
        for (Map.Entry<String, GatewayConfig.ApiKey> entry : config.apiKeys().entrySet()) {
            String path = PREFIX + "api-keys." + entry.getKey();
            GatewayConfig.ApiKey key = entry.getValue();
            if (!SHA256_HEX.matcher(key.sha256()).matches()) {
                problems.add(path + ".sha256: must be the lower-case hex SHA-256 of the key (64 characters "
                        + "0-9a-f), e.g. printf %s \"$KEY\" | sha256sum");
            }
            if (key.sources().isEmpty()) {
                problems.add(path + ".sources: a key must be bound to at least one source");
            }
            for (String source : key.sources()) {
                if (!config.sources().containsKey(source)) {
                    problems.add(path + ".sources: unknown source '" + source + "', configured sources are "
                            + new TreeSet<>(config.sources().keySet()));
                }
            }
        }
        long distinctHashes = config.apiKeys().values().stream().map(GatewayConfig.ApiKey::sha256).distinct().count();
        if (distinctHashes != config.apiKeys().size()) {
            problems.add(PREFIX + "api-keys: two key names share one sha256; bind the key to all its sources "
                    + "under one name instead");
        }
        checkLimits(config.limits(), problems);
        return problems;
    }

    private static void checkSource(String name, GatewayConfig.Source source, String dlqTopic, List<String> problems) {
        String path = PREFIX + "sources." + name;
        if (!SOURCE_NAME.matcher(name).matches()) {
            problems.add(path + ": source names are lower-case letters, digits, '-' and '_' (at most 64)");
        }
        if (source.topic().isBlank()) {
            problems.add(path + ".topic: must not be blank");
        } else if (source.topic().equals(dlqTopic)) {
            problems.add(path + ".topic: must differ from the DLQ topic '" + dlqTopic + "'");
        }
        if (source.kind() == LogKind.OPS) {
            if (source.headerPattern().isEmpty()) {
                problems.add(path + ".header-pattern: required for an ops source (regex the line must start with, "
                        + "before its JSON body)");
            }
        } else if (source.headerPattern().isPresent()) {
            problems.add(path + ".header-pattern: only ops sources have a header; this source is "
                    + source.kind().wireName());
        }
        source.headerPattern().ifPresent(regex -> {
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                problems.add(path + ".header-pattern: not a valid regex: " + e.getDescription());
            }
        });
        boolean hasJson = source.format() == SourceFormat.JSON || source.kind() == LogKind.OPS;
        if (source.keyField().isPresent() && !hasJson) {
            problems.add(path + ".key-field: needs JSON records (format json, or an ops source's JSON body)");
        }
        if (source.kind() == LogKind.OPS && source.format() != SourceFormat.TEXT) {
            problems.add(path + ".format: ops records are header + JSON text lines, so the format must be text");
        }
        if (source.maxRecordBytes() <= 0) {
            problems.add(path + ".max-record-bytes: must be positive");
        }
        if (source.maxRequestBytes() < source.maxRecordBytes()) {
            problems.add(path + ".max-request-bytes: must be at least max-record-bytes (" + source.maxRecordBytes() + ")");
        }
        source.rateLimit().ifPresent(rate -> {
            if (rate <= 0) {
                problems.add(path + ".rate-limit: records per second must be positive (leave it unset for no limit)");
            }
        });
        if (source.maxJsonDepth() < 1) {
            problems.add(path + ".max-json-depth: must be at least 1");
        }
    }

    private static void checkLimits(GatewayConfig.Limits limits, List<String> problems) {
        if (limits.maxInFlightRequests() <= 0) {
            problems.add(PREFIX + "limits.max-in-flight-requests: must be positive");
        }
        if (limits.maxInFlightBytes() <= 0) {
            problems.add(PREFIX + "limits.max-in-flight-bytes: must be positive");
        }
        if (limits.eventLoopMaxBodyBytes() < 0) {
            problems.add(PREFIX + "limits.event-loop-max-body-bytes: must be 0 (stream every body) or positive");
        }
    }
}
