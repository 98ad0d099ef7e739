package dev.sluice.infra.metastore;

import dev.sluice.infra.process.ChildJvm;
import dev.sluice.infra.process.Ports;
import dev.sluice.infra.process.ServerClasspath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a standalone Hive Metastore 4.0.1 with embedded Derby in a child JVM, listening on 127.0.0.1.
 *
 * <p>Usage:
 * <pre>{@code
 * try (HiveMetastore metastore = HiveMetastores.start(dir)) {
 *     String uri = metastore.thriftUri();   // thrift://127.0.0.1:40123
 * }
 * }</pre>
 *
 * <p>The server classpath comes from the {@code sluice-infra-metastore-runtime} artifact. Everything
 * lives under {@code dataDir}: {@code conf/metastore-site.xml}, {@code metastore_db} (Derby),
 * {@code warehouse}, {@code metastore.log}. A restart on the same directory keeps every table.
 * A metastore that fails to start does not exit by itself (non-daemon threads): the start is bounded
 * by a timeout, after which the child is stopped.
 */
public final class HiveMetastores {
    private static final Logger LOG = LoggerFactory.getLogger(HiveMetastores.class);
    private static final String CLASSPATH_RESOURCE = "/dev/sluice/infra/metastore/server.classpath";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private HiveMetastores() {
    }

    /** Starts a metastore whose Derby database and warehouse live under {@code dataDir}. */
    public static HiveMetastore start(Path dataDir) {
        Path dir = dataDir.toAbsolutePath();
        int port = Ports.free();
        Path conf = dir.resolve("conf");
        Path warehouse = dir.resolve("warehouse");
        try {
            Files.createDirectories(conf);
            Files.createDirectories(warehouse);
            Files.writeString(conf.resolve("metastore-site.xml"), siteXml(settings(dir, warehouse, port)));
            Files.writeString(conf.resolve("metastore-log4j2.properties"), LOG4J2);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
        List<String> classpath = new ArrayList<>();
        // The conf directory first: MetastoreConf finds metastore-site.xml on the classpath.
        classpath.add(conf.toString());
        classpath.addAll(ServerClasspath.read(CLASSPATH_RESOURCE, "sluice-infra/metastore-runtime"));
        ChildJvm server = ChildJvm.builder("hive-metastore")
                .classpath(classpath)
                .jvmArgs(List.of("-Xmx384m", "-Xms64m", "-XX:+UseSerialGC",
                        "-Dlog4j.configurationFile=" + conf.resolve("metastore-log4j2.properties").toUri(),
                        "-Dderby.stream.error.file=" + dir.resolve("derby.log")))
                .mainClass("org.apache.hadoop.hive.metastore.HiveMetaStore")
                .args(List.of("-p", String.valueOf(port)))
                .logFile(dir.resolve("metastore.log"))
                .build();
        server.start();
        // The Thrift port opens only once the schema is in place, so an open port means ready.
        server.awaitPort(port, START_TIMEOUT);
        ChildJvmMetastore metastore = new ChildJvmMetastore(server, port, "thrift://127.0.0.1:" + port, warehouse);
        LOG.info("Hive Metastore ready at {}, data in {}", metastore.thriftUri(), dir);
        return metastore;
    }

    private static Map<String, String> settings(Path dir, Path warehouse, int port) {
        Map<String, String> settings = new TreeMap<>();
        settings.put("javax.jdo.option.ConnectionURL",
                "jdbc:derby:;databaseName=" + dir.resolve("metastore_db") + ";create=true");
        settings.put("javax.jdo.option.ConnectionDriverName", "org.apache.derby.jdbc.EmbeddedDriver");
        settings.put("datanucleus.schema.autoCreateAll", "true");
        settings.put("metastore.schema.verification", "false");
        settings.put("metastore.warehouse.dir", warehouse.toUri().toString());
        settings.put("metastore.thrift.uris", "thrift://127.0.0.1:" + port);
        settings.put("metastore.thrift.bind.host", "127.0.0.1");
        settings.put("metastore.thrift.port", String.valueOf(port));
        // Partition filters are evaluated without hive-exec, which this server does not carry.
        settings.put("metastore.expression.proxy",
                "org.apache.hadoop.hive.metastore.DefaultPartitionExpressionProxy");
        // Derby rejects some of the DDL direct SQL issues in 4.0.1.
        settings.put("metastore.try.direct.sql.ddl", "false");
        // A local stand-in needs neither compaction nor notification-event housekeeping threads.
        settings.put("metastore.compactor.initiator.on", "false");
        settings.put("metastore.event.db.notification.api.auth", "false");
        return settings;
    }

    private static String siteXml(Map<String, String> settings) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<configuration>\n");
        settings.forEach((name, value) -> xml.append("  <property><name>").append(name)
                .append("</name><value>").append(value.replace("&", "&amp;").replace("<", "&lt;"))
                .append("</value></property>\n"));
        return xml.append("</configuration>\n").toString();
    }

    private record ChildJvmMetastore(ChildJvm server, int port, String thriftUri, Path warehouseDir)
            implements HiveMetastore {
        @Override
        public void stop() {
            server.stop();
        }

        @Override
        public void start() {
            server.start();
            server.awaitPort(port, START_TIMEOUT);
        }

        @Override
        public void close() {
            server.stop();
        }
    }

    private static final String LOG4J2 = String.join("\n",
            "status = warn",
            "appender.console.type = Console",
            "appender.console.name = console",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = %d{ISO8601} %-5p [%t] %c{2}: %m%n",
            "rootLogger.level = info",
            "rootLogger.appenderRef.console.ref = console",
            "logger.datanucleus.name = DataNucleus",
            "logger.datanucleus.level = warn",
            "logger.datanucleus2.name = org.datanucleus",
            "logger.datanucleus2.level = warn",
            "");
}
