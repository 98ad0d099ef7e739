package dev.sluice.core.config;

import java.util.Locale;

/** How rows are written: {@code upsert} keeps the latest row per record key, {@code insert} appends. */
public enum WriteOperation {
    UPSERT, INSERT;

    public static WriteOperation of(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    /** Hudi's {@code write.operation} value. */
    public String hudiName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
