package dev.sluice.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.config.PipelineConfig;
import dev.sluice.core.config.PipelineConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigChangeTest {
    private static final String APP_LOGS = read("app-logs.yaml");

    private static String read(String file) {
        try {
            return Files.readString(Pipelines.EXAMPLES.resolve(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ConfigChange classify(String edited) {
        PipelineConfig old = PipelineConfigLoader.parse(APP_LOGS, "old");
        return ConfigChange.classify(old, PipelineConfigLoader.parse(edited, "new"));
    }

    @Test
    void sameConfigIsNoChange() {
        assertThat(classify(APP_LOGS).kind()).isEqualTo(ConfigChange.Kind.NONE);
    }

    @Test
    void routeFilterAndDerivedFieldAreLight() {
        String edited = APP_LOGS
                .replace("route: level == 'ERROR'", "route: level == 'ERROR' || level == 'FATAL'\n    filter: { exclude: [healthz] }")
                .replace("        - { name: event_id, function: hash, args: [ts, host, trace_id, msg] }\n    columns:\n      - { name: event_id, type: STRING, required: true }\n      - { name: ts, type: TIMESTAMP, required: true }\n      - { name: service",
                        "        - { name: event_id, function: hash, args: [ts, host, trace_id, msg] }\n        - { name: svc, function: lower, args: [service] }\n    columns:\n      - { name: event_id, type: STRING, required: true }\n      - { name: ts, type: TIMESTAMP, required: true }\n      - { name: service");

        ConfigChange change = classify(edited);

        assertThat(change.kind()).isEqualTo(ConfigChange.Kind.LIGHT);
        assertThat(change.changes()).containsExactly(
                "table app.errors: filter changed",
                "table app.errors: extensions changed",
                "table app.errors: route changed to level == 'ERROR' || level == 'FATAL'");
    }

    @Test
    void optionalColumnNeedsARestartBecauseTheSinkSchemaIsFixedAtStart() {
        String edited = APP_LOGS.replace(
                "      - { name: user_id, type: BIGINT, path: user.id }\n      - { name: dt, type: STRING, required: true }\n    sinks:\n      - type: hudi\n        table-type: COPY_ON_WRITE",
                "      - { name: user_id, type: BIGINT, path: user.id }\n      - { name: dt, type: STRING, required: true }\n      - { name: level, type: STRING }\n    sinks:\n      - type: hudi\n        table-type: COPY_ON_WRITE");

        ConfigChange change = classify(edited);

        assertThat(change.kind()).isEqualTo(ConfigChange.Kind.RESTART_REQUIRED);
        assertThat(change.message()).isEqualTo("RESTART_REQUIRED: table app.errors: optional column level added"
                + " (the sinks' row type is fixed at job start) — restart the job with the new config");
    }

    @Test
    void addingOrChangingDedupNeedsARestart() {
        String withDedup = APP_LOGS.replace("route: level == 'ERROR'", "route: level == 'ERROR'\n    dedup: { key: [event_id], within: 1h }");
        assertThat(classify(withDedup).message()).isEqualTo("RESTART_REQUIRED: table app.errors: dedup changed"
                + " (the dedup stage and its keyed state are built at job start) — restart the job with the new config");
        PipelineConfig old = PipelineConfigLoader.parse(withDedup, "old");
        ConfigChange longer = ConfigChange.classify(old, PipelineConfigLoader.parse(withDedup.replace("within: 1h", "within: 2h"), "new"));
        assertThat(longer.kind()).isEqualTo(ConfigChange.Kind.RESTART_REQUIRED);
    }

    @Test
    void typeChangeRemovedColumnSinkChangeAndNewTableNeedARestart() {
        String edited = APP_LOGS
                .replace("      - { name: latency_ms, type: BIGINT }\n", "      - { name: latency_ms, type: DOUBLE }\n")
                .replace("      - { name: msg, type: STRING }\n      - { name: user_id, type: BIGINT, path: user.id }\n      - { name: dt",
                        "      - { name: user_id, type: BIGINT, path: user.id }\n      - { name: dt")
                .replace("table-type: MERGE_ON_READ", "table-type: COPY_ON_WRITE")
                + """
                  - name: app.audit
                    parser: { type: json }
                    columns: [ { name: msg, type: STRING } ]
                """;

        ConfigChange change = classify(edited);

        assertThat(change.kind()).isEqualTo(ConfigChange.Kind.RESTART_REQUIRED);
        assertThat(change.changes()).containsExactly(
                "table app.events: sinks changed",
                "table app.events: column latency_ms type changed from BIGINT to DOUBLE",
                "table app.errors: column msg removed or moved",
                "table app.errors: column user_id removed or moved",
                "table app.errors: column dt removed or moved",
                "table app.audit added");
        assertThat(change.message()).startsWith("RESTART_REQUIRED: table app.events: sinks changed;")
                .endsWith("— restart the job with the new config");
    }

    @Test
    void rebuiltProcessorForALightChangeRunsTheNewRoute() {
        PipelineConfig next = PipelineConfigLoader.parse(APP_LOGS.replace("route: level == 'ERROR'", "route: level == 'INFO'"), "new");
        RecordProcessor processor = Pipelines.opened(next);

        CollectingOutput out = Pipelines.run(processor, "raw-app-logs",
                "{\"ts\":\"2026-11-23T10:00:01Z\",\"level\":\"INFO\",\"host\":\"h\",\"msg\":\"m\"}");

        assertThat(out.rows("app.errors")).hasSize(1);
    }
}
