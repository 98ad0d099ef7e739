package dev.sluice.gateway.kafka;

import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/**
 * Sends records to Kafka with one of two producers, one per {@link Lane}: the connector builds and
 * configures each (acks=all, idempotent, see application.yaml) and this class hands it one record at a
 * time with a callback. Each producer serves every source and the DLQ; each record names its topic.
 *
 * <p>Why two: small requests and streamed bodies want opposite producer settings. A small request wants
 * its record to leave at once and batches to form from concurrency: no linger, one produce request in
 * flight. A streamed body brings hundreds of records at once, which fill batches by themselves; behind
 * one produce request at a time they waited for each other's round trips (bench/gateway (b)), and on
 * the shared producer a large body's batch also delayed every small request queued behind it.
 *
 * <p>Why not {@code Emitter.send(Message)}: the emitter path wraps every record in a Message whose ack
 * and nack go through Mutiny and context propagation, which cost the gateway more CPU per record than
 * the Kafka producer itself (bench/gateway). A request already tracks its records' acks itself
 * ({@code PendingRequest}), so the plain callback is all it needs. The emitters are still injected: they are
 * what connect the channels, and so what makes the connector create the producers.
 *
 * <p>{@link Producer#send} runs on the caller's thread; it blocks only while the producer has no
 * metadata for the topic or its buffer is full, both bounded by {@code max.block.ms}. Small requests are
 * handled on the Vert.x event loop, which must never block: {@link #sendsWithoutWaiting} tells whether
 * both are ruled out for a topic (a record of it was acked lately, so its metadata is cached, and the
 * buffer has room to spare), and the caller sends from a worker thread otherwise. What may wait in the
 * buffer is bounded upstream by {@link dev.sluice.gateway.admission.InFlightBudget}, whose bytes are
 * only given back once Kafka resolved a record.
 */
@Singleton
public class RecordPublisher {
    /** Which producer a request's records go to. */
    public enum Lane {
        /** Bodies read whole on the event loop: no linger, one produce request in flight. */
        SMALL("records"),
        /** Streamed bodies: a short linger and several produce requests in flight. */
        STREAMED("records-streamed");

        final String channel;

        Lane(String channel) {
            this.channel = channel;
        }
    }

    private static final Logger LOG = Logger.getLogger(RecordPublisher.class);
    private static final long FAILURE_REPORT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /**
     * A topic with an ack this recent has its metadata in the producer: the producer drops a topic's
     * metadata only after {@code metadata.max.idle.ms} (5 min by default) without a send to it.
     */
    private static final long WARM_MILLIS = TimeUnit.SECONDS.toMillis(60);
    /** Buffer room kept free beyond a request's own bytes (record overhead, a new batch of {@code batch.size}). */
    private static final long BUFFER_HEADROOM = 4L * 1024 * 1024;

    /** Failures since the last report: an outage fails thousands of records, the log gets one line per period. */
    private final AtomicLong unreportedFailures = new AtomicLong();
    private final AtomicLong lastReportNanos = new AtomicLong(System.nanoTime() - FAILURE_REPORT_NANOS);

    /** Never sent to: see the class comment (without them SmallRye warns at start that the channels are unconnected). */
    @Inject
    @Channel("records")
    Emitter<byte[]> smallChannel;

    @Inject
    @Channel("records-streamed")
    Emitter<byte[]> streamedChannel;

    @Inject
    KafkaClientService clients;

    /** By {@link Lane#ordinal()}; looked up on first use. */
    private final AtomicReferenceArray<Producer<String, byte[]>> producers = new AtomicReferenceArray<>(Lane.values().length);
    /** The small lane producer's {@code buffer-available-bytes} gauge, looked up once. */
    private volatile Metric bufferAvailable;
    /** Per topic, when the small lane's producer last got an ack for it (epoch ms, updated at most once a second). */
    private final ConcurrentHashMap<String, AtomicLong> lastAck = new ConcurrentHashMap<>();

    /**
     * Whether sending {@code bytes} of records to {@code topic} on the {@link Lane#SMALL} lane (the one the
     * event loop sends to) now cannot block: the topic's metadata is
     * cached (a record of it was acked within the last minute) and the producer's buffer has the bytes
     * and a few MB to spare. False whenever in doubt (no producer yet, a topic never acked, an outage
     * longer than a minute); the caller then sends from a thread that may block.
     */
    public boolean sendsWithoutWaiting(String topic, long bytes) {
        AtomicLong acked = lastAck.get(topic);
        if (acked == null || System.currentTimeMillis() - acked.get() > WARM_MILLIS) {
            return false;
        }
        Metric available = bufferAvailable;
        if (available == null) {
            available = findMetric("buffer-available-bytes");
            if (available == null) {
                return false;
            }
            bufferAvailable = available;
        }
        return available.metricValue() instanceof Number room && room.longValue() >= 2 * bytes + BUFFER_HEADROOM;
    }

    /**
     * Sends one record; exactly one of {@code onAck} (Kafka acknowledged it with acks=all) and
     * {@code onFailure} (Kafka gave up, or the producer refused it) runs, on a Kafka or caller thread.
     * Both must be cheap: on the Kafka thread they delay every other record's callback.
     *
     * @return false when the producer refused the record outright ({@code onFailure} has run): no
     *     metadata for the topic or no buffer space within {@code max.block.ms}, or the producer is
     *     closed. The next record to the same topic would most likely wait as long again.
     */
    public boolean send(Lane lane, String topic, String key, byte[] value, Headers headers, Runnable onAck,
            Consumer<Throwable> onFailure) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null, key, value, headers);
        AtomicLong acked = lane == Lane.SMALL ? lastAck.computeIfAbsent(topic, t -> new AtomicLong()) : null;
        Future<RecordMetadata> result;
        try {
            result = producer(lane).send(record, (metadata, failure) -> {
                if (failure == null) {
                    long now = System.currentTimeMillis();
                    if (acked != null && now - acked.get() >= 1000) {
                        acked.set(now);
                    }
                    onAck.run();
                } else {
                    reportFailure(failure);
                    onFailure.accept(failure);
                }
            });
        } catch (RuntimeException e) {
            reportFailure(e);
            onFailure.accept(e);
            return false;
        }
        // A refusal comes back as an already failed future (its callback has run); a record in the buffer
        // is only done once the broker answered.
        if (result.isDone()) {
            try {
                result.get();
            } catch (ExecutionException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return true;
    }

    /** One of the small lane producer's own metrics (group {@code producer-metrics}) by name; null while there is no producer. */
    private Metric findMetric(String name) {
        Producer<String, byte[]> current = producers.get(Lane.SMALL.ordinal());
        if (current == null) {
            return null;
        }
        for (Map.Entry<MetricName, ? extends Metric> metric : current.metrics().entrySet()) {
            if (metric.getKey().name().equals(name) && metric.getKey().group().equals("producer-metrics")) {
                return metric.getValue();
            }
        }
        return null;
    }

    private Producer<String, byte[]> producer(Lane lane) {
        Producer<String, byte[]> current = producers.get(lane.ordinal());
        if (current == null) {
            current = clients.<String, byte[]>getProducer(lane.channel).unwrap();
            producers.set(lane.ordinal(), current);
        }
        return current;
    }

    private void reportFailure(Throwable failure) {
        unreportedFailures.incrementAndGet();
        long now = System.nanoTime();
        long last = lastReportNanos.get();
        if (now - last >= FAILURE_REPORT_NANOS && lastReportNanos.compareAndSet(last, now)) {
            Throwable cause = failure;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            LOG.warnf("Kafka did not acknowledge %d record(s) in the last %d s; latest cause: %s",
                    unreportedFailures.getAndSet(0), TimeUnit.NANOSECONDS.toSeconds(now - last), cause.toString());
        }
    }
}
