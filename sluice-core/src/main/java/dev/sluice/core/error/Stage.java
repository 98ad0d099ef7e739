package dev.sluice.core.error;

import java.util.Locale;

/** The ETL stage at which a record failed or was dropped; a partition column of the error table. */
public enum Stage {
    SOURCE, FILTER, PARSE, EXTEND, FORMAT, SPLIT, LOAD;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
