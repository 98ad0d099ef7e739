package dev.sluice.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.PipelineConfigLoader;
import org.junit.jupiter.api.Test;

/** The engine's checks join the loader's one-pass report through the ConfigRule SPI. */
class EngineConfigRuleTest {

    @Test
    void reportsFunctionsRoutesPatternsAndColumnSourcesWithPaths() {
        String yaml = """
                source: { topic: t }
                tables:
                  - name: web.access
                    parser: { type: regex, pattern: '%{IP:addr} (?<status>\\d+) %{NOPE:x}' }
                    columns: [ { name: a, type: STRING } ]
                  - name: web.other
                    parser: { type: regex, pattern: '(?<addr>\\S+) (?<status>\\d+' }
                    columns: [ { name: a, type: STRING } ]
                  - name: web.csv
                    parser: { type: csv, fields: [ts, level] }
                    extensions:
                      derived:
                        - { name: dt, function: date_fmt, args: [ts] }
                        - { name: day, function: date_format, args: [ts] }
                        - { name: up, function: upper, args: [level] }
                    columns:
                      - { name: ts, type: TIMESTAMP }
                      - { name: up, type: STRING }
                      - { name: host, type: STRING }
                    route: level ==
                """;

        var problems = catchThrowableOfType(ConfigException.class, () -> PipelineConfigLoader.parse(yaml, "t"))
                .problems();

        assertThat(problems).hasSize(6);
        assertThat(problems.get(0)).startsWith("tables[0].parser.pattern: unknown Grok pattern '%{NOPE}', known: [");
        assertThat(problems.get(1)).startsWith("tables[1].parser.pattern: not a valid regex: Unclosed group near index");
        // price_tier: a Java function the test classpath registers through the SPI, listed like the built-ins.
        assertThat(problems.get(2)).startsWith("tables[2].extensions.derived[0].function: unknown function 'date_fmt', "
                + "expected one of coalesce, date_format, from_unixtime, hash, json_path, lower, price_tier, upper");
        assertThat(problems.get(3)).isEqualTo("tables[2].extensions.derived[1].args: date_format(field, pattern[, "
                + "in_pattern]) takes 2 to 3 argument(s), got 1");
        assertThat(problems.get(4)).isEqualTo("tables[2].columns[2].path: 'host' is not produced by the csv parser "
                + "(fields: level, ts) nor a derived field");
        assertThat(problems.get(5)).startsWith("tables[2].route: route expression does not compile: ");
    }

    @Test
    void regexColumnsMustBeNamedGroups() {
        String yaml = """
                source: { topic: t }
                tables:
                  - name: web.access
                    parser: { type: regex, pattern: '(?<remote_addr>\\S+) (?<status>\\d+)' }
                    columns:
                      - { name: remote_addr, type: STRING }
                      - { name: code, type: BIGINT, path: status_code }
                """;

        assertThat(catchThrowableOfType(ConfigException.class, () -> PipelineConfigLoader.parse(yaml, "t")).problems())
                .containsExactly("tables[0].columns[1].path: 'status_code' is not produced by the regex parser "
                        + "(fields: remote_addr, status) nor a derived field");
    }
}
