package dev.sluice.infra.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Puts and gets an object through the S3 REST API (signature v2, the simplest S3 signing), no SDK. */
class S3ServerITCase {

    @TempDir
    Path dataDir;

    @Test
    void storesObjectsAsFilesOfTheBucketDirectory() throws Exception {
        try (S3Server s3 = S3Servers.start(dataDir)) {
            Path bucket = s3.createBucket("lake");
            HttpClient http = HttpClient.newHttpClient();

            HttpResponse<String> put = http.send(signed(s3, "PUT", "/lake/a/b.txt", "text/plain")
                    .PUT(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> get = http.send(signed(s3, "GET", "/lake/a/b.txt", "").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(s3.endpoint() + "/lake/a/b.txt"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());

            assertThat(put.statusCode()).isEqualTo(200);
            assertThat(get.body()).isEqualTo("hello");
            assertThat(anonymous.statusCode()).isEqualTo(403);
            assertThat(Files.readString(bucket.resolve("a/b.txt"))).isEqualTo("hello");
            assertThatThrownBy(() -> s3.createBucket("Bad_Name"))
                    .hasMessageContaining("invalid S3 bucket name 'Bad_Name'");
        }
    }

    private static HttpRequest.Builder signed(S3Server s3, String method, String path, String contentType)
            throws Exception {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
        // x-amz-date instead of Date, which HttpClient does not let us set.
        String toSign = method + "\n\n" + contentType + "\n\nx-amz-date:" + date + "\n" + path;
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(s3.secretKey().getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String signature = Base64.getEncoder().encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(s3.endpoint() + path))
                .header("x-amz-date", date)
                .header("Authorization", "AWS " + s3.accessKey() + ":" + signature);
        return contentType.isEmpty() ? request : request.header("Content-Type", contentType);
    }
}
