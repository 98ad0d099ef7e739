package dev.sluice.gateway.config;

import dev.sluice.core.record.LogKind;
import dev.sluice.gateway.admission.RateLimiter;
import java.util.Optional;
import java.util.regex.Pattern;

/** A configured source, checked and compiled once at startup. */
public record IngestSource(
        String name,
        LogKind kind,
        SourceFormat format,
        String topic,
        Optional<String> keyField,
        Optional<Pattern> headerPattern,
        int maxRecordBytes,
        long maxRequestBytes,
        int maxJsonDepth,
        Optional<RateLimiter> rateLimiter) {

    /** Whether records are (or, for ops, end with) JSON objects that must be well-formed. */
    public boolean jsonRecords() {
        return format == SourceFormat.JSON || kind == LogKind.OPS;
    }

    static IngestSource from(String name, GatewayConfig.Source config) {
        return new IngestSource(name, config.kind(), config.format(), config.topic(), config.keyField(),
                config.headerPattern().map(Pattern::compile), config.maxRecordBytes(), config.maxRequestBytes(),
                config.maxJsonDepth(), config.rateLimit().isPresent()
                        ? Optional.of(new RateLimiter(config.rateLimit().getAsInt()))
                        : Optional.empty());
    }
}
