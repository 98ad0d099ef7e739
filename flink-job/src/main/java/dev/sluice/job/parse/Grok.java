package dev.sluice.job.parse;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Grok-style references in parser patterns: {@code %{NAME}} inserts a named pattern,
 * {@code %{NAME:field}} inserts it as the named group {@code field}. A small built-in set covering
 * common log formats; anything else is written as plain regex.
 */
public final class Grok {
    private static final Pattern REFERENCE = Pattern.compile("%\\{([A-Z0-9_]+)(?::([A-Za-z_][A-Za-z0-9_]*))?}");

    static final Map<String, String> PATTERNS = Map.ofEntries(
            Map.entry("INT", "[+-]?\\d+"),
            Map.entry("NUMBER", "[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)"),
            Map.entry("WORD", "\\w+"),
            Map.entry("NOTSPACE", "\\S+"),
            Map.entry("SPACE", "\\s*"),
            Map.entry("DATA", ".*?"),
            Map.entry("GREEDYDATA", ".*"),
            Map.entry("QUOTEDCONTENT", "[^\"]*"),
            Map.entry("IPV4", "(?:\\d{1,3}\\.){3}\\d{1,3}"),
            Map.entry("IP", "(?:(?:\\d{1,3}\\.){3}\\d{1,3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)"),
            Map.entry("HOSTNAME", "[A-Za-z0-9.-]+"),
            Map.entry("LOGLEVEL", "(?:TRACE|DEBUG|INFO|NOTICE|WARN(?:ING)?|ERROR|FATAL|CRITICAL)"),
            Map.entry("HTTPDATE", "\\d{2}/[A-Za-z]{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}"),
            Map.entry("TIMESTAMP_ISO8601",
                    "\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?"));

    private Grok() {
    }

    /**
     * Expands every reference in {@code regex}.
     *
     * @throws IllegalArgumentException naming the first unknown pattern
     */
    public static String expand(String regex) {
        Matcher m = REFERENCE.matcher(regex);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String body = PATTERNS.get(m.group(1));
            if (body == null) {
                throw new IllegalArgumentException("unknown Grok pattern '%{" + m.group(1) + "}', known: "
                        + PATTERNS.keySet().stream().sorted().toList());
            }
            String group = m.group(2) == null ? "(?:" + body + ")" : "(?<" + m.group(2) + ">" + body + ")";
            m.appendReplacement(out, Matcher.quoteReplacement(group));
        }
        m.appendTail(out);
        return out.toString();
    }
}
