package dev.sluice.gateway.body;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Splits a body into lines ({@code \n}, an optional {@code \r} before it is dropped) while streaming:
 * the body is never held whole, each record is copied once into its own array, and a line longer than
 * the per-record limit keeps only its prefix (one extra byte, to see a {@code \r}) while the rest is
 * counted and skipped. Blank lines are not records but keep their line number.
 */
final class LineReader {
    private static final int READ_BUFFER = 64 * 1024;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;

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
            int end;
            while ((end = indexOfNewline(buffer, start, n)) >= 0) {
                int chunk = end - start;
                if (fullSize == 0) {
                    // The common case, a line wholly inside the buffer: copied once, straight into its record.
                    emit(buffer, start, Math.min(keep, chunk), chunk, lineNumber++, sink);
                } else {
                    line = append(line, stored, buffer, start, chunk, keep);
                    stored = Math.min(keep, stored + chunk);
                    fullSize += chunk;
                    emit(line, 0, stored, fullSize, lineNumber++, sink);
                    stored = 0;
                    fullSize = 0;
                }
                start = end + 1;
            }
            int chunk = n - start;
            line = append(line, stored, buffer, start, chunk, keep);
            stored = (int) Math.min(keep, (long) stored + chunk);
            fullSize += chunk;
        }
        if (fullSize > 0) {
            emit(line, 0, stored, fullSize, lineNumber, sink);
        }
    }

    /** Eight bytes at a time (SWAR): a byte equal to {@code \n} becomes zero, and a zero byte sets its high bit. */
    private static int indexOfNewline(byte[] buffer, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONGS.get(buffer, i) ^ NEWLINES;
            long zero = (word - 0x0101010101010101L) & ~word & 0x8080808080808080L;
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return -1;
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

    private static void emit(byte[] bytes, int from, int stored, long fullSize, int lineNumber, RecordSink sink)
            throws BodyException {
        if (stored == fullSize && stored > 0 && bytes[from + stored - 1] == '\r') {
            stored--;
            fullSize--;
        }
        int to = from + stored;
        for (int i = from; i < to; i++) {
            if (bytes[i] != ' ' && bytes[i] != '\t') {
                sink.accept(lineNumber, Arrays.copyOfRange(bytes, from, from + (int) Math.min(stored, fullSize)), fullSize);
                return;
            }
        }
        // Blank (or whitespace-only) within the stored prefix: a record only if more bytes were cut off.
        if (fullSize > stored) {
            sink.accept(lineNumber, Arrays.copyOfRange(bytes, from, to), fullSize);
        }
    }
}
