package dev.sluice.job.load;

import java.io.Serializable;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.table.types.logical.RowType;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers partition directories of one Hive table in the metastore, creating the table first when it
 * is absent. Each committer subtask holds its own copy (with its own connection, opened on first use).
 *
 * <p>Semantics: idempotent — a partition that already exists is left as it is (a backfill may have
 * moved its location), and subtasks racing to add the same partition are fine. Partitions seen by this
 * copy are remembered, so the metastore is asked once per partition and run, not once per file.
 */
final class PartitionRegistrar implements Serializable, AutoCloseable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PartitionRegistrar.class);

    private final String metastoreUri;
    private final String database;
    private final String table;
    private final String location;
    private final RowType rowType;
    private final List<String> partitionFields;

    private transient HiveMetastoreClient client;
    private transient Set<String> registered;

    PartitionRegistrar(String metastoreUri, String database, String table, String location, RowType rowType,
                       List<String> partitionFields) {
        this.metastoreUri = metastoreUri;
        this.database = database;
        this.table = table;
        this.location = location;
        this.rowType = rowType;
        this.partitionFields = List.copyOf(partitionFields);
    }

    /**
     * Creates the database and table now, from the caller's thread, when they are absent. The sink calls
     * this when the job is built, so the committer's first commit only adds partitions: on a cold metastore
     * (Derby creating its schema on first use) creating the database and table took 10–20 s, and the
     * committer runs on the writer's task thread after a checkpoint, so the next checkpoint's barrier waited
     * behind it (the demo's nginx job, three jobs on one MiniCluster; docs/lake.md).
     *
     * @throws IllegalStateException when the metastore cannot be reached or refuses the table
     */
    void ensureTable() {
        try (HiveMetastoreClient client = HiveMetastoreClient.connect(metastoreUri)) {
            if (client.ensureTable(database, table, location, rowType, partitionFields)) {
                LOG.info("created Hive table {}.{} at {} in {}", database, table, location, metastoreUri);
            }
        } catch (TException e) {
            throw new IllegalStateException("cannot create Hive table " + database + "." + table + " in "
                    + metastoreUri + ": " + e.getMessage(), e);
        }
    }

    /** Registers every partition directory ({@code dt=2026-11-23}) not registered by this copy yet. */
    void register(Collection<String> partitions) throws TException {
        if (client == null) {
            client = HiveMetastoreClient.connect(metastoreUri);
            registered = new HashSet<>();
            if (client.ensureTable(database, table, location, rowType, partitionFields)) {
                LOG.info("created Hive table {}.{} at {} in {}", database, table, location, metastoreUri);
            }
        }
        for (String partition : partitions) {
            if (registered.contains(partition)) {
                continue;
            }
            String partitionLocation = location + "/" + partition;
            if (client.addPartitionIfAbsent(database, table, PartitionPath.valuesOf(partition), partitionLocation)) {
                LOG.info("registered partition {} of Hive table {}.{} at {}", partition, database, table,
                        partitionLocation);
            }
            registered.add(partition);
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
