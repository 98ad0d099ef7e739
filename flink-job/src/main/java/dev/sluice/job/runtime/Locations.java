package dev.sluice.job.runtime;

import java.nio.file.Path;

/** Storage locations given on the command line or in code: a URI, or a local path. */
public final class Locations {
    private Locations() {
    }

    /** {@code location} as a URI string: URIs ({@code file://}, {@code s3a://}) as they are, local paths made absolute. */
    public static String toUri(String location) {
        return location.contains("://") ? location : Path.of(location).toAbsolutePath().toUri().toString();
    }
}
