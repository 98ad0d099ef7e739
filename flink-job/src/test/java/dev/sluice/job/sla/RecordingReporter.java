package dev.sluice.job.sla;

import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A metric reporter for tests that remembers what was registered and unregistered, in static sets (the
 * cluster instantiates it, the test reads it). Register it on a cluster with {@link #configure}.
 */
public final class RecordingReporter implements MetricReporter {
    /** Identifier → metric, for every metric currently registered. */
    public static final Map<String, Registered> REGISTERED = new ConcurrentHashMap<>();
    /** Identifiers of every metric ever registered. */
    public static final Set<String> ADDED = ConcurrentHashMap.newKeySet();
    /** Identifiers of metrics that were unregistered. */
    public static final Set<String> REMOVED = ConcurrentHashMap.newKeySet();
    /** {@code +identifier} / {@code -identifier} in the order they happened. */
    public static final Queue<String> EVENTS = new ConcurrentLinkedQueue<>();

    /** A registered metric with its name and its group's variables ({@code <table>}, {@code <day>}, ...). */
    public record Registered(String identifier, String name, Map<String, String> variables, Metric metric) {
    }

    /** Cluster settings registering this reporter as {@code test}. */
    public static void configure(org.apache.flink.configuration.Configuration conf) {
        conf.setString("metrics.reporter.test.factory.class", Factory.class.getName());
    }

    /** The JobManager's count of completed checkpoints of {@code job}, 0 before the gauge is registered. */
    public static long completedCheckpoints(JobID job) {
        return REGISTERED.values().stream()
                .filter(r -> r.name().equals("numberOfCompletedCheckpoints")
                        && job.toString().equals(r.variables().get("<job_id>")))
                .mapToLong(r -> ((Number) ((Gauge<?>) r.metric()).getValue()).longValue())
                .max().orElse(0);
    }

    @Override
    public void open(MetricConfig config) {
    }

    @Override
    public void close() {
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        String identifier = group.getMetricIdentifier(metricName);
        REGISTERED.put(identifier, new Registered(identifier, metricName, Map.copyOf(group.getAllVariables()), metric));
        ADDED.add(identifier);
        EVENTS.add("+" + identifier);
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        String identifier = group.getMetricIdentifier(metricName);
        REGISTERED.remove(identifier);
        REMOVED.add(identifier);
        EVENTS.add("-" + identifier);
    }

    /** Listed in {@code META-INF/services}: Flink loads reporter factories through the ServiceLoader. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new RecordingReporter();
        }
    }
}
