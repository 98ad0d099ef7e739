package dev.sluice.demo;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Realistic lines for the three demo sources, from a seed so runs are repeatable. A small share of
 * lines is deliberately broken in ways the gateway accepts but the ETL rejects (a type that does not
 * convert, a line the pattern does not match), so the error path has work to do.
 */
public final class LogGenerator {
    private static final DateTimeFormatter OPS_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter NGINX_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final String[] LEVELS = {"INFO", "INFO", "INFO", "INFO", "WARN", "ERROR", "DEBUG"};
    private static final String[] SERVICES = {"api", "auth", "matchmaker", "store"};
    private static final String[] PATHS = {"/api/items?id=", "/api/cart/", "/static/app.js?v=", "/login?next=/", "/api/ranking?page="};
    private static final String[] AGENTS = {"Mozilla/5.0 (X11; Linux x86_64)", "curl/8.5.0", "okhttp/4.12.0"};
    private static final String[] REGIONS = {"eu", "us", "ap"};

    private final Random random;
    private final double badRatio;
    private final long startMillis;
    private long sequence;

    public LogGenerator(long seed, double badRatio, Instant start) {
        this.random = new Random(seed);
        this.badRatio = badRatio;
        this.startMillis = start.toEpochMilli();
    }

    /** The next {@code count} lines of a demo source. */
    public List<String> lines(String source, int count) {
        List<String> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean bad = random.nextDouble() < badRatio;
            lines.add(switch (source) {
                case DemoSources.APP_LOGS -> appLog(bad);
                case DemoSources.GAME_OPS -> gameOps(bad);
                case DemoSources.NGINX_ACCESS -> nginx(bad);
                default -> throw new IllegalArgumentException("not a demo source: " + source);
            });
        }
        return lines;
    }

    private Instant nextTime() {
        sequence++;
        return Instant.ofEpochMilli(startMillis + sequence * 37 + random.nextInt(30));
    }

    private String appLog(boolean bad) {
        Instant ts = nextTime();
        String level = LEVELS[random.nextInt(LEVELS.length)];
        String latency = bad ? "\"fast\"" : String.valueOf(random.nextInt(900) + 1);
        return "{\"ts\":\"" + ts + "\",\"level\":\"" + level + "\",\"service\":\"" + SERVICES[random.nextInt(SERVICES.length)]
                + "\",\"host\":\"web-" + (1 + random.nextInt(4)) + "\",\"trace_id\":\"" + traceId()
                + "\",\"msg\":\"" + ("ERROR".equals(level) ? "upstream timed out" : "request served")
                + "\",\"latency_ms\":" + latency + ",\"user\":{\"id\":" + random.nextInt(100_000)
                + ",\"region\":\"" + REGIONS[random.nextInt(REGIONS.length)] + "\"}}";
    }

    private String gameOps(boolean bad) {
        Instant ts = nextTime();
        int roleId = 1000 + random.nextInt(9000);
        String role = "{\"id\":" + roleId + ",\"name\":\"hero" + roleId + "\",\"level\":" + (1 + random.nextInt(80))
                + ",\"guild\":{\"id\":" + random.nextInt(50) + "}}";
        String time = OPS_TIME.format(ts);
        if (random.nextInt(4) == 0) {
            String amount = bad ? "\"free\"" : String.format(Locale.ROOT, "%.2f", 0.99 + random.nextInt(100));
            return time + " [payment] {\"role\":" + role + ",\"order_id\":\"o-" + sequence + "-" + random.nextInt(1_000_000)
                    + "\",\"amount\":" + amount + ",\"currency\":\"USD\"}";
        }
        String server = bad ? "{\"id\":\"s" + random.nextInt(8) + "\"}" : "\"s" + random.nextInt(8) + "\"";
        return time + " [login] {\"role\":" + role + ",\"server\":" + server + ",\"ip\":\"" + ip() + "\"}";
    }

    private String nginx(boolean bad) {
        Instant ts = nextTime();
        String path = PATHS[random.nextInt(PATHS.length)] + random.nextInt(10_000);
        int status = random.nextInt(20) == 0 ? 500 : random.nextInt(10) == 0 ? 404 : 200;
        if (bad) {
            return ip() + " - - [" + NGINX_TIME.format(ts) + "] garbled request line";
        }
        return ip() + " - - [" + NGINX_TIME.format(ts) + "] \"GET " + path + " HTTP/1.1\" " + status + " "
                + (200 + random.nextInt(20_000)) + " \"-\" \"" + AGENTS[random.nextInt(AGENTS.length)] + "\"";
    }

    private String traceId() {
        return Long.toHexString(random.nextLong()) + Long.toHexString(sequence);
    }

    private String ip() {
        return (10 + random.nextInt(200)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }
}
