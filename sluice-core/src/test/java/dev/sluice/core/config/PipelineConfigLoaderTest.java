package dev.sluice.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineConfigLoaderTest {

    private static final String VALID = """
            source: { topic: raw-app-logs, start: latest }
            tables:
              - name: app.events
                filter: { include: ['"level"'], exclude: [healthz] }
                parser: { type: json }
                extensions:
                  flatten: [user]
                  derived:
                    - { name: dt, function: date_format, args: [ts, yyyy-MM-dd] }
                columns:
                  - { name: ts, type: timestamp, required: true }
                  - { name: user_id, type: BIGINT }
                  - { name: dt, type: STRING, required: true }
                route: level == 'ERROR'
                sinks:
                  - { type: hudi, table-type: MERGE_ON_READ, record-key: [ts], precombine-field: ts, partition-fields: [dt] }
                  - { type: hive, partition-fields: [dt] }
            """;

    private static List<String> problems(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> PipelineConfigLoader.parse(yaml, "test.yaml"))
                .problems();
    }

    @Test
    void bindsAValidConfigWithDefaults() {
        PipelineConfig config = PipelineConfigLoader.parse(VALID, "test.yaml");

        assertThat(config.source().groupId()).isEqualTo("sluice-raw-app-logs");
        assertThat(config.source().start()).isEqualTo(StartMode.LATEST);
        TableConfig table = config.tables().get(0);
        assertThat(table.database()).isEqualTo("app");
        assertThat(table.table()).isEqualTo("events");
        assertThat(table.filter()).isEqualTo(new FilterConfig(List.of("\"level\""), List.of("healthz")));
        assertThat(table.extensions().derived()).containsExactly(
                new DerivedFieldConfig("dt", "date_format", List.of("ts", "yyyy-MM-dd")));
        assertThat(table.columns().get(0)).isEqualTo(new ColumnConfig("ts", LogicalType.TIMESTAMP, "ts", true, null));
        assertThat(table.route()).isEqualTo("level == 'ERROR'");
        assertThat(table.salt()).isEqualTo(TableConfig.DEFAULT_SALT);
        HudiSinkConfig hudi = (HudiSinkConfig) table.sinks().get(0);
        assertThat(hudi.tableType()).isEqualTo(HudiTableType.MERGE_ON_READ);
        assertThat(hudi.operation()).isEqualTo(WriteOperation.UPSERT);
        assertThat(table.sinks().get(1)).isEqualTo(new HiveSinkConfig(List.of("dt")));
    }

    @Test
    void reportsEveryProblemInOnePassWithItsPath() {
        String yaml = """
                source: { topic: t, start: yesterday, group: g }
                tables:
                  - name: app.events
                    parser: { type: json }
                    columns:
                      - { name: a, type: STRING }
                  - name: app.events
                    parser: { type: regex }
                    columns:
                      - { name: id, type: BIGINT }
                      - { name: ts, type: TIMESTAMP, format: 'yyyy-MM-dd HH:mm:ss' }
                      - { name: n, type: BIGNT }
                      - { name: id, type: STRING, requird: true }
                    sinks:
                      - { type: hudi, record-key: [order_id], precombine-field: updated, partition-fields: [dt] }
                      - { type: kafks }
                    salt: 0
                """;

        assertThat(problems(yaml)).containsExactly(
                "source.group: unknown key, expected one of group-id, start, start-timestamp, topic",
                "source.start: unknown start 'yesterday', expected one of earliest, latest, timestamp",
                "tables[1].columns[2].type: unknown type 'BIGNT', expected one of STRING, BIGINT, DOUBLE, BOOLEAN, "
                        + "TIMESTAMP, DATE, JSON",
                "tables[1].columns[3].requird: unknown key, expected one of format, name, path, required, type",
                "tables[1].sinks[1].type: unknown sink type 'kafks', expected one of hudi, hive, kafka",
                "tables[1].name: duplicate table 'app.events' (also tables[0])",
                "tables[1].salt: must be at least 1, got 0",
                "tables[1].parser.pattern: required for parser regex",
                "tables[1].columns[3].name: duplicate column 'id'",
                "tables[1].sinks[0].record-key[0]: 'order_id' is not a column of app.events",
                "tables[1].sinks[0].precombine-field: 'updated' is not a column of app.events",
                "tables[1].sinks[0].partition-fields[0]: 'dt' is not a column of app.events");
    }

    @Test
    void regexTimeBudgetDefaultsAndIsBoundedAndOnlyForPatternParsers() {
        String yaml = """
                source: { topic: t }
                tables:
                  - name: a.ok
                    parser: { type: regex, pattern: '(?<x>.*)', time-budget-ms: 250 }
                    columns: [ { name: x, type: STRING } ]
                  - name: a.dflt
                    parser: { type: header-json, pattern: '(?<x>\\w+) ' }
                    columns: [ { name: x, type: STRING } ]
                """;
        List<TableConfig> tables = PipelineConfigLoader.parse(yaml, "test.yaml").tables();

        assertThat(tables.get(0).parser().timeBudget()).hasMillis(250);
        assertThat(tables.get(1).parser().timeBudget()).hasMillis(ParserConfig.DEFAULT_TIME_BUDGET_MS);
        assertThat(problems("""
                source: { topic: t }
                tables:
                  - name: a.zero
                    parser: { type: regex, pattern: '(?<x>.*)', time-budget-ms: 0 }
                    columns: [ { name: x, type: STRING } ]
                  - name: a.json
                    parser: { type: json, time-budget-ms: 50 }
                    columns: [ { name: x, type: STRING } ]
                  - name: a.text
                    parser: { type: regex, pattern: '(?<x>.*)', time-budget-ms: 1s }
                    columns: [ { name: x, type: STRING } ]
                """)).containsExactly(
                "tables[2].parser.time-budget-ms: expected an integer, got '1s'",
                "tables[0].parser.time-budget-ms: must be between 1 and 60000 ms, got 0",
                "tables[1].parser.time-budget-ms: not used by parser json (it bounds regex matching)");
    }

    @Test
    void reportsMissingRequiredKeysAndWrongShapes() {
        String yaml = """
                source: { start: timestamp }
                tables:
                  - name: nodot
                    parser: { type: csv, delimiter: '||' }
                    columns: []
                    extensions: { derived: [ { name: x, function: lower }, { name: x, function: upper } ] }
                  - parser: json
                    columns: { name: a }
                """;

        assertThat(problems(yaml)).containsExactly(
                "source.topic: is required",
                "tables[0].columns: must not be empty",
                "tables[1].parser: expected a mapping, got 'json'",
                "tables[1].columns: expected a list, got a mapping",
                "tables[1].name: is required",
                "source.start-timestamp: required (epoch ms) when start is timestamp",
                "tables[0].name: 'nodot' must be database.table (letters, digits, _)",
                "tables[0].parser.fields: required for parser csv: the field names in order",
                "tables[0].parser.delimiter: must be one character, got '||'",
                "tables[0].extensions.derived[1].name: duplicate derived field 'x'");
    }

    @Test
    void upsertNeedsARecordKeyAndFormatsMustParse() {
        String yaml = """
                source: { topic: t }
                tables:
                  - name: a.b
                    parser: { type: json }
                    columns:
                      - { name: ts, type: TIMESTAMP, format: 'yyyy-MM-dd ppp' }
                      - { name: s, type: STRING, format: 'yyyy' }
                    sinks: [ { type: hudi, operation: upsert } ]
                """;

        assertThat(problems(yaml)).containsExactly(
                "tables[0].columns[0].format: bad pattern 'yyyy-MM-dd ppp': Pad letter 'p' must be followed by valid pad pattern: yyyy-MM-dd ppp",
                "tables[0].columns[1].format: only TIMESTAMP and DATE columns take a format",
                "tables[0].sinks[0].record-key: required for operation upsert: the columns that identify a row");
    }

    @Test
    void bindsDedupWithItsKeyAndWindow() {
        PipelineConfig config = PipelineConfigLoader.parse(VALID.replace("route: level == 'ERROR'",
                "route: level == 'ERROR'\n    dedup: { key: [user_id, ts], within: 90m }"), "test.yaml");
        assertThat(config.tables().get(0).dedup())
                .isEqualTo(new DedupConfig(List.of("user_id", "ts"), java.time.Duration.ofMinutes(90)));
        assertThat(PipelineConfigLoader.parse(VALID, "test.yaml").tables().get(0).dedup()).isNull();
    }

    @Test
    void dedupProblemsNameTheirKeys() {
        String yaml = """
                source: { topic: t }
                tables:
                  - name: a.b
                    parser: { type: json }
                    columns: [ { name: id, type: STRING } ]
                    dedup: { key: [id, nope], within: 1h }
                  - name: a.c
                    parser: { type: json }
                    columns: [ { name: id, type: STRING } ]
                    dedup: { within: 0s, window: 1h }
                  - name: a.d
                    parser: { type: json }
                    columns: [ { name: id, type: STRING } ]
                    dedup: { key: [id], within: an hour }
                  - name: a.e
                    parser: { type: json }
                    columns: [ { name: id, type: STRING } ]
                    dedup: { key: [id] }
                """;

        assertThat(problems(yaml)).containsExactlyInAnyOrder(
                "tables[0].dedup.key[1]: 'nope' is not a column of a.b",
                "tables[1].dedup.window: unknown key, expected one of key, within",
                "tables[1].dedup.key: is required: the columns that identify a duplicate, e.g. [event_id]",
                "tables[1].dedup.within: expected a positive duration like 30s, 10m, 1h or 7d, got '0s'",
                "tables[2].dedup.within: expected a positive duration like 30s, 10m, 1h or 7d, got 'an hour'",
                "tables[3].dedup.within: is required");
    }

    @Test
    void bindsAndChecksKafkaSinks() {
        PipelineConfig config = PipelineConfigLoader.parse(VALID.replace("  - { type: hive, partition-fields: [dt] }",
                "  - { type: hive, partition-fields: [dt] }\n      - { type: kafka, topic: rt-events, record-key: [ts], "
                        + "properties: { transaction.timeout.ms: '60000' } }"), "test.yaml");
        assertThat(config.tables().get(0).sinks().get(2)).isEqualTo(new KafkaSinkConfig("rt-events", List.of("ts"),
                "json", null, java.util.Map.of("transaction.timeout.ms", "60000")));

        String yaml = """
                source: { topic: t }
                tables:
                  - name: a.b
                    parser: { type: json }
                    columns: [ { name: id, type: STRING }, { name: 2nd, type: STRING }, { name: user-id, type: STRING } ]
                    sinks:
                      - { type: kafka, record-key: [nope], format: xml, partition-fields: [id] }
                      - { type: kafka, topic: ' ' }
                      - { type: kafka, topic: rt, format: avro, schema-registry: 'registry:8081' }
                      - { type: kafka, topic: rt, schema-registry: 'http://registry:8081' }
                """;
        assertThat(problems(yaml)).containsExactly(
                "tables[0].sinks[0].partition-fields: unknown key, expected one of format, properties, record-key, "
                        + "schema-registry, topic, type",
                "tables[0].sinks[0].topic: is required",
                "tables[0].sinks[0].record-key[0]: 'nope' is not a column of a.b",
                "tables[0].sinks[0].format: unknown format 'xml', expected one of json, avro",
                "tables[0].sinks[1].topic: must not be empty",
                "tables[0].sinks[2].format: column '2nd' is not a valid Avro field name (letters, digits, _; not starting "
                        + "with a digit)",
                "tables[0].sinks[2].format: column 'user-id' is not a valid Avro field name (letters, digits, _; not "
                        + "starting with a digit)",
                "tables[0].sinks[2].schema-registry: expected an http(s) URL like http://registry:8081, got 'registry:8081'",
                "tables[0].sinks[3].schema-registry: only format avro uses a schema registry, format is json");

        PipelineConfig avro = PipelineConfigLoader.parse(VALID.replace("  - { type: hive, partition-fields: [dt] }",
                "  - { type: hive, partition-fields: [dt] }\n      - { type: kafka, topic: rt-events, format: avro, "
                        + "schema-registry: 'http://registry:8081' }"), "test.yaml");
        KafkaSinkConfig sink = (KafkaSinkConfig) avro.tables().get(0).sinks().get(2);
        assertThat(sink).isEqualTo(new KafkaSinkConfig("rt-events", List.of(), "avro", "http://registry:8081", null));
        assertThat(sink.valueSubject()).isEqualTo("rt-events-value");
    }

    @Test
    void brokenYamlNamesTheLine() {
        assertThat(problems("source: { topic: t\ntables: [")).singleElement()
                .satisfies(p -> assertThat(p).startsWith("not valid YAML: ").contains("line"));
    }
}
