package dev.sluice.gateway.validate;

/** Strict UTF-8 check without decoding: no overlong forms, no surrogates, nothing above U+10FFFF. */
public final class Utf8 {
    private Utf8() {
    }

    /** Offset of the first byte that breaks UTF-8 in {@code [from, to)}, or -1 when the range is valid. */
    public static int firstInvalid(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int needed;
            int min;
            if (b >= 0xC2 && b <= 0xDF) {
                needed = 1;
                min = 0x80;
            } else if (b >= 0xE0 && b <= 0xEF) {
                needed = 2;
                min = 0x800;
            } else if (b >= 0xF0 && b <= 0xF4) {
                needed = 3;
                min = 0x10000;
            } else {
                return i;
            }
            if (i + needed >= to) {
                return i;
            }
            int codePoint = b & (0x3F >> needed);
            for (int k = 1; k <= needed; k++) {
                int c = bytes[i + k] & 0xFF;
                if ((c & 0xC0) != 0x80) {
                    return i;
                }
                codePoint = (codePoint << 6) | (c & 0x3F);
            }
            if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
                return i;
            }
            i += needed + 1;
        }
        return -1;
    }
}
