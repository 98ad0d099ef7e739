package dev.sluice.job.extend;

import com.fasterxml.jackson.databind.JsonNode;

/** A bound call of a derived-field function, evaluated per record. */
@FunctionalInterface
public interface FieldFunction {

    /**
     * Computes the derived value from the record. Return {@code NullNode} (or null) for "no value"; throw
     * (any exception) when the input cannot be handled: the record becomes an {@code EXTENSION_FAILED}
     * error for the table.
     */
    JsonNode apply(RecordView record) throws Exception;
}
