package dev.sluice.job.filter;

import dev.sluice.core.config.FilterConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A table's keyword filter, run on the raw bytes so that lines a table does not want cost no decoding
 * and no parse. Keywords are matched as UTF-8 byte sequences, case-sensitively.
 */
public final class KeywordFilter {

    /** What the filter decided for one line. */
    public enum Verdict {
        /** The table takes the line. */
        ACCEPT,
        /** No include keyword occurs: the line is not meant for this table. */
        NOT_INCLUDED,
        /** An exclude keyword occurs: the line is dropped on purpose ({@code filtered}). */
        EXCLUDED
    }

    private final byte[][] include;
    private final byte[][] exclude;

    public KeywordFilter(FilterConfig config) {
        this.include = utf8(config.include());
        this.exclude = utf8(config.exclude());
    }

    public Verdict test(byte[] line) {
        for (byte[] keyword : exclude) {
            if (indexOf(line, keyword) >= 0) {
                return Verdict.EXCLUDED;
            }
        }
        if (include.length == 0) {
            return Verdict.ACCEPT;
        }
        for (byte[] keyword : include) {
            if (indexOf(line, keyword) >= 0) {
                return Verdict.ACCEPT;
            }
        }
        return Verdict.NOT_INCLUDED;
    }

    private static byte[][] utf8(List<String> keywords) {
        return keywords.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    /** Naive search: keywords are short and lines are a few hundred bytes, so this beats building tables. */
    static int indexOf(byte[] haystack, byte[] needle) {
        if (needle.length == 0) {
            return 0;
        }
        byte first = needle[0];
        int last = haystack.length - needle.length;
        outer:
        for (int i = 0; i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
