package dev.sluice.gateway.body;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Keeps the bytes read since a mark, so that the exact bytes of a JSON value can be cut out by the
 * offsets the streaming parser reports (the parser reads ahead, hence a window rather than a copy).
 */
final class CapturingInputStream extends FilterInputStream {
    private byte[] window = new byte[16 * 1024];
    private long windowStart;
    private int windowLength;

    CapturingInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            ensure(1);
            window[windowLength++] = (byte) b;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            ensure(n);
            System.arraycopy(buffer, offset, window, windowLength, n);
            windowLength += n;
        }
        return n;
    }

    /** Forgets the bytes before an absolute stream offset. */
    void discardBefore(long offset) {
        int drop = (int) Math.min(windowLength, offset - windowStart);
        if (drop <= 0) {
            return;
        }
        System.arraycopy(window, drop, window, 0, windowLength - drop);
        windowLength -= drop;
        windowStart += drop;
    }

    /** The bytes between two absolute offsets, both within the window. */
    byte[] copy(long from, long to) {
        return Arrays.copyOfRange(window, (int) (from - windowStart), (int) (to - windowStart));
    }

    private void ensure(int more) {
        if (windowLength + more > window.length) {
            window = Arrays.copyOf(window, Math.max(windowLength + more, window.length * 2));
        }
    }
}
