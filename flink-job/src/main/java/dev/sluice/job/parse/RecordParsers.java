package dev.sluice.job.parse;

import dev.sluice.core.config.ParserConfig;

/** Builds the runtime parser for a parser config; called in {@code open()}, once per distinct config. */
public final class RecordParsers {

    private RecordParsers() {
    }

    /**
     * @throws java.util.regex.PatternSyntaxException or {@link IllegalArgumentException} for a config that
     *                                                validation should have refused
     */
    public static RecordParser create(ParserConfig config) {
        return switch (config.type()) {
            case JSON -> new JsonRecordParser();
            case REGEX -> new RegexRecordParser(config.pattern(), config.timeBudget());
            case HEADER_JSON -> new HeaderJsonRecordParser(config.pattern(), config.timeBudget());
            case CSV -> new CsvRecordParser(config.fields(), config.delimiter().charAt(0));
            case DEBEZIUM_JSON -> new DebeziumJsonRecordParser();
        };
    }
}
