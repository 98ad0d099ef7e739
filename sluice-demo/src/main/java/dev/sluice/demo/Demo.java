package dev.sluice.demo;

import dev.sluice.core.config.PipelineConfig;
import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.job.EtlJob;
import dev.sluice.job.TableTarget;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One demo run: start the stack, submit one ETL job per demo source topic, post generated logs over
 * HTTP, wait until every job has committed them, and read each table back.
 */
public final class Demo {
    private static final int BATCH = 500;
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(5);

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
        LocalStack stack = LocalStack.start(settings.dataDir(), settings.gatewayApp(), settings.port(), settings.apiKey(),
                2 * pipelines.size() + 2, Duration.ofSeconds(3), this::progress);
        try {
            try (TopicAdmin topics = new TopicAdmin(stack.broker().bootstrapServers())) {
                topics.ensureTopics(pipelines.stream().map(p -> p.source().topic()).toList());
            }
            String lakeRoot = settings.dataDir().resolve("lake").toAbsolutePath().toUri().toString();
            for (PipelineConfig pipeline : pipelines) {
                stack.submit(EtlJob.builder().pipeline(pipeline).bootstrapServers(stack.broker().bootstrapServers())
                        .lakeRoot(lakeRoot).build());
            }
            progress("submitted " + pipelines.size() + " ETL jobs; Flink Web UI " + stack.flink().webUi());
            long[] counts = post(stack);
            awaitDrained(stack, pipelines);
            List<DemoSummary.Table> tables = readBack(stack);
            return new Result(new DemoSummary(counts[0], counts[1], tables, null), stack);
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    /** The summary and the still-running stack. */
    public record Result(DemoSummary summary, LocalStack stack) {
    }

    private long[] post(LocalStack stack) throws IOException, InterruptedException {
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
                more |= remaining.get(i)[0] > 0;
                if (posted >= nextReport) {
                    progress(String.format("posted %,d / %,d lines (%,d accepted)", posted, settings.events(), accepted));
                    nextReport += Math.max(1, settings.events() / 10);
                }
            }
        }
        return new long[] {posted, accepted};
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

    private List<DemoSummary.Table> readBack(LocalStack stack) throws Exception {
        progress("reading the tables back through their readers (Hudi, Parquet)");
        List<DemoSummary.Table> tables = new ArrayList<>();
        for (EtlJob job : stack.jobs()) {
            for (TableTarget target : job.targets()) {
                long rows = target.readAll().size();
                tables.add(new DemoSummary.Table(target.name(), target.format(), target.path(), rows));
            }
        }
        return tables;
    }

    private List<PipelineConfig> loadPipelines() {
        List<PipelineConfig> pipelines = new ArrayList<>();
        for (DemoSources.Source source : DemoSources.ALL) {
            pipelines.add(PipelineConfigLoader.load(settings.pipelinesDir().resolve(source.name() + ".yaml")));
        }
        return pipelines;
    }

    /** Each run starts from empty topics and tables, so its counts mean what they say. */
    private void cleanPreviousRun() throws IOException {
        for (String dir : List.of("kafka", "lake", "checkpoints")) {
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
