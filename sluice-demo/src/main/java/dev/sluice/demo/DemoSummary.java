package dev.sluice.demo;

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
public record DemoSummary(long posted, long accepted, List<Table> tables, Map<String, Long> errors) {

    /**
     * @param name   {@code db.table}
     * @param format {@code hudi-cow}, {@code hudi-mor} or {@code hive}
     * @param path   where the table lives
     * @param rows   rows read back through a table reader
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Table(String name, String format, String path, long rows) {
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
        }
        if (errors != null && !errors.isEmpty()) {
            out.append("  error codes: ").append(errors).append(System.lineSeparator());
        }
        return out.toString();
    }
}
