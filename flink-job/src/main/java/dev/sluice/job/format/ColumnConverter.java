package dev.sluice.job.format;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Converts a present JSON value to the Flink internal object of one logical type. Built once per column
 * at open; absent values never reach it (the formatter handles null and required).
 */
@FunctionalInterface
public interface ColumnConverter {

    /** The internal value; throws when the value does not fit the type (drifted data). */
    Object convert(JsonNode value) throws ConversionException;
}
