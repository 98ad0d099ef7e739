package dev.sluice.job.parse;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * One raw record's bytes as the parsers see them. Text parsers need the decoded line, JSON parsers read
 * the bytes directly; the text is decoded at most once per record, on first demand, and shared.
 */
public final class RawLine {
    private final byte[] bytes;
    private String text;
    private boolean decoded;

    public RawLine(byte[] bytes) {
        this.bytes = bytes;
    }

    public byte[] bytes() {
        return bytes;
    }

    /** The line as text, or null when the bytes are not valid UTF-8. */
    public String text() {
        if (!decoded) {
            decoded = true;
            text = decodeStrict(bytes);
        }
        return text;
    }

    /** Whether {@code bytes[offset, offset+length)} is valid UTF-8 (for failure paths: it decodes them). */
    static boolean isUtf8(byte[] bytes, int offset, int length) {
        try {
            strictDecoder().decode(ByteBuffer.wrap(bytes, offset, length));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static String decodeStrict(byte[] bytes) {
        try {
            return strictDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static CharsetDecoder strictDecoder() {
        // A replacing decoder would turn garbage into U+FFFD rows; the error stream keeps the bytes instead.
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }
}
