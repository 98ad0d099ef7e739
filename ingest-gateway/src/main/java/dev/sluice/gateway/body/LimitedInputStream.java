package dev.sluice.gateway.body;

import dev.sluice.core.record.IngestErrorCode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes read and refuses the request once they pass the limit. Placed after decompression,
 * so a small gzip body cannot expand past the per-request limit.
 */
final class LimitedInputStream extends FilterInputStream {
    private final long limit;
    private long count;

    LimitedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            add(n);
        }
        return n;
    }

    private void add(int n) throws BodyException {
        count += n;
        if (count > limit) {
            throw new BodyException(IngestErrorCode.REQUEST_TOO_LARGE,
                    "request body is larger than the source's limit of " + limit + " bytes (after decompression)");
        }
    }
}
