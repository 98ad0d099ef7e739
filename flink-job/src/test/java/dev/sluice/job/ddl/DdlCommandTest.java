package dev.sluice.job.ddl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sluice ddl} on the command line: output, dialect choice and the refusals. */
class DdlCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void printsEveryStatementOfTheChosenDialectToStdout() {
        int code = run("--pipeline", "../examples/pipelines/app-logs.yaml", "--dialect", "SPARK", "--lake-root", "/lake");
        assertThat(code).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString())
                .startsWith("-- spark DDL of the tables of ../examples/pipelines/app-logs.yaml, lake root /lake\n")
                .contains("CREATE DATABASE IF NOT EXISTS `app`;", "CREATE TABLE IF NOT EXISTS `app`.`events` (",
                        "CREATE TABLE IF NOT EXISTS `app`.`errors` (", "CREATE TABLE IF NOT EXISTS `app`.`sluice_errors` (",
                        "LOCATION 'file:///lake/app/events'", "USING hudi");
    }

    @Test
    void defaultsToFlinkAndTheDemosLake() {
        assertThat(run("--pipeline", "../examples/pipelines/app-logs.yaml")).isZero();
        assertThat(out.toString()).contains("-- flink DDL", "'connector' = 'hudi'",
                "'path' = '" + Path.of("data/lake").toAbsolutePath().toUri().toString().replaceAll("/$", "") + "/app/events'");
    }

    @Test
    void avroPrintsTheValueSchemaOfEachAvroKafkaSinkByRegistrySubject() throws Exception {
        assertThat(run("--pipeline", "../examples/pipelines/click-events.yaml", "--dialect", "avro")).isZero();
        assertThat(err.toString()).isEmpty();

        // JSON alone (no SQL comment), one schema per Avro sink: rt-clicks writes JSON and has none.
        JsonNode schemas = new ObjectMapper().readTree(out.toString());
        assertThat(schemas.fieldNames()).toIterable().containsExactly("rt-clicks-avro-value");
        Schema schema = new Schema.Parser().parse(schemas.get("rt-clicks-avro-value").toString());
        assertThat(schema.getFullName()).isEqualTo("app.clicks");
        assertThat(schema.getFields()).extracting(Schema.Field::name)
                .containsExactly("event_id", "ts", "user_id", "screen", "action", "target", "dt");
        assertThat(schema.getField("ts").schema().getLogicalType().getName()).isEqualTo("timestamp-micros");
        assertThat(schema.getField("user_id").schema().getTypes()).extracting(Schema::getType)
                .containsExactly(Schema.Type.NULL, Schema.Type.LONG);

        out.getBuffer().setLength(0);
        assertThat(run("--pipeline", "../examples/pipelines/app-logs.yaml", "--dialect", "avro")).isZero();
        assertThat(out.toString().trim()).isEqualTo("{ }");
    }

    @Test
    void anUnknownDialectIsRefusedNamingTheFlagAndTheChoices() {
        int code = run("--pipeline", "../examples/pipelines/app-logs.yaml", "--dialect", "presto");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--dialect", "presto", "HIVE, SPARK, FLINK, AVRO");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anInvalidPipelineIsRefusedWithTheKeysPath(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(Path.of("../examples/pipelines/app-logs.yaml"))
                .replaceFirst("name: app.events", "name: events"));
        assertThat(run("--pipeline", bad.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("--pipeline " + bad, "tables[0].name", "database.table");
        assertThat(out.toString()).isEmpty();
        assertThat(run("--pipeline", dir.resolve("missing.yaml").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("missing.yaml");
    }

    private int run(String... args) {
        CommandLine cmd = DdlCommand.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }
}
