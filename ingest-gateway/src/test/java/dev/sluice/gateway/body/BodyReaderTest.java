package dev.sluice.gateway.body;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.sluice.core.record.IngestErrorCode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BodyReaderTest {
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build();

    record Read(int index, String text, long fullSize) {
    }

    private static List<Read> read(byte[] body, boolean gzip, BodyFormat format, long maxRequest, int maxRecord)
            throws IOException {
        List<Read> records = new ArrayList<>();
        BodyReader.read(new ByteArrayInputStream(body), gzip, format, maxRequest, maxRecord, JSON,
                (index, bytes, fullSize) -> records.add(new Read(index, new String(bytes, StandardCharsets.UTF_8), fullSize)));
        return records;
    }

    private static List<Read> read(String body, BodyFormat format) throws IOException {
        return read(body.getBytes(StandardCharsets.UTF_8), false, format, 1 << 20, 100);
    }

    @Test
    void linesDropCrAndSkipBlankLinesButKeepLineNumbers() throws IOException {
        assertThat(read("a\r\n\n  \nb\nc", BodyFormat.TEXT_LINES)).containsExactly(
                new Read(0, "a", 1), new Read(3, "b", 1), new Read(4, "c", 1));
    }

    @Test
    void aLongLineKeepsAPrefixAndItsFullSize() throws IOException {
        String longLine = "x".repeat(250);
        assertThat(read("ok\n" + longLine + "\nok", BodyFormat.NDJSON)).containsExactly(
                new Read(0, "ok", 2), new Read(1, "x".repeat(101), 250), new Read(2, "ok", 2));
    }

    @Test
    void linesSpanningReadBuffersAreWhole() throws IOException {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            body.append("{\"i\":").append(i).append("}\n");
        }
        List<Read> records = read(body.toString().getBytes(StandardCharsets.UTF_8), false, BodyFormat.NDJSON, 1 << 20, 100);
        assertThat(records).hasSize(20_000);
        assertThat(records.get(12_345)).isEqualTo(new Read(12_345, "{\"i\":12345}", 11));
    }

    /** A body delivered in reads of the given sizes, so a test decides where the read buffer ends. */
    private static List<Read> readInPieces(String body, int maxRecord, int... pieces) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        InputStream chunked = new InputStream() {
            int position;
            int piece;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= bytes.length) {
                    return -1;
                }
                int n = Math.min(len, Math.min(bytes.length - position, piece < pieces.length ? pieces[piece++] : len));
                System.arraycopy(bytes, position, b, off, n);
                position += n;
                return n;
            }
        };
        List<Read> records = new ArrayList<>();
        BodyReader.read(chunked, false, BodyFormat.NDJSON, 1 << 20, maxRecord, JSON,
                (index, record, fullSize) -> records.add(new Read(index, new String(record, StandardCharsets.UTF_8), fullSize)));
        return records;
    }

    @Test
    void aLineSplitAcrossTwoReadsIsOneRecord() throws IOException {
        assertThat(readInPieces("ab\ncdef\ng", 100, 5)).containsExactly(
                new Read(0, "ab", 2), new Read(1, "cdef", 4), new Read(2, "g", 1));
        // Split right before and right after the newline.
        assertThat(readInPieces("abc\ndef\n", 100, 3)).containsExactly(new Read(0, "abc", 3), new Read(1, "def", 3));
        assertThat(readInPieces("abc\ndef\n", 100, 4)).containsExactly(new Read(0, "abc", 3), new Read(1, "def", 3));
    }

    @Test
    void aCrAtTheEndOfAReadIsDroppedWithTheNextNewline() throws IOException {
        assertThat(readInPieces("ab\r\ncd\r\n", 100, 3)).containsExactly(new Read(0, "ab", 2), new Read(1, "cd", 2));
        // A lone CR before a split, not followed by a newline, stays in the record.
        assertThat(readInPieces("ab\rx\n", 100, 3)).containsExactly(new Read(0, "ab\rx", 4));
        // Whitespace-only across a split is still blank, and still numbered.
        assertThat(readInPieces(" \t\r\nz\n", 100, 2)).containsExactly(new Read(1, "z", 1));
    }

    @Test
    void aLineOfExactlyTheLimitIsWholeAndOneMoreIsCut() throws IOException {
        String atLimit = "y".repeat(10);
        String over = "z".repeat(11);
        String body = atLimit + "\n" + atLimit + "\r\n" + over + "\n" + over + "\r\n" + atLimit;
        List<Read> expected = List.of(new Read(0, atLimit, 10), new Read(1, atLimit, 10), new Read(2, over, 11),
                new Read(3, over, 12), new Read(4, atLimit, 10));
        assertThat(read(body.getBytes(StandardCharsets.UTF_8), false, BodyFormat.NDJSON, 1 << 20, 10))
                .containsExactlyElementsOf(expected);
        // The same lines split at every possible read size.
        for (int piece = 1; piece <= body.length(); piece++) {
            assertThat(readInPieces(body, 10, piece, piece, piece, piece, piece, piece, piece, piece, piece, piece))
                    .as("reads of %d bytes", piece).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aNewlineAtEveryOffsetOfAWordIsFound() throws IOException {
        // The newline search looks at eight bytes at a time: lines of 0..19 bytes put it at every offset, and
        // a byte above 0x7F next to it must not be mistaken for it.
        StringBuilder body = new StringBuilder();
        List<Read> expected = new ArrayList<>();
        for (int length = 0; length < 20; length++) {
            String text = "é".repeat(length / 4) + "x".repeat(length - 2 * (length / 4));
            body.append(text).append('\n');
            if (!text.isEmpty()) {
                expected.add(new Read(length, text, text.getBytes(StandardCharsets.UTF_8).length));
            }
        }
        assertThat(read(body.toString(), BodyFormat.NDJSON)).containsExactlyElementsOf(expected);
        for (int piece = 1; piece <= 9; piece++) {
            int[] pieces = new int[body.length() * 2];
            java.util.Arrays.fill(pieces, piece);
            assertThat(readInPieces(body.toString(), 100, pieces)).as("reads of %d bytes", piece)
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void jsonDocumentRecordsAreTheOriginalBytes() throws IOException {
        assertThat(read(" { \"a\" : [1, 2] } ", BodyFormat.JSON_DOCUMENT)).containsExactly(new Read(0, "{ \"a\" : [1, 2] }", 16));
        assertThat(read("[{\"a\":\"]}\"}, {\"b\":{}} ,\"s\", 12]", BodyFormat.JSON_DOCUMENT)).extracting(Read::text)
                .containsExactly("{\"a\":\"]}\"}", "{\"b\":{}}", "\"s\"", "12");
    }

    @Test
    void malformedJsonDocumentsAreRefusedAsAWhole() {
        assertCode("[{\"a\":1}, {\"b\":", BodyFormat.JSON_DOCUMENT, IngestErrorCode.INVALID_JSON);
        assertCode("{\"a\":1} {\"b\":2}", BodyFormat.JSON_DOCUMENT, IngestErrorCode.INVALID_JSON);
        assertCode("\"just a string\"", BodyFormat.JSON_DOCUMENT, IngestErrorCode.INVALID_JSON);
        assertCode("[".repeat(10_000) + "]".repeat(10_000), BodyFormat.JSON_DOCUMENT, IngestErrorCode.INVALID_JSON);
        assertCode("   ", BodyFormat.JSON_DOCUMENT, IngestErrorCode.EMPTY_BODY);
    }

    @Test
    void gzipIsCheckedAndItsExpansionIsBounded() throws IOException {
        assertThat(read(gzip("a\nb\n".getBytes(StandardCharsets.UTF_8)), true, BodyFormat.TEXT_LINES, 100, 10))
                .extracting(Read::text).containsExactly("a", "b");
        assertThatThrownBy(() -> read("not gzip".getBytes(StandardCharsets.UTF_8), true, BodyFormat.TEXT_LINES, 100, 10))
                .isInstanceOfSatisfying(BodyException.class, e -> assertThat(e.code()).isEqualTo(IngestErrorCode.INVALID_GZIP));
        byte[] bomb = gzip(new byte[10 << 20]);
        assertThat(bomb.length).isLessThan(20_000);
        assertThatThrownBy(() -> read(bomb, true, BodyFormat.TEXT_LINES, 1 << 20, 10))
                .isInstanceOfSatisfying(BodyException.class, e -> assertThat(e.code()).isEqualTo(IngestErrorCode.REQUEST_TOO_LARGE));
        byte[] whole = gzip("a\nb\n".getBytes(StandardCharsets.UTF_8));
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 6);
        assertThatThrownBy(() -> read(cut, true, BodyFormat.TEXT_LINES, 100, 10))
                .isInstanceOfSatisfying(BodyException.class, e -> assertThat(e.code()).isEqualTo(IngestErrorCode.INVALID_GZIP));
    }

    /** 50 MB of NDJSON generated on the fly: the reader streams it with a fixed buffer plus one array per record. */
    @Test
    void fiftyMegabytesOfNdjsonStream() throws IOException {
        byte[] line = "{\"level\":\"INFO\",\"service\":\"checkout\",\"msg\":\"order placed\",\"order\":123456789}\n"
                .getBytes(StandardCharsets.UTF_8);
        long total = 50L << 20;
        InputStream generated = new InputStream() {
            long position;

            @Override
            public int read() {
                return position < total ? line[(int) (position++ % line.length)] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= total) {
                    return -1;
                }
                int n = (int) Math.min(len, total - position);
                for (int i = 0; i < n; i++) {
                    b[off + i] = line[(int) (position++ % line.length)];
                }
                return n;
            }
        };
        long[] seen = new long[2];
        long read = BodyReader.read(generated, false, BodyFormat.NDJSON, 64L << 20, 1024, JSON, (index, bytes, fullSize) -> {
            seen[0]++;
            seen[1] += bytes.length + 1;
        });
        assertThat(read).isEqualTo(total);
        assertThat(seen[0]).isEqualTo((total + line.length - 1) / line.length);
    }

    private static void assertCode(String body, BodyFormat format, IngestErrorCode code) {
        assertThatThrownBy(() -> read(body, format))
                .isInstanceOfSatisfying(BodyException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }
}
