package dev.sluice.job.load;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hadoop file system settings of the lake, e.g. the S3 endpoint and keys for {@code s3a://} paths.
 * Passed to Hudi as {@code hadoop.*} table options, so writers and readers use the same storage.
 *
 * <p>Usage:
 * <pre>{@code
 * LakeStorage storage = LakeStorage.s3("http://127.0.0.1:9000", accessKey, secretKey);
 * HudiSink.builder()...basePath("s3a://lake/app/events").storage(storage).build();
 * }</pre>
 */
public record LakeStorage(Map<String, String> hadoopOptions) implements Serializable {
    /** Local file system / cluster defaults: no extra settings. */
    public static final LakeStorage DEFAULT = new LakeStorage(Map.of());

    public LakeStorage {
        hadoopOptions = Map.copyOf(hadoopOptions);
    }

    /**
     * An S3-compatible store (MinIO, S3Proxy, AWS) at {@code endpoint}: path-style requests, which
     * MinIO and S3Proxy need; plain HTTP when the endpoint says {@code http://}.
     */
    public static LakeStorage s3(String endpoint, String accessKey, String secretKey) {
        Map<String, String> options = new TreeMap<>();
        options.put("fs.s3a.endpoint", endpoint);
        options.put("fs.s3a.endpoint.region", "us-east-1");
        options.put("fs.s3a.path.style.access", "true");
        options.put("fs.s3a.connection.ssl.enabled", String.valueOf(endpoint.startsWith("https://")));
        options.put("fs.s3a.access.key", accessKey);
        options.put("fs.s3a.secret.key", secretKey);
        options.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        // Hadoop's static FileSystem cache would hand a later job the S3A client an earlier job created,
        // bound to that job's (by then closed) user-code class loader.
        options.put("fs.s3a.impl.disable.cache", "true");
        return new LakeStorage(options);
    }
}
