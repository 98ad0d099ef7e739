package dev.sluice.job.extend;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.Arrays;

/**
 * A dotted path into a record ({@code role.guild.id}), split once at open instead of per record. When a
 * table explodes an array, paths under the exploded path address the current element: the explode path
 * becomes the first segment as a whole.
 */
public final class FieldPath implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String[] segments;
    /** Array index per segment ({@code items.0.sku}), -1 where the segment is not a number. */
    private final int[] indexes;

    private FieldPath(String path, String[] segments) {
        this.path = path;
        this.segments = segments;
        this.indexes = new int[segments.length];
        for (int i = 0; i < segments.length; i++) {
            indexes[i] = segments[i].matches("\\d{1,9}") ? Integer.parseInt(segments[i]) : -1;
        }
    }

    public static FieldPath of(String path) {
        return new FieldPath(path, path.split("\\.", -1));
    }

    /** A path that treats {@code explodePath} (may be null) as one segment naming the current element. */
    public static FieldPath of(String path, String explodePath) {
        if (explodePath == null || !(path.equals(explodePath) || path.startsWith(explodePath + "."))) {
            return of(path);
        }
        String rest = path.substring(explodePath.length());
        String[] tail = rest.isEmpty() ? new String[0] : rest.substring(1).split("\\.", -1);
        String[] segments = new String[tail.length + 1];
        segments[0] = explodePath;
        System.arraycopy(tail, 0, segments, 1, tail.length);
        return new FieldPath(path, segments);
    }

    /** First segment: the top-level field name. */
    public String head() {
        return segments[0];
    }

    int length() {
        return segments.length;
    }

    /** The child of {@code node} named by segment {@code i}, or null. */
    JsonNode step(JsonNode node, int i) {
        return node.isArray() && indexes[i] >= 0 ? node.get(indexes[i]) : node.get(segments[i]);
    }

    @Override
    public String toString() {
        return path;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldPath that && Arrays.equals(segments, that.segments);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(segments);
    }
}
