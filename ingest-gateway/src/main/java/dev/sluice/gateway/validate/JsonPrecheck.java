package dev.sluice.gateway.validate;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A fast check of the common record: a plain RFC 8259 JSON object, well inside every parser limit. It only
 * ever says "valid" (with the key field's value, found the way {@link RecordValidator} finds it) or "not
 * sure"; anything unusual (escapes in the key, deep nesting, long numbers or names, a BOM, any error) is left
 * to Jackson, which gives the verdict and its message. Why: creating and running a Jackson parser per record
 * was a large share of the gateway's CPU per record on batched bodies.
 */
final class JsonPrecheck {
    /** Far below Jackson's limits (1000 characters per number, 50000 per name), so both agree. */
    private static final int MAX_NUMBER = 100;
    private static final int MAX_NAME = 1000;
    private static final int MAX_DEPTH = 64;
    /** Far below Jackson's 20 million characters per string, so no string here can reach that limit. */
    private static final int MAX_RECORD = 1 << 20;

    private final byte[] bytes;
    private final int to;
    private final int maxDepth;
    private String keyValue;

    private JsonPrecheck(byte[] bytes, int to, int maxDepth) {
        this.bytes = bytes;
        this.to = to;
        this.maxDepth = Math.min(maxDepth, MAX_DEPTH);
    }

    /**
     * @param key the key field's name in UTF-8, or null
     * @return the verdict when the object is certainly valid, or null to ask Jackson
     */
    static Verdict.Valid valid(byte[] bytes, int from, int to, byte[] key, int maxDepth) {
        if (to - from > MAX_RECORD) {
            return null;
        }
        JsonPrecheck check = new JsonPrecheck(bytes, to, maxDepth);
        int i = check.whitespace(from);
        if (i >= to || bytes[i] != '{') {
            return null;
        }
        i = check.object(i, 1, key);
        if (i < 0 || check.whitespace(i) != to) {
            return null;
        }
        return check.keyValue == null ? Verdict.Valid.WITHOUT_KEY : new Verdict.Valid(check.keyValue);
    }

    private int whitespace(int i) {
        while (i < to && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\n' || bytes[i] == '\r')) {
            i++;
        }
        return i;
    }

    /** @return the index after the object, or -1 */
    private int object(int i, int depth, byte[] key) {
        if (depth >= maxDepth) {
            return -1;
        }
        i = whitespace(i + 1);
        if (i < to && bytes[i] == '}') {
            return i + 1;
        }
        while (true) {
            if (i >= to || bytes[i] != '"') {
                return -1;
            }
            int nameEnd = string(i);
            if (nameEnd < 0 || nameEnd - i - 2 > MAX_NAME) {
                return -1;
            }
            boolean isKey = false;
            if (key != null && keyValue == null) {
                if (hasBackslash(i + 1, nameEnd - 1)) {
                    return -1;
                }
                isKey = Arrays.equals(bytes, i + 1, nameEnd - 1, key, 0, key.length);
            }
            i = whitespace(nameEnd);
            if (i >= to || bytes[i] != ':') {
                return -1;
            }
            int valueStart = whitespace(i + 1);
            int valueEnd = value(valueStart, depth);
            if (valueEnd < 0) {
                return -1;
            }
            if (isKey && !keyValue(valueStart, valueEnd)) {
                return -1;
            }
            i = whitespace(valueEnd);
            if (i < to && bytes[i] == ',') {
                i = whitespace(i + 1);
            } else if (i < to && bytes[i] == '}') {
                return i + 1;
            } else {
                return -1;
            }
        }
    }

    /** Takes the key field's value as Jackson's {@code getText()} would; false when that needs unescaping. */
    private boolean keyValue(int start, int end) {
        byte first = bytes[start];
        if (first == '"') {
            if (hasBackslash(start + 1, end - 1)) {
                return false;
            }
            keyValue = new String(bytes, start + 1, end - start - 2, StandardCharsets.UTF_8);
        } else if (first != '{' && first != '[' && first != 'n') {
            keyValue = new String(bytes, start, end - start, StandardCharsets.US_ASCII);
        }
        return true;
    }

    private int array(int i, int depth) {
        if (depth >= maxDepth) {
            return -1;
        }
        i = whitespace(i + 1);
        if (i < to && bytes[i] == ']') {
            return i + 1;
        }
        while (true) {
            i = value(i, depth);
            if (i < 0) {
                return -1;
            }
            i = whitespace(i);
            if (i < to && bytes[i] == ',') {
                i = whitespace(i + 1);
            } else if (i < to && bytes[i] == ']') {
                return i + 1;
            } else {
                return -1;
            }
        }
    }

    /** @param depth of the container the value is in */
    private int value(int i, int depth) {
        if (i >= to) {
            return -1;
        }
        return switch (bytes[i]) {
            case '{' -> object(i, depth + 1, null);
            case '[' -> array(i, depth + 1);
            case '"' -> string(i);
            case 't' -> literal(i, "true");
            case 'f' -> literal(i, "false");
            case 'n' -> literal(i, "null");
            default -> number(i);
        };
    }

    /** @return the index after the closing quote, or -1 */
    private int string(int i) {
        for (i++; i < to; i++) {
            int c = bytes[i] & 0xFF;
            if (c == '"') {
                return i + 1;
            }
            if (c < 0x20) {
                return -1;
            }
            if (c == '\\') {
                if (i + 1 >= to) {
                    return -1;
                }
                int escaped = bytes[++i];
                if (escaped == 'u') {
                    for (int k = 0; k < 4; k++) {
                        if (++i >= to || Character.digit(bytes[i], 16) < 0) {
                            return -1;
                        }
                    }
                } else if ("\"\\/bfnrt".indexOf(escaped) < 0) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private int literal(int i, String text) {
        if (i + text.length() > to) {
            return -1;
        }
        for (int k = 0; k < text.length(); k++) {
            if (bytes[i + k] != text.charAt(k)) {
                return -1;
            }
        }
        return i + text.length();
    }

    private int number(int i) {
        int start = i;
        if (i < to && bytes[i] == '-') {
            i++;
        }
        if (i < to && bytes[i] == '0') {
            i++;
        } else if (i < to && bytes[i] >= '1' && bytes[i] <= '9') {
            i = digits(i);
        } else {
            return -1;
        }
        if (i < to && bytes[i] == '.') {
            int fraction = digits(i + 1);
            if (fraction == i + 1) {
                return -1;
            }
            i = fraction;
        }
        if (i < to && (bytes[i] == 'e' || bytes[i] == 'E')) {
            i++;
            if (i < to && (bytes[i] == '+' || bytes[i] == '-')) {
                i++;
            }
            int exponent = digits(i);
            if (exponent == i) {
                return -1;
            }
            i = exponent;
        }
        return i - start > MAX_NUMBER ? -1 : i;
    }

    private int digits(int i) {
        while (i < to && bytes[i] >= '0' && bytes[i] <= '9') {
            i++;
        }
        return i;
    }

    private boolean hasBackslash(int from, int end) {
        for (int i = from; i < end; i++) {
            if (bytes[i] == '\\') {
                return true;
            }
        }
        return false;
    }
}
