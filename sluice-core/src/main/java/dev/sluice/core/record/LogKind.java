package dev.sluice.core.record;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The three families of logs Sluice takes in. The kind decides which validation the gateway applies
 * and is carried to the job in the {@link RecordHeaders#KIND} header.
 */
public enum LogKind {
    /** Operation logs: a fixed header (time, event) followed by a JSON body. */
    OPS,
    /** Business logs: nginx access, CDN, free text. */
    BUSINESS,
    /** Program logs: INFO/ERROR lines, usually JSON. */
    PROGRAM;

    /** The lower-case name used in configuration, headers and URLs. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static LogKind fromWireName(String value) {
        for (LogKind kind : values()) {
            if (kind.wireName().equals(value)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown log kind '" + value + "', expected one of "
                + Arrays.stream(values()).map(LogKind::wireName).collect(Collectors.joining(", ")));
    }
}
