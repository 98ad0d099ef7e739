package dev.sluice.job.bench;

import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.core.error.ErrorRecord;
import dev.sluice.core.record.RawRecord;
import dev.sluice.job.pipeline.PipelineOutput;
import dev.sluice.job.pipeline.RecordProcessor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.table.data.RowData;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What a Python UDF costs per record: the same order records through the engine's real per-record path
 * ({@link RecordProcessor#process}: parse → extend → route → postprocess → format, as the ETL operator
 * calls it), in one JVM and one run, with the {@code tier} field computed by
 * <ol>
 *   <li>(a) a built-in ({@code upper(currency)}): the baseline;</li>
 *   <li>(b) the Java SPI function {@code price_tier(amount)} ({@link PriceTier});</li>
 *   <li>(c) the same function in Python, {@code pricing.tier(amount)} (examples/pipelines/udf/python);</li>
 *   <li>(d) (c) plus the Python postprocess {@code pricing.to_eur}: the whole record as a dict and back.</li>
 * </ol>
 * Variants run in turn within each round after unmeasured warm-up rounds; medians are printed. Every
 * record must become a row, else the bench fails (a fast error path is not a result).
 */
@Command(name = "bench udf", mixinStandardHelpOptions = true,
        description = "Python UDF vs Java SPI function vs built-in, per record, through RecordProcessor.")
public final class UdfBench implements java.util.concurrent.Callable<Integer> {
    private static final String[] CURRENCIES = {"EUR", "USD", "GBP"};

    @Option(names = "--records", defaultValue = "200000", description = "Records per variant and round (default ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--rounds", defaultValue = "5", description = "Measured rounds (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmups", defaultValue = "2", description = "Unmeasured warm-up rounds (default ${DEFAULT-VALUE}).")
    int warmups;

    @Option(names = "--modules", defaultValue = "examples/pipelines/udf/python",
            description = "Python module directory with pricing.py (default ${DEFAULT-VALUE}).")
    Path modules;

    public static void main(String[] args) {
        System.exit(new CommandLine(new UdfBench()).execute(args));
    }

    @Override
    public Integer call() {
        List<RawRecord> input = records();
        Map<String, RecordProcessor> variants = new LinkedHashMap<>();
        System.out.println("loading the variants (the first Python context of a JVM takes seconds)");
        variants.put("(a) built-in upper(currency)", processor("{ name: tier, function: upper, args: [currency] }", false));
        variants.put("(b) Java SPI price_tier(amount)", processor("{ name: tier, function: price_tier, args: [amount] }", false));
        variants.put("(c) Python pricing.tier(amount)", processor("{ name: tier, function: pricing.tier, args: [amount] }", false));
        variants.put("(d) (c) + Python postprocess pricing.to_eur", processor("{ name: tier, function: pricing.tier, args: [amount] }", true));
        System.out.printf(Locale.ROOT, "%,d records per variant, %d warm-up round(s), %d measured round(s), %d cores%n",
                records, warmups, rounds, Runtime.getRuntime().availableProcessors());
        Map<String, double[]> nanosPerRecord = new LinkedHashMap<>();
        variants.keySet().forEach(name -> nanosPerRecord.put(name, new double[rounds]));
        for (int round = -warmups; round < rounds; round++) {
            for (Map.Entry<String, RecordProcessor> variant : variants.entrySet()) {
                double nanos = run(variant.getValue(), input, variant.getKey());
                if (round >= 0) {
                    nanosPerRecord.get(variant.getKey())[round] = nanos;
                }
            }
            System.out.println(round < 0 ? "  warm-up round done" : "  round " + (round + 1) + " done");
        }
        variants.values().forEach(RecordProcessor::close);

        Map<String, Double> median = new LinkedHashMap<>();
        nanosPerRecord.forEach((name, values) -> median.put(name, median(values)));
        List<String> names = new ArrayList<>(median.keySet());
        double builtin = median.get(names.get(0));
        System.out.println("median of rounds:");
        for (String name : names) {
            double nanos = median.get(name);
            System.out.printf(Locale.ROOT, "  %-45s %,10.0f records/s  %8.2f µs/record  (+%.2f µs over (a))%n",
                    name, 1e9 / nanos, nanos / 1000, (nanos - builtin) / 1000);
        }
        double java = median.get(names.get(1));
        double python = median.get(names.get(2));
        System.out.printf(Locale.ROOT, "Java/Python throughput ratio (b)/(c) = %.1f; a Python derived-field call costs"
                + " %.2f µs per record more than the built-in, the Java SPI function %.2f µs%n",
                python / java, (python - builtin) / 1000, (java - builtin) / 1000);
        return 0;
    }

    /** The bench pipeline: JSON orders, one derived field {@code tier} by the variant's function. */
    private RecordProcessor processor(String tier, boolean postprocess) {
        String yaml = """
                source: { topic: bench }
                udf: { modules: %s }
                tables:
                  - name: bench.orders
                    parser: { type: json }
                    extensions:
                      derived:
                        - %s
                        - { name: dt, function: date_format, args: [ts, yyyy-MM-dd] }
                %s
                    columns:
                      - { name: order_id, type: STRING, required: true }
                      - { name: ts, type: TIMESTAMP, required: true }
                      - { name: customer, type: STRING }
                      - { name: amount, type: DOUBLE }
                      - { name: currency, type: STRING }
                      - { name: amount_eur, type: DOUBLE }
                      - { name: tier, type: STRING }
                      - { name: dt, type: STRING, required: true }
                """.formatted(modules.toAbsolutePath(), tier, postprocess ? "    postprocess: pricing.to_eur" : "");
        RecordProcessor processor = new RecordProcessor(PipelineConfigLoader.parse(yaml, "bench udf"));
        processor.open();
        return processor;
    }

    private List<RawRecord> records() {
        List<RawRecord> input = new ArrayList<>(records);
        for (int i = 0; i < records; i++) {
            String line = "{\"order_id\":\"o-" + i + "\",\"ts\":\"2026-11-23T10:" + String.format(Locale.ROOT, "%02d", i % 60)
                    + ":00Z\",\"customer\":\"c-" + (i % 1000) + "\",\"amount\":" + (i % 250) + ".5,\"currency\":\""
                    + CURRENCIES[i % CURRENCIES.length] + "\"}";
            input.add(new RawRecord("bench", 0, i, 0L, line.getBytes(StandardCharsets.UTF_8), "bench", "log", 0L));
        }
        return input;
    }

    /** Nanoseconds per record of one pass. */
    private static double run(RecordProcessor processor, List<RawRecord> input, String name) {
        Counting out = new Counting();
        long started = System.nanoTime();
        for (RawRecord record : input) {
            processor.process(record, out);
        }
        long elapsed = System.nanoTime() - started;
        if (out.rows != input.size()) {
            throw new IllegalStateException(name + ": " + out.rows + " rows of " + input.size() + " records; first error: "
                    + out.firstError);
        }
        return (double) elapsed / input.size();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** Counts rows; keeps the first error for the failure message. */
    private static final class Counting implements PipelineOutput {
        long rows;
        ErrorRecord firstError;

        @Override
        public void row(String table, RowData row) {
            rows++;
        }

        @Override
        public void dropped(String table, String reason) {
        }

        @Override
        public void error(ErrorRecord error) {
            if (firstError == null) {
                firstError = error;
            }
        }
    }
}
