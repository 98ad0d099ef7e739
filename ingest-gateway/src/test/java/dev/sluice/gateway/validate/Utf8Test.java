package dev.sluice.gateway.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time scans against the JDK's strict decoder and a plain loop, at every alignment. */
class Utf8Test {
    private static final byte[][] PIECES = {
        "a".getBytes(StandardCharsets.UTF_8), "{\"k\":1}".getBytes(StandardCharsets.UTF_8),
        "é".getBytes(StandardCharsets.UTF_8), "€".getBytes(StandardCharsets.UTF_8),
        "😀".getBytes(StandardCharsets.UTF_8), {0}, {(byte) 0xC3}, {(byte) 0xC0, (byte) 0x80},
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xFF},
    };

    @Test
    void agreesWithTheJdkDecoderAndAPlainLoop() {
        Random random = new Random(11);
        for (int round = 0; round < 20_000; round++) {
            ByteBuffer buffer = ByteBuffer.allocate(256);
            int pieces = random.nextInt(40);
            for (int p = 0; p < pieces; p++) {
                // Mostly valid text (every third round ASCII), so that an error lands anywhere in a word
                // and after long valid runs.
                int valid = round % 3 == 0 ? 2 : 5;
                byte[] piece = PIECES[random.nextInt(10) < 8 ? random.nextInt(valid) : random.nextInt(PIECES.length)];
                if (buffer.remaining() >= piece.length) {
                    buffer.put(piece);
                }
            }
            byte[] bytes = new byte[buffer.position() + 3];
            System.arraycopy(buffer.array(), 0, bytes, 1, buffer.position());
            int from = 1;
            int to = 1 + buffer.position();

            int invalid = Utf8.firstInvalid(bytes, from, to);
            assertThat(invalid >= 0).as("round %d", round).isEqualTo(!decodes(bytes, from, to));
            if (invalid >= 0) {
                assertThat(decodes(bytes, from, invalid)).as("prefix before %d, round %d", invalid, round).isTrue();
            }
            int nul = -1;
            for (int i = from; i < to && nul < 0; i++) {
                nul = bytes[i] == 0 ? i : -1;
            }
            assertThat(Utf8.firstNul(bytes, from, to)).as("round %d", round).isEqualTo(nul);
            boolean asciiWithoutNul = true;
            for (int i = from; i < to; i++) {
                asciiWithoutNul &= bytes[i] > 0;
            }
            assertThat(Utf8.isAsciiWithoutNul(bytes, from, to)).as("round %d", round).isEqualTo(asciiWithoutNul);
        }
    }

    private static boolean decodes(byte[] bytes, int from, int to) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, from, to - from));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
