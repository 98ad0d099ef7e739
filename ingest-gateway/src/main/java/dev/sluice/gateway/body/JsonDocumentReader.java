package dev.sluice.gateway.body;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.sluice.core.record.IngestErrorCode;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads an {@code application/json} body, one object or an array of records, with a streaming parser;
 * each record is cut out as its original bytes. A document that is not well-formed is refused as a
 * whole: after a syntax error there is no reliable record boundary to resume from.
 */
final class JsonDocumentReader {

    private JsonDocumentReader() {
    }

    static void read(InputStream in, JsonFactory factory, int maxRecordBytes, RecordSink sink) throws IOException {
        CapturingInputStream capture = new CapturingInputStream(in);
        try (JsonParser parser = factory.createParser(capture)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw new BodyException(IngestErrorCode.EMPTY_BODY, "the JSON body is empty");
            }
            if (token == JsonToken.START_OBJECT) {
                emitValue(parser, capture, 0, maxRecordBytes, sink);
            } else if (token == JsonToken.START_ARRAY) {
                int index = 0;
                while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (token == null) {
                        throw invalid("the JSON array is not closed");
                    }
                    emitValue(parser, capture, index++, maxRecordBytes, sink);
                }
            } else {
                throw invalid("an application/json body is one object or an array of objects");
            }
            if (parser.nextToken() != null) {
                throw invalid("content after the end of the JSON document");
            }
        } catch (StreamConstraintsException e) {
            throw invalid("JSON nests deeper than the source allows (" + e.getOriginalMessage() + ")");
        } catch (JsonProcessingException e) {
            throw invalid("malformed JSON document, nothing of it was accepted: " + oneLine(e.getOriginalMessage()));
        }
    }

    /** The parser is on the value's first token; leaves it on its last. */
    private static void emitValue(JsonParser parser, CapturingInputStream capture, int index, int maxRecordBytes,
            RecordSink sink) throws IOException {
        long from = parser.currentTokenLocation().getByteOffset();
        capture.discardBefore(from);
        if (parser.currentToken().isStructStart()) {
            parser.skipChildren();
        } else {
            // Strings are parsed lazily: finish the token so that the location is past its end.
            parser.finishToken();
        }
        long to = parser.currentLocation().getByteOffset();
        long fullSize = to - from;
        sink.accept(index, capture.copy(from, from + Math.min(fullSize, maxRecordBytes + 1L)), fullSize);
    }

    private static BodyException invalid(String message) {
        return new BodyException(IngestErrorCode.INVALID_JSON, message);
    }

    private static String oneLine(String message) {
        String text = message.replace('\n', ' ').replace('\r', ' ');
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
