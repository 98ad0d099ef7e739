package dev.sluice.job.parse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.error.ErrorCode;
import java.util.List;

/**
 * {@code csv}: one line of delimiter-separated fields, named by the configured field list. Fields may be
 * quoted with {@code "}; a doubled quote inside a quoted field is a literal quote; the delimiter inside
 * quotes is text. A line with more or fewer fields than configured is an {@code INVALID_CSV} error: a
 * shifted column would land every later value in the wrong column.
 */
final class CsvRecordParser implements RecordParser {
    private static final char QUOTE = '"';

    private final String[] names;
    private final char delimiter;

    CsvRecordParser(List<String> names, char delimiter) {
        this.names = names.toArray(String[]::new);
        this.delimiter = delimiter;
    }

    @Override
    public ParseResult parse(RawLine line) {
        String text = line.text();
        if (text == null) {
            return ParseResult.failed(ErrorCode.INVALID_ENCODING, "line is not valid UTF-8", null);
        }
        ObjectNode fields = Json.NODES.objectNode();
        StringBuilder value = new StringBuilder();
        int field = 0;
        int i = 0;
        int n = text.length();
        while (true) {
            value.setLength(0);
            if (i < n && text.charAt(i) == QUOTE) {
                i = readQuoted(text, i + 1, value);
                if (i < 0) {
                    return invalid("unterminated quoted field " + (field + 1));
                }
                if (i < n && text.charAt(i) != delimiter) {
                    return invalid("text after the closing quote of field " + (field + 1));
                }
            } else {
                int end = text.indexOf(delimiter, i);
                end = end < 0 ? n : end;
                value.append(text, i, end);
                i = end;
            }
            if (field >= names.length) {
                return invalid("more than the " + names.length + " configured fields");
            }
            fields.put(names[field++], value.toString());
            if (i >= n) {
                break;
            }
            i++; // delimiter
        }
        if (field != names.length) {
            return invalid(field + " fields, expected " + names.length);
        }
        return ParseResult.ok(fields);
    }

    /** Reads a quoted field starting after its opening quote; returns the index after the closing quote. */
    private static int readQuoted(String text, int i, StringBuilder value) {
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i++);
            if (c != QUOTE) {
                value.append(c);
            } else if (i < n && text.charAt(i) == QUOTE) {
                value.append(QUOTE);
                i++;
            } else {
                return i;
            }
        }
        return -1;
    }

    private static ParseResult invalid(String reason) {
        return ParseResult.failed(ErrorCode.INVALID_CSV, "CSV line has " + reason, null);
    }
}
