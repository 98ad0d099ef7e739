package dev.sluice.job.udf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.PipelineConfig;
import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.core.config.UdfConfig;
import dev.sluice.core.error.ErrorCode;
import dev.sluice.core.error.ErrorRecord;
import dev.sluice.job.pipeline.CollectingOutput;
import dev.sluice.job.pipeline.Pipelines;
import dev.sluice.job.pipeline.RecordProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Map;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three Python hooks through the real {@link RecordProcessor}: transform, drop, error, timeout, load checks. */
class PythonUdfsTest {
    private static final String TABLE = "partner.orders";

    @TempDir
    Path dir;

    @Test
    void theJobTakesOverTheContextThatValidationLoadedForTheSameConfig() throws Exception {
        PipelineConfig config = Pipelines.example("udf/partner-orders.yaml");
        assertThat(PythonUdfs.parkedConfig()).as("parked by validation").isEqualTo(config.udf());

        PythonUdfs taken = PythonUdfs.open(config.udf());
        try {
            assertThat(PythonUdfs.parkedConfig()).as("taken over").isNull();
            assertThat(taken.call("pricing.tier", 120.5).asString()).isEqualTo("large");
        } finally {
            taken.close();
        }
        // A config whose module differs gets its own context: the parked one is not reused for it.
        Pipelines.example("udf/partner-orders.yaml");
        UdfConfig changed = new UdfConfig(config.udf().modules(), Map.of("pricing", "def tier(amount):\n    return 'x'\n",
                "rates", config.udf().sources().get("rates")), null, null);
        PythonUdfs other = PythonUdfs.open(changed);
        try {
            assertThat(other.call("pricing.tier", 1).asString()).isEqualTo("x");
            assertThat(PythonUdfs.parkedConfig()).as("still parked").isEqualTo(config.udf());
        } finally {
            other.close();
        }
    }

    @Test
    void examplePipelinePreprocessesDerivesAndPostprocesses() {
        RecordProcessor processor = Pipelines.opened(Pipelines.example("udf/partner-orders.yaml"));
        try {
            CollectingOutput out = Pipelines.run(processor, "raw-partner-orders",
                    "{\"order_id\":\"o-1\",\"ts\":\"23/11/2026 10:00:01\",\"customer\":\"c-7\",\"amount\":120.5,\"currency\":\"USD\"}",
                    "HEARTBEAT 2026-11-23T10:00:02",
                    "{\"order_id\":\"o-2\",\"ts\":\"23/11/2026 10:00:03\",\"customer\":\"test-1\",\"amount\":5,\"currency\":\"EUR\"}",
                    "{\"order_id\":\"o-3\",\"ts\":\"23/11/2026 10:00:04\",\"customer\":\"c-8\",\"amount\":7,\"currency\":\"XYZ\"}",
                    "{\"order_id\":\"o-4\",\"ts\":\"2026-11-23 10:00:05\",\"customer\":\"c-8\",\"amount\":7,\"currency\":\"EUR\"}");

            assertThat(out.rows(TABLE)).hasSize(1);
            RowData row = out.rows(TABLE).get(0);
            assertThat(row.getString(0)).isEqualTo(StringData.fromString("o-1"));
            assertThat(row.getTimestamp(1, 6).toLocalDateTime()).isEqualTo(LocalDateTime.of(2026, 11, 23, 10, 0, 1));
            assertThat(row.getDouble(5)).isEqualTo(110.86);
            assertThat(row.getString(6)).isEqualTo(StringData.fromString("large"));
            assertThat(row.getString(7)).isEqualTo(StringData.fromString("2026-11-23"));
            assertThat(out.drops).containsExactly(
                    new CollectingOutput.Drop(null, RecordProcessor.DROP_PREPROCESS),
                    new CollectingOutput.Drop(TABLE, "udf_postprocess"));
            assertThat(out.errors).extracting(ErrorRecord::code, ErrorRecord::table, ErrorRecord::message)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(ErrorCode.UDF_ERROR, TABLE,
                                    "ValueError: unknown currency 'XYZ'"),
                            org.assertj.core.groups.Tuple.tuple(ErrorCode.UDF_ERROR, null,
                                    "ValueError: time data '2026-11-23 10:00:05' does not match format '%d/%m/%Y %H:%M:%S'"));
            // The error row keeps the line as it arrived, before preprocess.
            assertThat(out.errors.get(1).raw())
                    .contains("2026-11-23 10:00:05");
        } finally {
            processor.close();
        }
    }

    @Test
    void aRunawayCallIsInterruptedAndTheNextRecordStillWorks() throws IOException {
        module("spin.py", """
                def line(text):
                    if text.startswith('loop'):
                        while True:
                            pass
                    return text
                """);
        RecordProcessor processor = Pipelines.opened(PipelineConfigLoader.parse(pipeline("""
                udf: { modules: %s, time-budget-ms: 200, preprocess: spin.line }
                """, ""), "test", dir));
        try {
            long started = System.nanoTime();
            CollectingOutput out = Pipelines.run(processor, "t", "loop forever", "{\"id\":\"a\"}");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
            assertThat(out.errors).singleElement().satisfies(e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.UDF_TIMEOUT);
                assertThat(e.message()).isEqualTo(
                        "spin.line exceeded the time budget of 200 ms (udf.time-budget-ms) and was interrupted");
            });
            assertThat(out.rows("t.t")).singleElement()
                    .satisfies(r -> assertThat(r.getString(0)).isEqualTo(StringData.fromString("a")));
        } finally {
            processor.close();
        }
    }

    @Test
    void derivedFunctionErrorsAndWrongReturnTypesAreUdfErrors() throws IOException {
        module("fns.py", """
                def half(x):
                    return x / 2

                def same(line):
                    return 42 if line == 'number' else line
                """);
        RecordProcessor processor = Pipelines.opened(PipelineConfigLoader.parse(pipeline("""
                udf: { modules: %s, preprocess: fns.same }
                """, """
                    extensions:
                      derived:
                        - { name: half, function: fns.half, args: [n] }
                """), "test", dir));
        try {
            CollectingOutput out = Pipelines.run(processor, "t", "{\"id\":\"a\",\"n\":5}", "{\"id\":\"b\",\"n\":\"x\"}",
                    "number");
            assertThat(out.rows("t.t")).singleElement()
                    .satisfies(r -> assertThat(r.getString(1)).isEqualTo(StringData.fromString("2.5")));
            assertThat(out.errors).extracting(ErrorRecord::code, ErrorRecord::message).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(ErrorCode.UDF_ERROR,
                            "TypeError: unsupported operand type(s) for /: 'str' and 'int'"),
                    org.assertj.core.groups.Tuple.tuple(ErrorCode.UDF_ERROR,
                            "preprocess fns.same must return a str or None, got int"));
        } finally {
            processor.close();
        }
    }

    @Test
    void importsOutsideTheModuleDirectoryAndStdlibAreRefusedAtLoad() throws IOException {
        module("ok.py", "import json\nfrom os import path\nimport helper\n");
        module("helper.py", "import re\n");
        module("bad.py", "import json\n\nimport requests\nfrom yaml import safe_load\n");

        assertThatThrownBy(() -> PipelineConfigLoader.parse(pipeline("udf: { modules: %s }\n", ""), "p.yaml", dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("udf.modules: udf module 'bad' (" + dir.resolve("bad.py")
                        + ") imports 'requests' (line 3), 'yaml' (line 4): only the standard library and the"
                        + " modules in " + dir + " may be imported");
    }

    @Test
    void unknownFunctionsAndWrongAritiesAreRefusedAtLoad() throws IOException {
        module("fns.py", "def one(x):\n    return x\n");

        assertThatThrownBy(() -> PipelineConfigLoader.parse(pipeline("udf: { modules: %s, preprocess: fns.nope }\n", """
                    postprocess: nomodule.f
                    extensions:
                      derived:
                        - { name: two, function: fns.one, args: [n, id] }
                """), "p.yaml", dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("udf.preprocess: udf module 'fns' has no function 'nope'")
                .hasMessageContaining("tables[0].postprocess: no udf module 'nomodule' in " + dir)
                .hasMessageContaining("tables[0].extensions.derived[0].args: Python function 'fns.one' cannot be"
                        + " called with 2 argument(s): too many positional arguments");
    }

    private void module(String name, String source) throws IOException {
        Files.writeString(dir.resolve(name), source);
    }

    /** A one-table pipeline (JSON id, n) with the given udf block (%s: the module dir) and table lines. */
    private String pipeline(String udf, String table) {
        return "source: { topic: t }\n" + udf.formatted(dir) + """
                tables:
                  - name: t.t
                    parser: { type: json }
                """ + table + """
                    columns:
                      - { name: id, type: STRING, required: true }
                      - { name: half, type: STRING }
                """;
    }
}
