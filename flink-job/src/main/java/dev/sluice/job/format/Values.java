package dev.sluice.job.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** Small helpers for describing and testing JSON values in messages and conversions. */
public final class Values {
    private static final int SAMPLE = 40;

    private Values() {
    }

    /** True for an absent value: missing, JSON null, or Java null. */
    public static boolean isAbsent(JsonNode value) {
        return value == null || value.isMissingNode() || value.isNull();
    }

    /** "object", "array", "number 12", "text 'abc'" — for error messages, truncated. */
    public static String describe(JsonNode value) {
        if (value.isObject() || value.isArray()) {
            return value.getNodeType().name().toLowerCase(Locale.ROOT);
        }
        String text = value.asText();
        String sample = text.length() > SAMPLE ? text.substring(0, SAMPLE) + "…" : text;
        return value.isTextual() ? "text '" + sample + "'" : value.getNodeType().name().toLowerCase(Locale.ROOT)
                + " " + sample;
    }
}
