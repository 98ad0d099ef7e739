package dev.sluice.gateway.it;

import static dev.sluice.gateway.it.Gateway.KEY_ALL;
import static dev.sluice.gateway.it.Gateway.KEY_TEXT_ONLY;
import static dev.sluice.gateway.it.Gateway.NDJSON;
import static dev.sluice.gateway.it.Gateway.post;
import static dev.sluice.gateway.it.Gateway.request;
import static dev.sluice.gateway.it.Gateway.requestId;
import static dev.sluice.gateway.it.Gateway.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The auth matrix, unknown sources and the per-source rate limit. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class AccessITCase {
    private static final byte[] ONE_LINE = utf8("hello\n");

    @Test
    void missingOrUnknownKeyIs401() {
        request().contentType("text/plain").body(ONE_LINE)
                .when().post("/v1/logs/t-text")
                .then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .body("errors[0].code", equalTo("UNAUTHENTICATED"))
                .body("errors[0].index", equalTo(-1))
                .body("errors[0].message", containsString("missing API key"));
        request().header("Authorization", "Bearer not-a-key").contentType("text/plain").body(ONE_LINE)
                .when().post("/v1/logs/t-text")
                .then().statusCode(401).body("errors[0].message", equalTo("unknown API key"));
        request().header("Authorization", "Basic " + KEY_ALL).contentType("text/plain").body(ONE_LINE)
                .when().post("/v1/logs/t-text")
                .then().statusCode(401);
        request().header("X-Api-Key", "").contentType("text/plain").body(ONE_LINE)
                .when().post("/v1/logs/t-text")
                .then().statusCode(401);
        // Unauthenticated callers learn nothing about which sources exist.
        request().contentType("text/plain").body(ONE_LINE)
                .when().post("/v1/logs/no-such-source")
                .then().statusCode(401);
    }

    @Test
    void keyOfAnotherSourceIs403() {
        request().header("Authorization", "Bearer " + KEY_TEXT_ONLY).contentType(NDJSON).body(utf8("{}"))
                .when().post("/v1/logs/t-json")
                .then().statusCode(403)
                .body("errors[0].code", equalTo("FORBIDDEN"))
                .body("errors[0].message", equalTo("API key 'text-only' is not bound to source t-json"));
    }

    @Test
    void bearerAndXApiKeyBothWork() {
        request().header("Authorization", "bearer " + KEY_TEXT_ONLY).header("X-Request-Id", requestId())
                .contentType("text/plain").body(ONE_LINE)
                .when().post("/v1/logs/t-text")
                .then().statusCode(200).body("accepted", equalTo(1)).header("X-Request-Id", notNullValue());
        request().header("X-Api-Key", KEY_TEXT_ONLY).contentType("text/plain").body(ONE_LINE)
                .when().post("/v1/logs/t-text")
                .then().statusCode(200).body("accepted", equalTo(1));
    }

    @Test
    void unknownSourceIs404WithItsName() {
        post(requestId()).contentType("text/plain").body(ONE_LINE)
                .when().post("/v1/logs/no-such-source")
                .then().statusCode(404)
                .body("errors[0].code", equalTo("UNKNOWN_SOURCE"))
                .body("errors[0].message", equalTo("no source named 'no-such-source' is configured"));
    }

    @Test
    void overTheSourceRateIs429WithRetryAfter() {
        // t-rated admits 5 records/s; a batch of 20 is admitted and leaves the bucket in debt.
        String batch = "{\"n\":1}\n".repeat(20);
        post(requestId()).contentType(NDJSON).body(utf8(batch))
                .when().post("/v1/logs/t-rated")
                .then().statusCode(200).body("accepted", equalTo(20));
        post(requestId()).contentType(NDJSON).body(utf8(batch))
                .when().post("/v1/logs/t-rated")
                .then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("errors[0].code", equalTo("RATE_LIMITED"));
    }

    @Test
    void keysNeverReachTheLog() throws IOException {
        request().header("Authorization", "Bearer " + KEY_ALL).contentType("text/plain").body(ONE_LINE)
                .when().post("/v1/logs/t-text").then().statusCode(200);
        request().header("Authorization", "Bearer wrong-key-abc").contentType("text/plain").body(ONE_LINE)
                .when().post("/v1/logs/t-text").then().statusCode(401);
        String log = Files.readString(Path.of("target/quarkus-test.log"));
        assertThat(log).contains("API key(s) configured")
                .doesNotContain(KEY_ALL).doesNotContain(KEY_TEXT_ONLY).doesNotContain("wrong-key-abc")
                .doesNotContain("31a65195ae16798d1e0d6d435b997168cc1cc4175b7f8a46c1484ed962f7c041");
    }
}
