package dev.sluice.core.config;

import java.io.Serializable;
import java.util.List;

/**
 * How a raw line becomes a record of named values.
 *
 * @param type      parser
 * @param pattern   regex with named groups ({@code regex}), or the header regex ({@code header-json}) whose
 *                  named groups become fields next to the JSON body's
 * @param delimiter CSV delimiter, default {@code ,}
 * @param fields    CSV field names in order
 */
public record ParserConfig(ParserType type, String pattern, String delimiter, List<String> fields)
        implements Serializable {

    public ParserConfig(ParserType type,
                        String pattern,
                        String delimiter,
                        List<String> fields) {
        this.type = type;
        this.pattern = pattern;
        this.delimiter = delimiter == null ? "," : delimiter;
        this.fields = fields == null ? List.of() : List.copyOf(fields);
    }
}
