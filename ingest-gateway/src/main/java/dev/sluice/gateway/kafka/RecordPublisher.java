package dev.sluice.gateway.kafka;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Sends records to Kafka through the {@value #CHANNEL} channel; the topic, key and headers of each
 * record travel in its metadata, so one producer (acks=all, idempotent, see application.yaml) serves
 * every source and the DLQ.
 *
 * <p>The emitter's buffer is unbounded on purpose: what may wait in it is bounded upstream by
 * {@link dev.sluice.gateway.admission.InFlightBudget}, whose bytes are only given back on ack or nack.
 */
@Singleton
public class RecordPublisher {
    static final String CHANNEL = "records";

    private static final Logger LOG = Logger.getLogger(RecordPublisher.class);
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);
    private static final long FAILURE_REPORT_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Failures since the last report: an outage fails thousands of records, the log gets one line per period. */
    private final AtomicLong unreportedFailures = new AtomicLong();
    private final AtomicLong lastReportNanos = new AtomicLong(System.nanoTime() - FAILURE_REPORT_NANOS);

    @Inject
    @Channel(CHANNEL)
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    Emitter<byte[]> emitter;

    /**
     * Sends one record; exactly one of {@code onAck} (Kafka acknowledged it with acks=all) and
     * {@code onFailure} (Kafka gave up, or the channel refused it) runs, on a Kafka or caller thread.
     */
    public void send(String topic, String key, byte[] value, Headers headers, Runnable onAck,
            Consumer<Throwable> onFailure) {
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic)
                .withKey(key)
                .withHeaders(headers)
                .build();
        Message<byte[]> message = Message.of(value, Metadata.of(metadata), () -> {
            onAck.run();
            return DONE;
        }, failure -> {
            reportFailure(failure);
            onFailure.accept(failure);
            return DONE;
        });
        try {
            emitter.send(message);
        } catch (RuntimeException e) {
            reportFailure(e);
            onFailure.accept(e);
        }
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
