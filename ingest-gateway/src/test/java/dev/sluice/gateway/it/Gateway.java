package dev.sluice.gateway.it;

import static io.restassured.RestAssured.given;

import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/** Request fixtures shared by the gateway integration tests. */
public final class Gateway {
    /** Bound to every test source (see the %test profile). */
    public static final String KEY_ALL = "test-key-all";
    /** Bound to t-text only. */
    public static final String KEY_TEXT_ONLY = "test-key-text";
    public static final String NDJSON = "application/x-ndjson";

    private Gateway() {
    }

    /** A request with the all-sources key and a fresh request id. */
    public static RequestSpecification post(String requestId) {
        return request().header("Authorization", "Bearer " + KEY_ALL).header("X-Request-Id", requestId);
    }

    /** Sends the content type exactly as given: rest-assured would otherwise append an ISO-8859-1 charset. */
    public static RequestSpecification request() {
        return given().config(RestAssuredConfig.config().encoderConfig(
                EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)));
    }

    public static String requestId() {
        return "it-" + UUID.randomUUID();
    }

    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
