package dev.sluice.job.parse;

/** {@code json}: the line is one JSON object; its members are the fields. Reads the bytes, no decoding. */
final class JsonRecordParser implements RecordParser {

    @Override
    public ParseResult parse(RawLine line) {
        byte[] bytes = line.bytes();
        return Json.object(bytes, 0, bytes.length);
    }
}
