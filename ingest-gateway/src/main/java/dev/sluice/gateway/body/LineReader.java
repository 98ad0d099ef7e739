package dev.sluice.gateway.body;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a body into lines ({@code \n}, an optional {@code \r} before it is dropped) while streaming:
 * the body is never held whole, each record is copied once into its own array, and a line longer than
 * the per-record limit keeps only its prefix (one extra byte, to see a {@code \r}) while the rest is
 * counted and skipped. Blank lines are not records but keep their line number.
 */
final class LineReader {
    private static final int READ_BUFFER = 64 * 1024;

    private LineReader() {
    }

    static void read(InputStream in, int maxRecordBytes, RecordSink sink) throws IOException {
        byte[] buffer = new byte[READ_BUFFER];
        int keep = maxRecordBytes + 1;
        byte[] line = new byte[Math.min(keep, 1024)];
        int stored = 0;
        long fullSize = 0;
        int lineNumber = 0;
        int n;
        while ((n = in.read(buffer, 0, buffer.length)) >= 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buffer[i] != '\n') {
                    continue;
                }
                int chunk = i - start;
                line = append(line, stored, buffer, start, chunk, keep);
                stored = Math.min(keep, stored + chunk);
                fullSize += chunk;
                emit(line, stored, fullSize, lineNumber++, sink);
                stored = 0;
                fullSize = 0;
                start = i + 1;
            }
            int chunk = n - start;
            line = append(line, stored, buffer, start, chunk, keep);
            stored = (int) Math.min(keep, (long) stored + chunk);
            fullSize += chunk;
        }
        if (fullSize > 0) {
            emit(line, stored, fullSize, lineNumber, sink);
        }
    }

    private static byte[] append(byte[] line, int stored, byte[] buffer, int from, int length, int keep) {
        int copy = Math.min(length, keep - stored);
        if (copy <= 0) {
            return line;
        }
        if (stored + copy > line.length) {
            line = Arrays.copyOf(line, Math.min(keep, Math.max(stored + copy, line.length * 2)));
        }
        System.arraycopy(buffer, from, line, stored, copy);
        return line;
    }

    private static void emit(byte[] line, int stored, long fullSize, int lineNumber, RecordSink sink)
            throws BodyException {
        if (stored == fullSize && stored > 0 && line[stored - 1] == '\r') {
            stored--;
            fullSize--;
        }
        for (int i = 0; i < stored; i++) {
            if (line[i] != ' ' && line[i] != '\t') {
                sink.accept(lineNumber, Arrays.copyOf(line, (int) Math.min(stored, fullSize)), fullSize);
                return;
            }
        }
        // Blank (or whitespace-only) within the stored prefix: a record only if more bytes were cut off.
        if (fullSize > stored) {
            sink.accept(lineNumber, Arrays.copyOf(line, stored), fullSize);
        }
    }
}
