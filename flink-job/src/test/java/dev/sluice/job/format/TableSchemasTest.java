package dev.sluice.job.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.core.config.TableConfig;
import org.apache.flink.table.types.logical.RowType;
import org.junit.jupiter.api.Test;

class TableSchemasTest {

    @Test
    void mapsEveryLogicalTypeWithNullabilityFromRequired() {
        TableConfig table = PipelineConfigLoader.parse("""
                source: { topic: t }
                tables:
                  - name: db.all_types
                    parser: { type: json }
                    columns:
                      - { name: s, type: STRING, required: true }
                      - { name: b, type: BIGINT }
                      - { name: d, type: DOUBLE }
                      - { name: f, type: BOOLEAN }
                      - { name: ts, type: TIMESTAMP, required: true }
                      - { name: day, type: DATE }
                      - { name: j, type: JSON }
                """, "test").tables().get(0);

        RowType type = TableSchemas.rowType(table);

        assertThat(type.asSummaryString()).isEqualTo("ROW<`s` STRING NOT NULL, `b` BIGINT, `d` DOUBLE, `f` BOOLEAN, "
                + "`ts` TIMESTAMP(6) NOT NULL, `day` DATE, `j` STRING>");
    }
}
