package dev.sluice.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code sluice sla}'s reading of Flink's accumulator text and its table (the REST calls run in the demo). */
class SlaCommandTest {

    @Test
    void parsesTheAccumulatorAsFlinkRestRendersIt() throws Exception {
        String body = """
                {"job-accumulators":[],"user-task-accumulators":[
                 {"name":"other","type":"LongCounter","value":"7"},
                 {"name":"sluice-sla","type":"TreeMap","value":"{_job|recordsDropped=1, _job|recordsIn=10, \
                _job|recordsOut=8, _job|recordsErrored=1, app.events|code=TYPE_CONVERSION.recordsErrored=1, \
                app.events|commits=3, app.events|recordsIn=9, app.events|recordsOut=8, app.events|recordsErrored=1}"}]}
                """;
        Map<String, Long> counters = SlaCommand.counters(new ObjectMapper().readTree(body));
        assertThat(counters).hasSize(9)
                .containsEntry("_job|recordsIn", 10L)
                .containsEntry("app.events|code=TYPE_CONVERSION.recordsErrored", 1L)
                .containsEntry("app.events|commits", 3L);
    }

    @Test
    void tableNamesAreMatchedAsFlinkMetricIdentifiersSpellThem() {
        assertThat(SlaCommand.metricName("web.nginx_access")).isEqualTo("web_nginx_access");
        assertThat(SlaCommand.metricName("game-ops.login")).isEqualTo("game-ops_login");
        assertThat(SlaCommand.metricName("_job")).isEqualTo("_job");
    }

    @Test
    void rendersRowsWithRatioAgeAndBalance() {
        long now = 1_800_000_000_000L;
        List<SlaCommand.Job> jobs = List.of(new SlaCommand.Job("abc", "sluice etl raw-app-logs", "RUNNING", List.of(
                new SlaCommand.Row("_job", 10, 8, 1, 1, null),
                new SlaCommand.Row("app.events", 9, 8, 0, 1, now - 42_000))));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SlaCommand.render(jobs, now, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("job sluice etl raw-app-logs  [RUNNING, abc]  in = out + dropped + errored")
                .containsPattern("app\\.events\\s+9\\s+8\\s+0\\s+1\\s+11\\.11\\s+42 s ago")
                .containsPattern("\\(job: every record\\)\\s+10\\s+8\\s+1\\s+1\\s+10\\.00\\s+-");

        ByteArrayOutputStream unbalanced = new ByteArrayOutputStream();
        SlaCommand.render(List.of(new SlaCommand.Job("x", "j", "RUNNING",
                List.of(new SlaCommand.Row("t", 5, 1, 1, 1, null)))), now, new PrintStream(unbalanced, true, StandardCharsets.UTF_8));
        assertThat(unbalanced.toString(StandardCharsets.UTF_8)).contains("UNBALANCED");
    }
}
