package dev.sluice.job.parse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A regex whose named groups are fields, compiled once. Java group names allow only letters and digits,
 * but field names are snake_case ({@code remote_addr}), so named groups are renamed to {@code g1, g2, …}
 * before compiling and mapped back here. Grok references are expanded first (see {@link Grok}).
 */
public final class FieldPattern {
    private static final Pattern NAMED_GROUP = Pattern.compile("(?<!\\\\)\\(\\?<([A-Za-z_][A-Za-z0-9_]*)>");

    private final Pattern pattern;
    private final List<String> fields;
    private final String[] groupNames;

    private FieldPattern(Pattern pattern, List<String> fields) {
        this.pattern = pattern;
        this.fields = List.copyOf(fields);
        this.groupNames = new String[fields.size()];
        for (int i = 0; i < groupNames.length; i++) {
            groupNames[i] = "g" + (i + 1);
        }
    }

    /**
     * Compiles {@code regex}.
     *
     * @throws java.util.regex.PatternSyntaxException if it is not a valid regex
     * @throws IllegalArgumentException on an unknown Grok pattern name
     */
    public static FieldPattern compile(String regex) {
        String expanded = Grok.expand(regex);
        List<String> fields = new ArrayList<>();
        Matcher m = NAMED_GROUP.matcher(expanded);
        StringBuilder renamed = new StringBuilder();
        while (m.find()) {
            fields.add(m.group(1));
            m.appendReplacement(renamed, "(?<g" + fields.size() + ">");
        }
        m.appendTail(renamed);
        return new FieldPattern(Pattern.compile(renamed.toString()), fields);
    }

    /** Field names of the named groups, in pattern order. */
    public List<String> fields() {
        return fields;
    }

    /**
     * A matcher over {@code text} whose matching methods throw {@link BudgetedText.Exceeded} once they
     * have spent {@code budgetNanos} of the thread's CPU time.
     */
    Matcher matcher(String text, long budgetNanos) {
        return pattern.matcher(new BudgetedText(text, budgetNanos));
    }

    /** Puts each named group that took part in the match into {@code target} as a text field. */
    public void copyGroups(Matcher match, ObjectNode target) {
        for (int i = 0; i < fields.size(); i++) {
            String value = match.group(groupNames[i]);
            if (value != null) {
                target.put(fields.get(i), value);
            }
        }
    }
}
