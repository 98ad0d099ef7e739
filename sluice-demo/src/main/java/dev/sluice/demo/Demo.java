package dev.sluice.demo;

import dev.sluice.core.config.HiveSinkConfig;
import dev.sluice.core.config.PipelineConfig;
import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.core.sla.SlaMetrics;
import dev.sluice.job.EtlJob;
import dev.sluice.job.TableTarget;
import dev.sluice.job.error.ErrorTable;
import org.apache.flink.api.common.JobID;
import org.apache.flink.types.Row;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * One demo run: start the stack, submit one ETL job per demo source topic, post generated logs over
 * HTTP, wait until every job has committed them, and read each table back.
 */
public final class Demo {
    private static final int BATCH = 500;
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration SLA_TIMEOUT = Duration.ofSeconds(30);

    private final DemoSettings settings;
    private final PrintStream out;
    private final long started = System.nanoTime();

    public Demo(DemoSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** Runs the demo; with {@code keepRunning} the returned stack is still up and owned by the caller. */
    public Result run() throws Exception {
        cleanPreviousRun();
        List<PipelineConfig> pipelines = loadPipelines();
        boolean hiveTables = pipelines.stream().flatMap(p -> p.tables().stream())
                .anyMatch(t -> t.sinks().stream().anyMatch(HiveSinkConfig.class::isInstance));
        LocalStack stack = LocalStack.start(settings.dataDir(), settings.gatewayApp(), settings.port(), settings.apiKey(),
                2 * pipelines.size() + 2, Duration.ofSeconds(3), hiveTables, this::progress);
        try {
            try (TopicAdmin topics = new TopicAdmin(stack.broker().bootstrapServers())) {
                topics.ensureTopics(pipelines.stream().map(p -> p.source().topic()).toList());
            }
            String lakeRoot = settings.lakeRoot();
            for (int i = 0; i < pipelines.size(); i++) {
                // Hot reload: an operator fixing a config (sluice replay's walkthrough) edits these files.
                stack.submit(EtlJob.builder().pipeline(pipelines.get(i)).bootstrapServers(stack.broker().bootstrapServers())
                        .lakeRoot(lakeRoot).metastoreUri(stack.metastoreUri())
                        .configLocation(pipelineFile(DemoSources.ALL.get(i))).build());
            }
            progress("submitted " + pipelines.size() + " ETL jobs; Flink Web UI " + stack.flink().webUi());
            progress("Prometheus (SLA gauges): http://127.0.0.1:" + stack.prometheusPort() + "/metrics");
            long[] accepted = new long[DemoSources.ALL.size()];
            long posted = post(stack, accepted);
            awaitDrained(stack, pipelines);
            Map<String, Long> acceptedByTopic = new HashMap<>();
            for (int i = 0; i < pipelines.size(); i++) {
                acceptedByTopic.put(pipelines.get(i).source().topic(), accepted[i]);
            }
            Map<EtlJob, Map<String, Long>> sla = awaitSla(stack, acceptedByTopic);
            return new Result(summarize(stack, posted, LongStream.of(accepted).sum(), sla), stack);
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    /** The summary and the still-running stack. */
    public record Result(DemoSummary summary, LocalStack stack) {
    }

    /** Posts the generated lines; fills {@code accepted} per demo source and returns the lines posted. */
    private long post(LocalStack stack, long[] acceptedBySource) throws IOException, InterruptedException {
        IngestClient client = new IngestClient(stack.gateway().baseUrl(), settings.apiKey());
        LogGenerator generator = new LogGenerator(42, settings.badRatio(), Instant.now());
        long posted = 0;
        long accepted = 0;
        long nextReport = settings.events() / 10;
        List<int[]> remaining = new ArrayList<>();
        for (DemoSources.Source source : DemoSources.ALL) {
            remaining.add(new int[] {(int) Math.round(settings.events() * source.share())});
        }
        boolean more = true;
        while (more) {
            more = false;
            for (int i = 0; i < DemoSources.ALL.size(); i++) {
                int n = Math.min(BATCH, remaining.get(i)[0]);
                if (n == 0) {
                    continue;
                }
                DemoSources.Source source = DemoSources.ALL.get(i);
                IngestClient.Result result = client.post(source.name(), source.contentType(), generator.lines(source.name(), n));
                if (result.status() >= 300) {
                    throw new IllegalStateException("gateway answered " + result.status() + " for a " + source.name() + " batch");
                }
                remaining.get(i)[0] -= n;
                posted += n;
                accepted += result.accepted();
                acceptedBySource[i] += result.accepted();
                more |= remaining.get(i)[0] > 0;
                if (posted >= nextReport) {
                    progress(String.format("posted %,d / %,d lines (%,d accepted)", posted, settings.events(), accepted));
                    nextReport += Math.max(1, settings.events() / 10);
                }
            }
        }
        return posted;
    }

    private void awaitDrained(LocalStack stack, List<PipelineConfig> pipelines) throws Exception {
        progress("waiting until the jobs have committed every record (checkpoint + Hudi commit)");
        Instant deadline = Instant.now().plus(DRAIN_TIMEOUT);
        try (TopicAdmin lag = new TopicAdmin(stack.broker().bootstrapServers())) {
            while (true) {
                long total = 0;
                for (PipelineConfig pipeline : pipelines) {
                    long topicLag = lag.lag(pipeline.source().topic(), pipeline.source().groupId());
                    total += Math.max(0, topicLag);
                }
                if (total == 0) {
                    return;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(total + " records still not committed after " + DRAIN_TIMEOUT
                            + "; see " + settings.dataDir().resolve("logs"));
                }
                Thread.sleep(1000);
            }
        }
    }

    /**
     * The jobs' SLA accumulators once they have counted every accepted record (accumulators travel with
     * TaskManager heartbeats, so they trail the data by a few seconds).
     */
    private Map<EtlJob, Map<String, Long>> awaitSla(LocalStack stack, Map<String, Long> acceptedByTopic) throws Exception {
        Instant deadline = Instant.now().plus(SLA_TIMEOUT);
        while (true) {
            Map<EtlJob, Map<String, Long>> result = new LinkedHashMap<>();
            boolean complete = true;
            for (Map.Entry<EtlJob, JobID> job : stack.jobs().entrySet()) {
                Map<String, Long> counters = slaOf(stack.flink().accumulators(job.getValue()));
                result.put(job.getKey(), counters);
                long in = counters.getOrDefault(SlaMetrics.key(SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_IN), 0L);
                complete &= in >= acceptedByTopic.getOrDefault(job.getKey().topic(), 0L);
            }
            if (complete || Instant.now().isAfter(deadline)) {
                return result;
            }
            Thread.sleep(500);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> slaOf(Map<String, Object> accumulators) {
        Object value = accumulators.get(SlaMetrics.ACCUMULATOR);
        return value == null ? Map.of() : (Map<String, Long>) value;
    }

    private DemoSummary summarize(LocalStack stack, long posted, long accepted, Map<EtlJob, Map<String, Long>> sla)
            throws Exception {
        progress("reading the tables back through their readers (Hudi, Parquet)");
        List<DemoSummary.Table> tables = new ArrayList<>();
        List<DemoSummary.Job> jobs = new ArrayList<>();
        Map<String, Long> errors = new TreeMap<>();
        for (Map.Entry<EtlJob, Map<String, Long>> job : sla.entrySet()) {
            Map<String, Long> counters = job.getValue();
            jobs.add(new DemoSummary.Job(job.getKey().topic(), slaFor(counters, SlaMetrics.JOB_TABLE)));
            for (TableTarget target : job.getKey().targets()) {
                List<Row> rows = target.readAll();
                boolean errorTable = target.name().endsWith("." + ErrorTable.TABLE_SUFFIX);
                if (errorTable) {
                    rows.forEach(r -> errors.merge((String) r.getField("error_code"), 1L, Long::sum));
                }
                tables.add(new DemoSummary.Table(target.name(), target.format(), target.path(), rows.size(),
                        errorTable ? null : slaFor(counters, target.name())));
            }
        }
        return new DemoSummary(posted, accepted, tables, errors, jobs);
    }

    private static DemoSummary.Sla slaFor(Map<String, Long> counters, String table) {
        return new DemoSummary.Sla(
                counters.getOrDefault(SlaMetrics.key(table, SlaMetrics.RECORDS_IN), 0L),
                counters.getOrDefault(SlaMetrics.key(table, SlaMetrics.RECORDS_OUT), 0L),
                counters.getOrDefault(SlaMetrics.key(table, SlaMetrics.RECORDS_DROPPED), 0L),
                counters.getOrDefault(SlaMetrics.key(table, SlaMetrics.RECORDS_ERRORED), 0L));
    }

    private List<PipelineConfig> loadPipelines() {
        List<PipelineConfig> pipelines = new ArrayList<>();
        for (DemoSources.Source source : DemoSources.ALL) {
            pipelines.add(PipelineConfigLoader.load(pipelineFile(source)));
        }
        return pipelines;
    }

    private Path pipelineFile(DemoSources.Source source) {
        return settings.pipelinesDir().resolve(source.name() + ".yaml");
    }

    /** Each run starts from empty topics and tables, so its counts mean what they say. */
    private void cleanPreviousRun() throws IOException {
        for (String dir : List.of("kafka", "lake", "checkpoints", "metastore")) {
            Path path = settings.dataDir().resolve(dir);
            if (Files.exists(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
        Files.createDirectories(settings.dataDir().resolve("logs"));
    }

    private void progress(String message) {
        out.printf("[sluice demo %5.1fs] %s%n", (System.nanoTime() - started) / 1e9, message);
        out.flush();
    }
}
