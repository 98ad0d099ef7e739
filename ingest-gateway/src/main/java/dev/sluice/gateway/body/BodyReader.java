package dev.sluice.gateway.body;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.io.InputStream;

/** Streams a request body into records: decompression, the per-request limit, then the format's splitter. */
public final class BodyReader {

    private BodyReader() {
    }

    /**
     * @param gzip whether the body is {@code Content-Encoding: gzip}
     * @return decompressed bytes read
     * @throws BodyException when the request must be refused as a whole
     * @throws IOException when the client's stream breaks
     */
    public static long read(InputStream body, boolean gzip, BodyFormat format, long maxRequestBytes,
            int maxRecordBytes, JsonFactory jsonFactory, RecordSink sink) throws IOException {
        LimitedInputStream limited = new LimitedInputStream(gzip ? new GzipInputStream(body) : body, maxRequestBytes);
        if (format == BodyFormat.JSON_DOCUMENT) {
            JsonDocumentReader.read(limited, jsonFactory, maxRecordBytes, sink);
        } else {
            LineReader.read(limited, maxRecordBytes, sink);
        }
        return limited.count();
    }
}
