package dev.sluice.gateway.body;

import dev.sluice.core.record.IngestErrorCode;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Gunzips the body and turns a corrupt or cut stream into INVALID_GZIP instead of an I/O error. */
final class GzipInputStream extends InputStream {
    private final InputStream raw;
    private GZIPInputStream gzip;

    GzipInputStream(InputStream raw) {
        this.raw = raw;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            if (gzip == null) {
                gzip = new GZIPInputStream(raw, 16 * 1024);
            }
            return gzip.read(buffer, offset, length);
        } catch (ZipException | EOFException e) {
            throw new BodyException(IngestErrorCode.INVALID_GZIP, "body is not a valid gzip stream: " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }
}
