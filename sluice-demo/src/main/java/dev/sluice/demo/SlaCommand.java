package dev.sluice.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.endpoints.Endpoints;
import dev.sluice.core.sla.SlaMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice sla}: the SLA table of the running jobs in the terminal, for people without Grafana. Reads
 * Flink's REST API: the {@code sluice-sla} accumulator of each running job (exact table names, summed over
 * subtasks) and the tables' {@code lastCommittedIngestTime} gauges (maximum over subtasks).
 */
@Command(name = "sla", mixinStandardHelpOptions = true,
        description = "Prints per job and table: records in, out, dropped, errored, the error ratio and the age of the "
                + "newest committed record, read from the running Flink jobs (REST API).")
public final class SlaCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COMMITTED_SUFFIX = "." + SlaMetrics.LAST_COMMITTED_INGEST_TIME;
    private static final String TABLE_SCOPE = "." + SlaMetrics.METRIC_GROUP + ".table.";

    @Option(names = "--data-dir", defaultValue = "data",
            description = "Data directory of a running `./sluice demo --keep-running`: its endpoints.json names the Flink "
                    + "REST API (default ./${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--flink-url", description = "Flink REST API (JobManager web UI), e.g. http://127.0.0.1:8081; "
            + "default: flink_ui of DIR/endpoints.json.")
    String flinkUrl;

    @Option(names = "--watch", defaultValue = "0", description = "Reprint every this many seconds until Ctrl-C; 0 prints "
            + "once (default ${DEFAULT-VALUE}).")
    int watchSeconds;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** One row: a table of a job (or the job's own account, table {@code _job}). */
    record Row(String table, long in, long out, long dropped, long errored, Long committedAt) {
        boolean balanced() {
            return in == out + dropped + errored;
        }
    }

    /** A running job and its rows. */
    record Job(String id, String name, String state, List<Row> rows) {
    }

    @Override
    public Integer call() throws Exception {
        if (watchSeconds < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--watch must be 0 or more, was " + watchSeconds);
        }
        String url = flinkUrl != null ? flinkUrl : Endpoints.readFrom(dataDir).flinkUi();
        if (url == null) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    Endpoints.fileIn(dataDir) + " has no flink_ui; pass --flink-url");
        }
        while (true) {
            List<Job> jobs = read(url);
            render(jobs, System.currentTimeMillis(), System.out);
            if (watchSeconds == 0) {
                return jobs.isEmpty() ? 3 : 0;
            }
            Thread.sleep(watchSeconds * 1000L);
            System.out.println();
        }
    }

    /** The running jobs' SLA rows, from the Flink REST API at {@code url}. */
    List<Job> read(String url) throws IOException, InterruptedException {
        List<Job> jobs = new ArrayList<>();
        for (JsonNode job : get(url, "/jobs/overview").path("jobs")) {
            if (!"RUNNING".equals(job.path("state").asText())) {
                continue;
            }
            String id = job.path("jid").asText();
            Map<String, Long> counters = counters(get(url, "/jobs/" + id + "/accumulators"));
            if (counters.isEmpty()) {
                continue;
            }
            Map<String, Long> fetched = committed(url, id);
            // Flink's REST metric store refreshes when asked and answers from its previous copy meanwhile
            // (metrics.fetcher.update-interval, 10 s): a table that counted commits has a committed time,
            // so ask again for a while rather than print "-" for it.
            for (int attempt = 0; attempt < 6 && missingCommitTimes(counters, fetched); attempt++) {
                Thread.sleep(2000);
                fetched = committed(url, id);
            }
            Map<String, Long> committed = fetched;
            TreeMap<String, Row> rows = new TreeMap<>();
            for (String key : counters.keySet()) {
                String table = key.substring(0, key.indexOf('|'));
                rows.computeIfAbsent(table, t -> new Row(t,
                        counters.getOrDefault(SlaMetrics.key(t, SlaMetrics.RECORDS_IN), 0L),
                        counters.getOrDefault(SlaMetrics.key(t, SlaMetrics.RECORDS_OUT), 0L),
                        counters.getOrDefault(SlaMetrics.key(t, SlaMetrics.RECORDS_DROPPED), 0L),
                        counters.getOrDefault(SlaMetrics.key(t, SlaMetrics.RECORDS_ERRORED), 0L),
                        committed.get(metricName(t))));
            }
            List<Row> ordered = new ArrayList<>();
            // The job's own account first, then its tables.
            if (rows.containsKey(SlaMetrics.JOB_TABLE)) {
                ordered.add(rows.remove(SlaMetrics.JOB_TABLE));
            }
            ordered.addAll(rows.values());
            jobs.add(new Job(id, job.path("name").asText(), job.path("state").asText(), ordered));
        }
        return jobs;
    }

    private static boolean missingCommitTimes(Map<String, Long> counters, Map<String, Long> committed) {
        String suffix = "|" + SlaMetrics.COMMITS;
        return counters.entrySet().stream().anyMatch(e -> e.getKey().endsWith(suffix) && e.getValue() > 0
                && !committed.containsKey(metricName(e.getKey().substring(0, e.getKey().length() - suffix.length()))));
    }

    /**
     * The {@code sluice-sla} accumulator, {@code table|counter → value}. The REST API gives it as the map's
     * {@code toString}: {@code {_job|recordsIn=10, app.events|recordsOut=9}}; table names hold no '=' or ','.
     */
    static Map<String, Long> counters(JsonNode accumulators) {
        Map<String, Long> counters = new TreeMap<>();
        for (JsonNode acc : accumulators.path("user-task-accumulators")) {
            if (!SlaMetrics.ACCUMULATOR.equals(acc.path("name").asText())) {
                continue;
            }
            String value = acc.path("value").asText().trim();
            if (value.length() < 2) {
                continue;
            }
            for (String entry : value.substring(1, value.length() - 1).split(", ")) {
                int equals = entry.lastIndexOf('=');
                if (equals > 0 && entry.indexOf('|') > 0) {
                    counters.put(entry.substring(0, equals), Long.parseLong(entry.substring(equals + 1)));
                }
            }
        }
        return counters;
    }

    /**
     * A table's name as Flink's metric system spells it in metric identifiers: characters it reserves for
     * scopes ({@code .}, {@code :}, ...) become {@code _} ({@code app.events} → {@code app_events}).
     */
    static String metricName(String table) {
        return table.replaceAll("[^A-Za-z0-9_\\-]", "_");
    }

    /**
     * Table (as {@link #metricName} spells it) → newest committed ingest time (epoch ms), the maximum over
     * the subtasks of every vertex.
     */
    private Map<String, Long> committed(String url, String jobId) throws IOException, InterruptedException {
        Map<String, Long> committed = new TreeMap<>();
        for (JsonNode vertex : get(url, "/jobs/" + jobId).path("vertices")) {
            String base = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
            List<String> names = new ArrayList<>();
            for (JsonNode metric : get(url, base)) {
                String name = metric.path("id").asText();
                if (name.endsWith(COMMITTED_SUFFIX) && name.contains(TABLE_SCOPE)) {
                    names.add(name);
                }
            }
            if (names.isEmpty()) {
                continue;
            }
            String query = URLEncoder.encode(String.join(",", names), StandardCharsets.UTF_8);
            for (JsonNode metric : get(url, base + "?agg=max&get=" + query)) {
                String name = metric.path("id").asText();
                String table = name.substring(name.indexOf(TABLE_SCOPE) + TABLE_SCOPE.length(),
                        name.length() - COMMITTED_SUFFIX.length());
                committed.merge(table, (long) metric.path("max").asDouble(), Math::max);
            }
        }
        return committed;
    }

    /** Prints the table; {@code now} (epoch ms) dates the commit ages. */
    static void render(List<Job> jobs, long now, PrintStream out) {
        if (jobs.isEmpty()) {
            out.println("no running Sluice job (no RUNNING job with the " + SlaMetrics.ACCUMULATOR + " accumulator)");
            return;
        }
        String format = "  %-22s %12s %12s %10s %10s %8s  %-12s%n";
        for (Job job : jobs) {
            boolean balanced = job.rows().stream().allMatch(Row::balanced);
            out.printf("job %s  [%s, %s]  %s%n", job.name(), job.state(), job.id(),
                    balanced ? "in = out + dropped + errored" : "UNBALANCED: in != out + dropped + errored");
            out.printf(format, "table", "in", "out", "dropped", "errored", "error %", "last commit");
            for (Row row : job.rows()) {
                String ratio = row.in() == 0 ? "-" : String.format("%.2f", 100.0 * row.errored() / row.in());
                out.printf(format, SlaMetrics.JOB_TABLE.equals(row.table()) ? "(job: every record)" : row.table(),
                        String.format("%,d", row.in()), String.format("%,d", row.out()),
                        String.format("%,d", row.dropped()), String.format("%,d", row.errored()), ratio,
                        age(row.committedAt(), now));
            }
        }
    }

    private static String age(Long committedAt, long now) {
        if (committedAt == null) {
            return "-";
        }
        long seconds = Math.max(0, (now - committedAt) / 1000);
        if (seconds < 120) {
            return seconds + " s ago";
        }
        if (seconds < 7200) {
            return seconds / 60 + " min ago";
        }
        return seconds / 3600 + " h ago";
    }

    private JsonNode get(String url, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            throw new IllegalStateException("Flink REST API at " + url + " does not answer (is the demo still running?)", e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Flink REST API " + url + path + " answered HTTP " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SlaCommand())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("[sluice sla] " + e.getMessage());
                    return 1;
                })
                .execute(args));
    }
}
