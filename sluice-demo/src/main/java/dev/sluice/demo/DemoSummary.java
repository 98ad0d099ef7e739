package dev.sluice.demo;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The closing account of a demo run, in the shape ARCHITECTURE.md gives for {@code --summary-json}.
 * Fields of features not built yet are null and left out, never faked.
 *
 * @param posted   lines sent to the gateway
 * @param accepted lines the gateway acknowledged (acked by Kafka)
 * @param tables   every table written, rows read back through the table's reader
 * @param errors   error-table rows per error code
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DemoSummary(long posted, long accepted, List<Table> tables, Map<String, Long> errors,
                          @JsonIgnore List<Job> jobs) {

    /** A job's own account: every record it read, and where each ended. */
    public record Job(String topic, Sla sla) {
    }

    /** SLA counters; {@code in = out + dropped + errored} must hold. */
    public record Sla(long in, long out, long dropped, long errored) {
        public boolean balanced() {
            return in == out + dropped + errored;
        }
    }

    /**
     * @param name   {@code db.table}
     * @param format {@code hudi-cow}, {@code hudi-mor} or {@code hive}
     * @param path   where the table lives
     * @param rows   rows read back through a table reader
     * @param sla    the table's SLA counters (data tables only)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Table(String name, String format, String path, long rows, Sla sla) {
    }

    public void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
    }

    /** The human readable form printed at the end of a run. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("posted %,d lines, accepted %,d%n", posted, accepted));
        int width = tables.stream().mapToInt(t -> t.name().length()).max().orElse(10);
        for (Table table : tables) {
            out.append(String.format("  %-" + width + "s  %-8s %,10d rows  %s%n", table.name(), table.format(), table.rows(), table.path()));
            if (table.sla() != null) {
                out.append(String.format("  %-" + width + "s  sla: in %,d = out %,d + dropped %,d + errored %,d%n", "",
                        table.sla().in(), table.sla().out(), table.sla().dropped(), table.sla().errored()));
            }
        }
        if (jobs != null) {
            for (Job job : jobs) {
                Sla sla = job.sla();
                out.append(String.format("job %s: in %,d = out %,d + dropped %,d + errored %,d  %s%n", job.topic(),
                        sla.in(), sla.out(), sla.dropped(), sla.errored(), sla.balanced() ? "[balanced]" : "[NOT BALANCED]"));
            }
        }
        if (errors != null && !errors.isEmpty()) {
            out.append("top error codes: ");
            errors.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                    .forEach(e -> out.append(e.getKey()).append('=').append(e.getValue()).append(' '));
            out.append(System.lineSeparator());
        }
        return out.toString();
    }
}
