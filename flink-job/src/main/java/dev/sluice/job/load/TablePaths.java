package dev.sluice.job.load;

import dev.sluice.job.runtime.Locations;

/** Where a table lives under the lake root: {@code <root>/<database>/<table>}. */
public final class TablePaths {
    private TablePaths() {
    }

    /**
     * The table's base path. {@code lakeRoot} is a URI ({@code file:///...}, {@code s3a://bucket/...})
     * or a local path.
     */
    public static String of(String lakeRoot, String database, String table) {
        String root = Locations.toUri(lakeRoot);
        return (root.endsWith("/") ? root : root + "/") + database + "/" + table;
    }
}
