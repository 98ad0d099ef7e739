package dev.sluice.job.load;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No silent stall: fails a Hudi 0.14 writer that has waited longer than a bound for an instant.
 *
 * <p>Why: a writer that snapshotted for a checkpoint which was then aborted (or expired) waits in its
 * task thread, in {@code AbstractStreamWriteFunction.instantToWrite}, for the coordinator to start a new
 * instant, which it only does when a checkpoint completes; the blocked writer cannot take the next
 * barrier, so none completes (docs/lake.md, "Known limitation"). Hudi bounds the wait by the checkpoint
 * timeout (10 minutes by default; its sink overwrites {@code write.commit.ack.timeout} with it), and the
 * job runs, committing nothing, all that time.
 *
 * <p>Work flow: one daemon thread per JVM samples the stacks of all threads a few times per bound. A
 * thread seen inside Hudi's {@code instantToWrite} on every sample for longer than the bound is
 * interrupted: Hudi's wait ({@code TimeWait.waitFor}) turns the interrupt into a {@code HoodieException},
 * which fails the writer's task, and Flink restarts the job from its last completed checkpoint (exactly
 * once: the instant was never committed, the rows are replayed). Each such failure counts in
 * {@link #stallsFailed()}, published as the gauge {@value #METRIC} (stalls failed in this TaskManager's
 * JVM since it started; one subtask per JVM reports it, so summing over subtasks counts each once).
 *
 * <p>Sampling rather than a hook: the wait is inside Hudi's writer operator, which Sluice does not
 * create (HoodiePipeline does) and whose task runs no Sluice operator; a stack sample every few seconds
 * costs well under a millisecond.
 */
public final class WriterStallWatchdog {
    /** Gauge name: writer tasks failed because they waited past the bound. */
    public static final String METRIC = "writerStallsFailed";
    /** Default bound: far above a normal wait for the next instant (one commit, seconds), far below Hudi's. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    private static final Logger LOG = LoggerFactory.getLogger(WriterStallWatchdog.class);
    private static final AtomicLong STALLS = new AtomicLong();
    private static WriterStallWatchdog running;
    private static Object metricOwner;

    private final Duration timeout;
    private final Thread thread;
    private volatile boolean stopped;

    private WriterStallWatchdog(Duration timeout) {
        this.timeout = timeout;
        this.thread = new Thread(this::watch, "sluice-writer-stall-watchdog");
        this.thread.setDaemon(true);
    }

    /**
     * Makes sure this JVM's watchdog runs with at most {@code timeout} (the smallest bound asked for wins)
     * and, for the first caller of this JVM, publishes the gauge in {@code metrics}.
     *
     * @param owner the caller, passed again to {@link #release}
     */
    public static synchronized void start(Duration timeout, Object owner, MetricGroup metrics) {
        if (running == null || timeout.compareTo(running.timeout) < 0) {
            if (running != null) {
                running.stopped = true;
                running.thread.interrupt();
            }
            running = new WriterStallWatchdog(timeout);
            running.thread.start();
            LOG.info("Hudi writer stall watchdog: a writer waiting more than {} s for an instant fails its task",
                    timeout.toSeconds());
        }
        if (metricOwner == null) {
            metricOwner = owner;
            metrics.gauge(METRIC, STALLS::get);
        }
    }

    /** The caller closes: another may publish the gauge (the watchdog keeps running for the JVM). */
    public static synchronized void release(Object owner) {
        if (metricOwner == owner) {
            metricOwner = null;
        }
    }

    /** Writer tasks this JVM's watchdog has failed. */
    public static long stallsFailed() {
        return STALLS.get();
    }

    private void watch() {
        long period = Math.max(200, Math.min(5_000, timeout.toMillis() / 5));
        Map<Thread, Long> waitingSince = new HashMap<>();
        while (!stopped) {
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            Map<Thread, Long> stillWaiting = new HashMap<>();
            for (Map.Entry<Thread, StackTraceElement[]> sample : Thread.getAllStackTraces().entrySet()) {
                if (waitsForInstant(sample.getValue())) {
                    stillWaiting.put(sample.getKey(), waitingSince.getOrDefault(sample.getKey(), now));
                }
            }
            waitingSince = stillWaiting;
            waitingSince.entrySet().removeIf(waiting -> {
                Duration waited = Duration.ofNanos(now - waiting.getValue());
                if (waited.compareTo(timeout) <= 0) {
                    return false;
                }
                STALLS.incrementAndGet();
                LOG.warn("Hudi writer {} has waited {} s for an instant that no checkpoint will commit (an aborted "
                        + "checkpoint's); failing its task so the job restarts from its last checkpoint",
                        waiting.getKey().getName(), waited.toSeconds());
                waiting.getKey().interrupt();
                return true;
            });
        }
    }

    /** Whether a thread's stack is in Hudi's wait for an instant (the loop around {@code TimeWait}). */
    static boolean waitsForInstant(StackTraceElement[] stack) {
        for (int i = 0; i < Math.min(stack.length, 12); i++) {
            if ("instantToWrite".equals(stack[i].getMethodName())
                    && stack[i].getClassName().startsWith("org.apache.hudi.sink.")) {
                return true;
            }
        }
        return false;
    }
}
