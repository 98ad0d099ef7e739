package dev.sluice.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.record.RawRecord;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class RawRecordSerializerTest {

    @Test
    void roundTripsEveryFieldIncludingNullsAndBinaryValues() throws Exception {
        RawRecord full = new RawRecord("raw-game-ops", 3, 42L, 1_700_000_000_000L,
                "2026-11-23 10:00:01 [login] {\"a\":1}".getBytes(StandardCharsets.UTF_8), "game-ops", "ops", 1_700_000_000_123L);
        RawRecord sparse = new RawRecord("t", 0, -1, 0, new byte[] {(byte) 0xff, 0, (byte) 0xfe}, null, null, 0);
        for (RawRecord record : new RawRecord[] {full, sparse}) {
            assertThat(roundTrip(record)).isEqualTo(record);
        }
    }

    @Test
    void snapshotRestoresACompatibleSerializer() throws Exception {
        TypeSerializerSnapshot<RawRecord> snapshot = RawRecordSerializer.INSTANCE.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<RawRecord> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        TypeSerializer<RawRecord> serializer = restored.restoreSerializer();
        assertThat(serializer).isSameAs(RawRecordSerializer.INSTANCE);
        TypeSerializerSchemaCompatibility<RawRecord> compatibility =
                restored.resolveSchemaCompatibility(RawRecordSerializer.INSTANCE);
        assertThat(compatibility.isCompatibleAsIs()).isTrue();
    }

    private static RawRecord roundTrip(RawRecord record) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(128);
        RawRecordSerializer.INSTANCE.serialize(record, out);
        return RawRecordSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
