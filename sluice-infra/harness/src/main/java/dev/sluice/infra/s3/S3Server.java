package dev.sluice.infra.s3;

import java.nio.file.Path;

/**
 * A running S3 API server on 127.0.0.1 (path-style addressing, plain HTTP, region {@code us-east-1}).
 * Clients sign with {@link #accessKey()}/{@link #secretKey()} (AWS signature v2 or v4).
 */
public interface S3Server extends AutoCloseable {

    /** {@code http://127.0.0.1:PORT}, for {@code fs.s3a.endpoint}. */
    String endpoint();

    String accessKey();

    String secretKey();

    /** Creates the bucket if absent (a directory under the server's storage) and returns its local directory. */
    Path createBucket(String bucket);

    /** Takes the endpoint down, keeping its address and objects: clients get connection refused. */
    void stop();

    /** Starts it again after {@link #stop()}, on the same address, and returns once it accepts clients. */
    void start();

    /** Stops the server; stored objects stay on disk. Idempotent. */
    @Override
    void close();
}
