package dev.sluice.job.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.runtime.typeutils.RowDataSerializer;
import org.junit.jupiter.api.Test;

class PartitionPathTest {

    @Test
    void escapesValuesTheWayHiveDoesAndReadsThemBack() {
        PartitionPath partition = PartitionPath.of(LakeRows.ROW_TYPE, List.of("dt", "msg"));
        GenericRowData row = GenericRowData.of(1L, StringData.fromString("a/b=c%"), StringData.fromString("2026-11-23"));

        assertThat(partition.path(row)).isEqualTo("dt=2026-11-23/msg=a%2Fb%3Dc%25");
        assertThat(PartitionPath.valuesOf(partition.path(row))).containsExactly("2026-11-23", "a/b=c%");
        assertThat(partition.path(GenericRowData.of(1L, null, null)))
                .isEqualTo("dt=__HIVE_DEFAULT_PARTITION__/msg=__HIVE_DEFAULT_PARTITION__");
    }

    @Test
    void rejectsUnknownPartitionFields() {
        assertThatThrownBy(() -> PartitionPath.of(LakeRows.ROW_TYPE, List.of("day")))
                .hasMessage("partition field 'day' is not a column of the table");
    }

    @Test
    void saltedKeysSpreadOnePartitionOverAtMostSaltKeys() throws Exception {
        PartitionPath partition = PartitionPath.of(LakeRows.ROW_TYPE, List.of("dt"));
        for (List<String> spread : List.of(List.<String>of(), List.of("id"))) {
            SaltedPartitionKey key = new SaltedPartitionKey("web.access", partition, 2, LakeRows.ROW_TYPE, spread);
            Map<String, Set<Integer>> keysByPartition = new HashMap<>();
            LakeRows.rows(1000, 3).forEach(row -> keysByPartition
                    .computeIfAbsent(partition.path(row), p -> new HashSet<>()).add(key.getKey(row)));

            assertThat(keysByPartition).as("spread over %s", spread).hasSize(3).allSatisfy((path, keys) -> {
                // Two consecutive keys: on consecutive subtasks, so on two different writers.
                assertThat(keys).hasSize(2);
                int first = keys.stream().min(Integer::compare).orElseThrow();
                assertThat(keys).containsExactlyInAnyOrder(first, first + 1);
                assertThat(keys.stream().map(k -> new Prepartitioning.ConsecutiveSubtasks().partition(k, 4)).distinct())
                        .hasSize(2);
            });
            // Flink computes the key again after the shuffle, on the deserialized binary row: it must agree.
            RowDataSerializer serializer = new RowDataSerializer(LakeRows.ROW_TYPE);
            for (RowData row : LakeRows.rows(200, 3)) {
                DataOutputSerializer out = new DataOutputSerializer(64);
                serializer.serialize(row, out);
                RowData shuffled = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
                assertThat(shuffled).isNotInstanceOf(GenericRowData.class);
                assertThat(key.getKey(shuffled)).isEqualTo(key.getKey(row));
            }
        }
        SaltedPartitionKey unsalted = new SaltedPartitionKey("web.access", partition, 1, LakeRows.ROW_TYPE, List.of());
        assertThat(LakeRows.rows(300, 3).stream().map(unsalted::getKey).distinct()).hasSize(3);
        assertThatThrownBy(() -> new SaltedPartitionKey("web.access", partition, 0, LakeRows.ROW_TYPE, List.of()))
                .hasMessage("salt of table web.access must be at least 1, was 0");
    }
}
