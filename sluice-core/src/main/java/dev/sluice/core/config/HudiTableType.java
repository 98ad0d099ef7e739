package dev.sluice.core.config;

/** Hudi table types, named as Hudi names them. */
public enum HudiTableType {
    COPY_ON_WRITE, MERGE_ON_READ
}
