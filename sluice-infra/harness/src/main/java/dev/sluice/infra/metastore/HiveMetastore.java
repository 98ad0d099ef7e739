package dev.sluice.infra.metastore;

import java.nio.file.Path;

/** A running Hive Metastore: its Thrift address and the warehouse directory of managed tables. */
public interface HiveMetastore extends AutoCloseable {

    /** {@code thrift://127.0.0.1:PORT}, for {@code hive.metastore.uris}. */
    String thriftUri();

    /** Directory of managed tables (Sluice registers its own tables as EXTERNAL with their lake paths). */
    Path warehouseDir();

    /** Takes the metastore down, keeping its address and database: clients get connection refused. */
    void stop();

    /** Starts it again after {@link #stop()}, on the same address, and returns once it accepts clients. */
    void start();

    /** Stops the metastore; the Derby database stays under the data directory. Idempotent. */
    @Override
    void close();
}
