package dev.sluice.core.record;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * A raw log record as read from a Kafka raw topic: the client's bytes untouched plus where they came
 * from. This is the input of every ETL stage and what an error record keeps for replay.
 *
 * @param topic      source topic
 * @param partition  source partition
 * @param offset     offset in that partition
 * @param timestamp  Kafka record timestamp (epoch ms)
 * @param value      record value, the client's bytes unchanged
 * @param source     gateway source name ({@link RecordHeaders#SOURCE}), may be null for records not
 *                   written by the gateway
 * @param kind       log kind wire name ({@link RecordHeaders#KIND}), may be null
 * @param receivedAt epoch ms at which the gateway received it ({@link RecordHeaders#RECEIVED_AT}),
 *                   or the Kafka timestamp when absent
 */
public record RawRecord(String topic, int partition, long offset, long timestamp, byte[] value,
                        String source, String kind, long receivedAt) implements Serializable {

    public RawRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(value, "value");
    }

    /** A record with no Kafka origin (tests, replay from files). */
    public static RawRecord of(String topic, byte[] value) {
        return new RawRecord(topic, 0, -1, 0, value, null, null, 0);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RawRecord that
                && partition == that.partition && offset == that.offset && timestamp == that.timestamp
                && receivedAt == that.receivedAt && topic.equals(that.topic) && Arrays.equals(value, that.value)
                && Objects.equals(source, that.source) && Objects.equals(kind, that.kind);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "RawRecord[" + topic + "-" + partition + "@" + offset + ", " + value.length + " bytes]";
    }
}
