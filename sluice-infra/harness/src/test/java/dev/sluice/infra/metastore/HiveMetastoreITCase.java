package dev.sluice.infra.metastore;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.GetTableRequest;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.SerDeInfo;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Talks to the child-JVM metastore over plain Thrift, the way the job's client does. */
class HiveMetastoreITCase {

    @TempDir
    Path dataDir;

    @Test
    void registersAndMovesPartitionsOfAnExternalParquetTable() throws Exception {
        String database = "db_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (HiveMetastore metastore = HiveMetastores.start(dataDir.resolve("metastore"))) {
            URI uri = URI.create(metastore.thriftUri());
            assertThat(uri.getHost()).isEqualTo("127.0.0.1");
            try (TSocket socket = new TSocket(uri.getHost(), uri.getPort())) {
                socket.open();
                ThriftHiveMetastore.Client client = new ThriftHiveMetastore.Client(new TBinaryProtocol(socket));
                String tableLocation = dataDir.resolve("lake/events").toUri().toString();

                client.create_database(new Database(database, "test", dataDir.resolve("lake").toUri().toString(),
                        new HashMap<>()));
                client.create_table(externalParquetTable(database, "events", tableLocation));
                client.add_partition(partition(database, "events", "2026-11-23", tableLocation + "/dt=2026-11-23"));
                Partition moved = client.get_partition(database, "events", new ArrayList<>(List.of("2026-11-23")));
                moved.getSd().setLocation(tableLocation + "/_backfill/run-1");
                client.alter_partition(database, "events", moved);

                Table table = client.get_table_req(new GetTableRequest(database, "events")).getTable();
                assertThat(table.getTableType()).isEqualTo("EXTERNAL_TABLE");
                assertThat(table.getPartitionKeys()).extracting(FieldSchema::getName).containsExactly("dt");
                assertThat(table.getSd().getCols()).extracting(FieldSchema::getName).containsExactly("id", "msg");
                assertThat(client.get_partition_names(database, "events", (short) -1))
                        .containsExactly("dt=2026-11-23");
                assertThat(client.get_partition(database, "events", new ArrayList<>(List.of("2026-11-23")))
                        .getSd().getLocation())
                        // The metastore stores Hadoop's form of the URI (file:/tmp/..., not file:///tmp/...).
                        .startsWith("file:/").endsWith("/lake/events/_backfill/run-1");
            }
        }
    }

    private static Table externalParquetTable(String database, String name, String location) {
        Table table = new Table();
        table.setDbName(database);
        table.setTableName(name);
        table.setTableType("EXTERNAL_TABLE");
        table.setParameters(new HashMap<>());
        table.putToParameters("EXTERNAL", "TRUE");
        table.setPartitionKeys(new ArrayList<>(List.of(new FieldSchema("dt", "string", null))));
        table.setSd(storage(location, new ArrayList<>(List.of(
                new FieldSchema("id", "bigint", null), new FieldSchema("msg", "string", null)))));
        return table;
    }

    private static Partition partition(String database, String table, String value, String location) {
        Partition partition = new Partition();
        partition.setDbName(database);
        partition.setTableName(table);
        partition.setValues(new ArrayList<>(List.of(value)));
        partition.setParameters(new HashMap<>());
        partition.setSd(storage(location, new ArrayList<>(List.of(
                new FieldSchema("id", "bigint", null), new FieldSchema("msg", "string", null)))));
        return partition;
    }

    private static StorageDescriptor storage(String location, List<FieldSchema> columns) {
        StorageDescriptor sd = new StorageDescriptor();
        sd.setCols(columns);
        sd.setLocation(location);
        sd.setInputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat");
        sd.setOutputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat");
        sd.setSerdeInfo(new SerDeInfo(null, "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
                new HashMap<>()));
        return sd;
    }
}
