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
 * Reads a table with Spark and writes the chosen columns of every row as JSON lines, sorted.
 *
 * <p>Usage: {@code SparkTableDump hudi|parquet <table path> <output file> <column>...}. {@code hudi} is a
 * snapshot query through Hudi's Spark datasource (base files merged with logs); {@code parquet} reads
 * Hive-style partition directories with Spark's Parquet source. Exit code 0 when the file is written.
 */
public final class SparkTableDump {
    private SparkTableDump() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: SparkTableDump hudi|parquet <table path> <output file> <column>...");
            System.exit(2);
        }
        String format = args[0];
        List<String> columns = Arrays.asList(args).subList(3, args.length);
        SparkSession spark = SparkSession.builder()
                .appName("sluice-interop-read")
                .master("local[1]")
                .config("spark.ui.enabled", "false")
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.sql.extensions", "org.apache.spark.sql.hudi.HoodieSparkSessionExtension")
                .config("spark.sql.session.timeZone", "UTC")
                .getOrCreate();
        try {
            Dataset<Row> table = spark.read().format(format).load(args[1]);
            List<String> lines = table.selectExpr(columns.toArray(String[]::new)).toJSON().collectAsList();
            Files.write(Path.of(args[2]), lines.stream().sorted().toList(), StandardCharsets.UTF_8);
            System.out.println("dumped " + lines.size() + " rows of " + args[1]);
        } finally {
            spark.stop();
        }
    }
}
