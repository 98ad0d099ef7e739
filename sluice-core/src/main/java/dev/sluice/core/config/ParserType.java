package dev.sluice.core.config;

import java.util.Locale;

/** The parsers a stream table can use. */
public enum ParserType {
    JSON, REGEX, CSV, HEADER_JSON, DEBEZIUM_JSON;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static ParserType of(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
