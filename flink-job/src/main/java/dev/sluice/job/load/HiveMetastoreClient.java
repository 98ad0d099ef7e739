package dev.sluice.job.load;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.hadoop.hive.metastore.api.AlreadyExistsException;
import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.GetTableRequest;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.SerDeInfo;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;

/**
 * The few Hive Metastore calls Sluice makes, over the metastore's plain Thrift API (binary protocol,
 * no SASL). Deliberately not Hive's {@code HiveMetaStoreClient}: that one drags Hive's logging binding
 * and a full Hadoop onto the job's classpath; the generated Thrift client needs only libthrift.
 *
 * <p>Tables are EXTERNAL Parquet tables: dropping one in Hive never deletes the lake's files. Not
 * thread-safe; one instance per operator.
 */
public final class HiveMetastoreClient implements AutoCloseable {
    public static final String PARQUET_INPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat";
    public static final String PARQUET_OUTPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat";
    public static final String PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";
    private static final int TIMEOUT_MILLIS = 30_000;

    private final TSocket socket;
    private final ThriftHiveMetastore.Client client;

    private HiveMetastoreClient(TSocket socket) {
        this.socket = socket;
        this.client = new ThriftHiveMetastore.Client(new TBinaryProtocol(socket));
    }

    /** Connects to {@code thrift://host:port}. */
    public static HiveMetastoreClient connect(String thriftUri) {
        URI uri = URI.create(thriftUri);
        if (!"thrift".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("metastore URI must look like thrift://host:9083, was " + thriftUri);
        }
        try {
            TSocket socket = new TSocket(uri.getHost(), uri.getPort(), TIMEOUT_MILLIS);
            socket.open();
            return new HiveMetastoreClient(socket);
        } catch (TTransportException e) {
            throw new IllegalStateException("cannot reach the Hive Metastore at " + thriftUri, e);
        }
    }

    /**
     * Creates the database and the EXTERNAL Parquet table at {@code location} when absent: data columns
     * are the row's columns minus the partition fields, which become partition keys. An existing table is
     * left as it is.
     *
     * @return true when the table was created
     */
    public boolean ensureTable(String database, String table, String location, RowType rowType,
                               List<String> partitionFields) throws TException {
        if (!databaseExists(database)) {
            try {
                client.create_database(new Database(database, "Sluice lake tables", null, new HashMap<>()));
            } catch (AlreadyExistsException | MetaException raced) {
                // Another subtask or table of the same database got there first; a real failure shows below.
                if (!databaseExists(database)) {
                    throw raced;
                }
            }
        }
        if (tableExists(database, table)) {
            return false;
        }
        List<FieldSchema> columns = new ArrayList<>();
        List<FieldSchema> partitionKeys = new ArrayList<>();
        for (String field : partitionFields) {
            partitionKeys.add(new FieldSchema(field, hiveType(rowType.getTypeAt(rowType.getFieldIndex(field))), null));
        }
        for (RowType.RowField field : rowType.getFields()) {
            if (!partitionFields.contains(field.getName())) {
                columns.add(new FieldSchema(field.getName(), hiveType(field.getType()), null));
            }
        }
        Table definition = new Table();
        definition.setDbName(database);
        definition.setTableName(table);
        definition.setTableType("EXTERNAL_TABLE");
        definition.setParameters(new HashMap<>());
        definition.putToParameters("EXTERNAL", "TRUE");
        definition.putToParameters("created.by", "sluice");
        definition.setPartitionKeys(partitionKeys);
        definition.setSd(storage(location, columns));
        try {
            client.create_table(definition);
            return true;
        } catch (AlreadyExistsException | MetaException raced) {
            if (tableExists(database, table)) {
                return false;
            }
            throw raced;
        }
    }

    /**
     * Registers a partition at {@code location} unless one with these values exists (its location is
     * then left alone: a backfill may have moved it).
     *
     * @return true when the partition was added
     */
    public boolean addPartitionIfAbsent(String database, String table, List<String> values, String location)
            throws TException {
        if (partitionExists(database, table, values)) {
            return false;
        }
        Table definition = table(database, table);
        Partition partition = new Partition();
        partition.setDbName(database);
        partition.setTableName(table);
        partition.setValues(new ArrayList<>(values));
        partition.setParameters(new HashMap<>());
        partition.setSd(storage(location, definition.getSd().getCols()));
        try {
            client.add_partition(partition);
            return true;
        } catch (AlreadyExistsException exists) {
            return false;
        } catch (MetaException e) {
            // Committer subtasks race to add the same partition; the loser may see a datastore error
            // instead of AlreadyExists. Only a partition that is still missing is a failure.
            if (partitionExists(database, table, values)) {
                return false;
            }
            throw e;
        }
    }

    private boolean partitionExists(String database, String table, List<String> values) throws TException {
        try {
            client.get_partition(database, table, new ArrayList<>(values));
            return true;
        } catch (NoSuchObjectException absent) {
            return false;
        }
    }

    /**
     * The location of one partition as stored, or null when the table has no such partition.
     *
     * @param values the partition's values in partition-key order (unescaped)
     */
    public String partitionLocation(String database, String table, List<String> values) throws TException {
        try {
            return client.get_partition(database, table, new ArrayList<>(values)).getSd().getLocation();
        } catch (NoSuchObjectException absent) {
            return null;
        }
    }

    /**
     * Points an existing partition at {@code location}, in one metastore call: readers that look the
     * partition up afterwards read the new location, those that looked it up before keep the old one.
     * Nothing else of the partition changes.
     *
     * @throws NoSuchObjectException when the partition does not exist
     */
    public void alterPartitionLocation(String database, String table, List<String> values, String location)
            throws TException {
        Partition partition = client.get_partition(database, table, new ArrayList<>(values));
        partition.getSd().setLocation(location);
        client.alter_partition(database, table, partition);
    }

    /** Locations of every partition of the table, as stored (Hadoop form, e.g. {@code file:/...}). */
    public List<String> partitionLocations(String database, String table) throws TException {
        List<String> locations = new ArrayList<>();
        for (Partition partition : client.get_partitions(database, table, (short) -1)) {
            locations.add(partition.getSd().getLocation());
        }
        return locations;
    }

    /** {@code dt=2026-11-23} style names of every partition of the table. */
    public List<String> partitionNames(String database, String table) throws TException {
        return client.get_partition_names(database, table, (short) -1);
    }

    public Table table(String database, String table) throws TException {
        return client.get_table_req(new GetTableRequest(database, table)).getTable();
    }

    private boolean databaseExists(String database) throws TException {
        try {
            client.get_database(database);
            return true;
        } catch (NoSuchObjectException absent) {
            return false;
        }
    }

    private boolean tableExists(String database, String table) throws TException {
        try {
            table(database, table);
            return true;
        } catch (NoSuchObjectException absent) {
            return false;
        }
    }

    private static StorageDescriptor storage(String location, List<FieldSchema> columns) {
        StorageDescriptor sd = new StorageDescriptor();
        sd.setCols(new ArrayList<>(columns));
        sd.setLocation(location);
        sd.setInputFormat(PARQUET_INPUT);
        sd.setOutputFormat(PARQUET_OUTPUT);
        sd.setSerdeInfo(new SerDeInfo(null, PARQUET_SERDE, new HashMap<>()));
        return sd;
    }

    /** Hive's name of the Parquet-compatible type Flink's Parquet writer uses for {@code type}. */
    public static String hiveType(LogicalType type) {
        return switch (type.getTypeRoot()) {
            case CHAR, VARCHAR -> "string";
            case BOOLEAN -> "boolean";
            case INTEGER -> "int";
            case BIGINT -> "bigint";
            case DOUBLE -> "double";
            case FLOAT -> "float";
            case DATE -> "date";
            // Flink's Parquet writer stores timestamps as INT96, what Hive reads as timestamp.
            case TIMESTAMP_WITHOUT_TIME_ZONE, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> "timestamp";
            default -> throw new IllegalArgumentException("no Hive type for " + type.asSummaryString()
                    .toLowerCase(Locale.ROOT));
        };
    }

    @Override
    public void close() {
        socket.close();
    }
}
