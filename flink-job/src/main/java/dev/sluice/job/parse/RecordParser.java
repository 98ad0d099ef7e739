package dev.sluice.job.parse;

/**
 * Turns a raw line into named fields. Instances are runtime objects built in {@code open()} from a
 * {@link dev.sluice.core.config.ParserConfig} (patterns compiled once) and used by one thread.
 */
public interface RecordParser {

    /** Parses one line; never throws for bad input, returns {@link ParseResult#failed} instead. */
    ParseResult parse(RawLine line);
}
