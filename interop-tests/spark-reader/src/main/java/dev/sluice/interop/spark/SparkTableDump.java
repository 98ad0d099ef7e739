package dev.sluice.interop.spark;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads tables with Spark and writes the chosen columns of every row as JSON lines, sorted, one output
 * file per table. One JVM reads them all: Spark's start-up is the expensive part.
 *
 * <p>Usage: {@code SparkTableDump hudi|parquet <tables> <table path> <output file>... <column>...}, with
 * {@code <tables>} path/output pairs. {@code hudi} is a snapshot query through Hudi's Spark datasource
 * (base files merged with logs); {@code parquet} reads Hive-style partition directories with Spark's
 * Parquet source. Exit code 0 when every file is written.
 */
public final class SparkTableDump {
    private SparkTableDump() {
    }

    public static void main(String[] args) throws Exception {
        int tables = args.length < 2 ? 0 : Integer.parseInt(args[1]);
        if (tables < 1 || args.length < 3 + 2 * tables) {
            System.err.println("usage: SparkTableDump hudi|parquet <tables> <table path> <output file>... <column>...");
            System.exit(2);
        }
        String format = args[0];
        List<String> columns = Arrays.asList(args).subList(2 + 2 * tables, args.length);
        SparkSession spark = SparkSession.builder()
                .appName("sluice-interop-read")
                .master("local[1]")
                .config("spark.ui.enabled", "false")
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.sql.extensions", "org.apache.spark.sql.hudi.HoodieSparkSessionExtension")
                .config("spark.sql.session.timeZone", "UTC")
                .getOrCreate();
        try {
            for (int i = 0; i < tables; i++) {
                String path = args[2 + 2 * i];
                Dataset<Row> table = spark.read().format(format).load(path);
                List<String> lines = table.selectExpr(columns.toArray(String[]::new)).toJSON().collectAsList();
                Files.write(Path.of(args[3 + 2 * i]), lines.stream().sorted().toList(), StandardCharsets.UTF_8);
                System.out.println("dumped " + lines.size() + " rows of " + path);
            }
        } finally {
            spark.stop();
        }
    }
}
