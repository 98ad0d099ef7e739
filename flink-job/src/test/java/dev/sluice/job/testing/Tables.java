package dev.sluice.job.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.job.EtlJob;
import dev.sluice.job.TableTarget;
import dev.sluice.job.error.ErrorTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.types.Row;

/** What the recovery tests read back from the lake, in one place. */
public final class Tables {
    private Tables() {
    }

    /** Completed commits in a Hudi table's timeline directory ({@code <table>/.hoodie}); 0 before the first. */
    public static long hudiCommits(Path timeline) throws IOException {
        if (!Files.isDirectory(timeline)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(timeline)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".commit")).count();
        }
    }

    /**
     * Checks that each of {@code tables} holds {@code expected} rows with as many distinct ids. Every table
     * is read and reported before any assertion, so one run shows the whole picture.
     */
    public static void assertEachIdOnce(String context, List<TableTarget> tables, long expected) throws Exception {
        Map<String, List<Long>> counts = new LinkedHashMap<>();
        for (TableTarget table : tables) {
            List<Row> rows = table.readAll();
            long distinct = rows.stream().map(r -> r.getField("id")).distinct().count();
            System.out.printf("%s: %s (%s) %d rows, %d distinct ids%n", context, table.name(), table.format(),
                    rows.size(), distinct);
            counts.put(table.name() + " (" + table.format() + ")", List.of((long) rows.size(), distinct));
        }
        counts.forEach((table, count) -> assertThat(count).as(table + " rows, distinct ids")
                .containsExactly(expected, expected));
    }

    /** The rows per error code in {@code job}'s error table. */
    public static Map<Object, Long> errorCodes(EtlJob job) throws Exception {
        TableTarget errors = job.targets().stream().filter(t -> t.name().endsWith("." + ErrorTable.TABLE_SUFFIX))
                .findFirst().orElseThrow();
        return errors.readAll().stream().collect(Collectors.groupingBy(r -> r.getField("error_code"), Collectors.counting()));
    }
}
