package dev.sluice.infra.s3;

import dev.sluice.infra.process.ChildJvm;
import dev.sluice.infra.process.Ports;
import dev.sluice.infra.process.ServerClasspath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts S3Proxy, a real S3 API server, in a child JVM with the filesystem backend: a bucket is a
 * subdirectory of {@code dataDir/buckets}, an object a file in it. Stands in for MinIO / AWS S3.
 *
 * <p>Usage:
 * <pre>{@code
 * try (S3Server s3 = S3Servers.start(dir)) {
 *     s3.createBucket("lake");
 *     // fs.s3a.endpoint = s3.endpoint(), fs.s3a.access.key = s3.accessKey(), ...
 * }
 * }</pre>
 *
 * <p>Credentials are random per start, so no test depends on a well-known key.
 */
public final class S3Servers {
    private static final Logger LOG = LoggerFactory.getLogger(S3Servers.class);
    private static final String CLASSPATH_RESOURCE = "/dev/sluice/infra/s3/server.classpath";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** S3 bucket naming rules (lower case, digits, dots, hyphens, 3-63 characters). */
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private S3Servers() {
    }

    /** Starts a server storing its buckets under {@code dataDir/buckets}. */
    public static S3Server start(Path dataDir) {
        Path dir = dataDir.toAbsolutePath();
        Path buckets = dir.resolve("buckets");
        int port = Ports.free();
        String accessKey = "sluice-" + randomHex(4);
        String secretKey = randomHex(20);
        Path properties = dir.resolve("s3proxy.conf");
        try {
            Files.createDirectories(buckets);
            Files.writeString(properties, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + accessKey,
                    "s3proxy.credential=" + secretKey,
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + buckets,
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
        ChildJvm server = ChildJvm.builder("s3proxy")
                .classpath(ServerClasspath.read(CLASSPATH_RESOURCE, "sluice-infra/s3-runtime"))
                .jvmArgs(List.of("-Xmx256m", "-XX:+UseSerialGC"))
                .mainClass("org.gaul.s3proxy.Main")
                .args(List.of("--properties", properties.toString()))
                .logFile(dir.resolve("s3proxy.log"))
                .build();
        server.start();
        server.awaitPort(port, START_TIMEOUT);
        S3Server s3 = new ChildJvmS3Server(server, port, "http://127.0.0.1:" + port, accessKey, secretKey, buckets);
        LOG.info("S3 server ready at {}, buckets in {}", s3.endpoint(), buckets);
        return s3;
    }

    private static String randomHex(int bytes) {
        byte[] value = new byte[bytes];
        new SecureRandom().nextBytes(value);
        return HexFormat.of().formatHex(value);
    }

    private record ChildJvmS3Server(ChildJvm server, int port, String endpoint, String accessKey, String secretKey,
                                    Path buckets) implements S3Server {
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
        public Path createBucket(String bucket) {
            if (!BUCKET_NAME.matcher(bucket).matches()) {
                throw new IllegalArgumentException("invalid S3 bucket name '" + bucket
                        + "': use 3-63 lower-case letters, digits, dots or hyphens");
            }
            try {
                return Files.createDirectories(buckets.resolve(bucket));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create bucket " + bucket, e);
            }
        }

        @Override
        public void close() {
            server.stop();
        }
    }
}
