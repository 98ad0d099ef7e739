package dev.sluice.gateway.it;

import static dev.sluice.gateway.it.Gateway.NDJSON;
import static dev.sluice.gateway.it.Gateway.gzip;
import static dev.sluice.gateway.it.Gateway.post;
import static dev.sluice.gateway.it.Gateway.requestId;
import static dev.sluice.gateway.it.Gateway.utf8;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The malformed-input corpus: each input gets its 4xx and code, and the gateway stays healthy and keeps
 * accepting good data afterwards. Index -1 means the request was refused as a whole.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class MalformedInputITCase {

    record Case(String name, String source, String contentType, String encoding, byte[] body, int status,
            String code, int index) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> corpus() {
        byte[] random = new byte[4096];
        new Random(42).nextBytes(random);
        for (int i = 0; i < random.length; i++) {
            // One line, so that the first problem is at index 0.
            random[i] = random[i] == '\n' ? (byte) 0xFF : random[i];
        }
        String deepArray = "[".repeat(10_000) + "]".repeat(10_000);
        String deepObject = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
        String hugeRequest = ("x".repeat(99) + "\n").repeat(700);
        return Stream.of(
                new Case("truncated JSON document", "t-json", "application/json", null,
                        utf8("[{\"a\":1},{\"b\":"), 400, "INVALID_JSON", -1),
                new Case("truncated NDJSON line", "t-json", NDJSON, null, utf8("{\"a\":\"unterminated"), 400, "INVALID_JSON", 0),
                new Case("JSON document that is a scalar", "t-json", "application/json", null, utf8("42"), 400, "INVALID_JSON", -1),
                new Case("JSON array of non-objects", "t-json", "application/json", null, utf8("[1, \"x\"]"), 400, "INVALID_JSON", 0),
                new Case("invalid UTF-8 in a text line", "t-text", "text/plain", null,
                        new byte[] {'c', 'a', 'f', (byte) 0xC3, '(', '\n'}, 400, "INVALID_UTF8", 0),
                new Case("invalid UTF-8 in a JSON document", "t-json", "application/json", null,
                        new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}'}, 400, "INVALID_JSON", -1),
                new Case("10,000-level nested array document", "t-json", "application/json", null,
                        utf8(deepArray), 400, "INVALID_JSON", -1),
                new Case("10,000-level nested object document", "t-json", "application/json", null,
                        utf8(deepObject), 400, "INVALID_JSON", -1),
                new Case("10,000-level nesting in an NDJSON line", "t-json", NDJSON, null, utf8(deepObject), 400, "INVALID_JSON", 0),
                new Case("oversize record", "t-text", "text/plain", null, utf8("y".repeat(2000)), 413, "RECORD_TOO_LARGE", 0),
                new Case("oversize request", "t-text", "text/plain", null, utf8(hugeRequest), 413, "REQUEST_TOO_LARGE", -1),
                new Case("gzip bomb past the request limit", "t-text", "text/plain", "gzip",
                        gzip(utf8(hugeRequest.repeat(20))), 413, "REQUEST_TOO_LARGE", -1),
                new Case("corrupt gzip", "t-text", "text/plain", "gzip", utf8("this is not gzip"), 400, "INVALID_GZIP", -1),
                new Case("unsupported content encoding", "t-text", "text/plain", "br", utf8("a"), 415, "UNSUPPORTED_ENCODING", -1),
                new Case("wrong content type", "t-json", "application/xml", null, utf8("<a/>"), 415, "UNSUPPORTED_MEDIA_TYPE", -1),
                new Case("JSON document to a text source", "t-text", "application/json", null, utf8("{}"), 415,
                        "UNSUPPORTED_MEDIA_TYPE", -1),
                new Case("non-UTF-8 charset", "t-text", "text/plain; charset=ISO-8859-1", null, utf8("a"), 415,
                        "UNSUPPORTED_MEDIA_TYPE", -1),
                new Case("empty body", "t-text", "text/plain", null, new byte[0], 400, "EMPTY_BODY", -1),
                new Case("empty JSON body", "t-json", "application/json", null, new byte[0], 400, "EMPTY_BODY", -1),
                new Case("blank lines only", "t-json", NDJSON, null, utf8("\n  \r\n\n"), 400, "EMPTY_BODY", -1),
                new Case("NUL bytes in a text line", "t-text", "text/plain", null, utf8("a\u0000b"), 400, "NUL_BYTE", 0),
                new Case("NUL byte in an NDJSON line", "t-json", NDJSON, null, utf8("{\"a\":\"\u0000\"}"), 400, "NUL_BYTE", 0),
                new Case("random binary", "t-json", NDJSON, null, random, 400, "INVALID_UTF8", 0),
                new Case("ops line without its header", "t-ops", "text/plain", null, utf8("{\"role\":1}"), 400,
                        "HEADER_MISMATCH", 0),
                new Case("ops line with a broken JSON body", "t-ops", "text/plain", null,
                        utf8("2026-11-23 10:00:01 [login] {\"role\":"), 400, "INVALID_JSON", 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void refusedWithTheRightStatusAndTheGatewayStaysHealthy(Case c) {
        RequestSpecification request = post(requestId()).contentType(c.contentType()).body(c.body());
        if (c.encoding() != null) {
            request.header("Content-Encoding", c.encoding());
        }
        request.when().post("/v1/logs/" + c.source())
                .then().statusCode(c.status())
                .body("accepted", equalTo(0))
                .body("errors[0].code", equalTo(c.code()))
                .body("errors[0].index", equalTo(c.index()));

        given().when().get("/q/health/live").then().statusCode(200);
        post(requestId()).contentType(NDJSON).body(utf8("{\"ok\":true}"))
                .when().post("/v1/logs/t-json")
                .then().statusCode(200).body("accepted", equalTo(1));
    }
}
