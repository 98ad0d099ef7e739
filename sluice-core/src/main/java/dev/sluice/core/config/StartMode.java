package dev.sluice.core.config;

import java.util.Locale;

/** Where a job starts reading its topic when it has no checkpoint. */
public enum StartMode {
    EARLIEST, LATEST, TIMESTAMP;

    public static StartMode of(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
