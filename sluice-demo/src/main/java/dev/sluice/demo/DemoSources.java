package dev.sluice.demo;

import java.util.List;

/** The demo's log sources (configured in the gateway's {@code demo} profile) and their content types. */
public final class DemoSources {
    public static final String APP_LOGS = "app-logs";
    public static final String GAME_OPS = "game-ops";
    public static final String NGINX_ACCESS = "nginx-access";

    /** A source, the content type it is posted as, and its share of the generated events. */
    public record Source(String name, String contentType, double share) {
    }

    public static final List<Source> ALL = List.of(
            new Source(APP_LOGS, "application/x-ndjson", 0.5),
            new Source(GAME_OPS, "text/plain", 0.3),
            new Source(NGINX_ACCESS, "text/plain", 0.2));

    private DemoSources() {
    }
}
