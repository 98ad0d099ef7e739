package dev.sluice.job.source;

import dev.sluice.core.record.RawRecord;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer for {@link RawRecord} between operators and in state. Java records are not Flink POJOs
 * and Kryo cannot set their final fields, hence this hand-written one.
 *
 * <p>Format (version 1): topic UTF, partition int, offset long, timestamp long, receivedAt long,
 * source nullable UTF, kind nullable UTF, value length-prefixed bytes. A format change needs a new
 * snapshot version.
 */
public final class RawRecordSerializer extends TypeSerializerSingleton<RawRecord> {
    private static final long serialVersionUID = 1L;
    public static final RawRecordSerializer INSTANCE = new RawRecordSerializer();

    @Override
    public boolean isImmutableType() {
        // The value array is shared, never mutated by any stage.
        return true;
    }

    @Override
    public RawRecord createInstance() {
        return RawRecord.of("", new byte[0]);
    }

    @Override
    public RawRecord copy(RawRecord from) {
        return from;
    }

    @Override
    public RawRecord copy(RawRecord from, RawRecord reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(RawRecord record, DataOutputView target) throws IOException {
        target.writeUTF(record.topic());
        target.writeInt(record.partition());
        target.writeLong(record.offset());
        target.writeLong(record.timestamp());
        target.writeLong(record.receivedAt());
        writeNullable(record.source(), target);
        writeNullable(record.kind(), target);
        target.writeInt(record.value().length);
        target.write(record.value());
    }

    @Override
    public RawRecord deserialize(DataInputView source) throws IOException {
        String topic = source.readUTF();
        int partition = source.readInt();
        long offset = source.readLong();
        long timestamp = source.readLong();
        long receivedAt = source.readLong();
        String sourceName = readNullable(source);
        String kind = readNullable(source);
        byte[] value = new byte[source.readInt()];
        source.readFully(value);
        return new RawRecord(topic, partition, offset, timestamp, value, sourceName, kind, receivedAt);
    }

    @Override
    public RawRecord deserialize(RawRecord reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<RawRecord> snapshotConfiguration() {
        return new Snapshot();
    }

    private static void writeNullable(String value, DataOutputView target) throws IOException {
        target.writeBoolean(value != null);
        if (value != null) {
            target.writeUTF(value);
        }
    }

    private static String readNullable(DataInputView source) throws IOException {
        return source.readBoolean() ? source.readUTF() : null;
    }

    /** Snapshot for state compatibility; the serializer has no configuration. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RawRecord> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
