package dev.sluice.gateway.it;

import static dev.sluice.gateway.it.Gateway.NDJSON;
import static dev.sluice.gateway.it.Gateway.post;
import static dev.sluice.gateway.it.Gateway.requestId;
import static dev.sluice.gateway.it.Gateway.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.sluice.core.record.RecordHeaders;
import dev.sluice.gateway.it.TopicReader.Landed;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Invalid records of a batch go to the DLQ with their reason; the valid ones still land. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class DlqITCase {

    @Test
    void mixedJsonBatchSplitsBetweenTopicAndDlq() {
        String id = requestId();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(utf8("{\"user\":\"ok-0\"}\n"));
        body.writeBytes(utf8("{\"user\": broken\n"));
        body.writeBytes(new byte[] {'{', '"', 'u', '"', ':', '"', (byte) 0xC3, '"', '}', '\n'});
        body.writeBytes(utf8("\n"));
        body.writeBytes(utf8("{\"user\":\"ok-4\"}\n"));
        body.writeBytes(utf8("[\"not\",\"an\",\"object\"]\n"));
        body.writeBytes(utf8("{\"nul\":\"a\u0000\"}\n"));

        post(id).contentType(NDJSON).body(body.toByteArray())
                .when().post("/v1/logs/t-json")
                .then().statusCode(200)
                .body("accepted", equalTo(2))
                .body("rejected", equalTo(4))
                .body("errors.index", contains(1, 2, 5, 6))
                .body("errors.code", contains("INVALID_JSON", "INVALID_UTF8", "INVALID_JSON", "NUL_BYTE"));

        assertThat(TopicReader.read("it-json", id)).extracting(Landed::text)
                .containsExactly("{\"user\":\"ok-0\"}", "{\"user\":\"ok-4\"}");

        List<Landed> dlq = TopicReader.read("sluice-dlq", id);
        assertThat(dlq).extracting(d -> d.header(RecordHeaders.ERROR_CODE))
                .containsExactly("INVALID_JSON", "INVALID_UTF8", "INVALID_JSON", "NUL_BYTE");
        assertThat(dlq.get(0).text()).isEqualTo("{\"user\": broken");
        assertThat(dlq.get(0).header(RecordHeaders.ERROR_MESSAGE)).contains("Unrecognized token 'broken'");
        assertThat(dlq.get(1).value()).isEqualTo(new byte[] {'{', '"', 'u', '"', ':', '"', (byte) 0xC3, '"', '}'});
        assertThat(dlq.get(1).header(RecordHeaders.ERROR_MESSAGE)).isEqualTo("invalid UTF-8 at byte 6");
        assertThat(dlq.get(2).header(RecordHeaders.ERROR_MESSAGE)).isEqualTo("expected a JSON object, found an array");
        assertThat(dlq).allSatisfy(d -> {
            assertThat(d.key()).isEqualTo("t-json");
            assertThat(d.header(RecordHeaders.SOURCE)).isEqualTo("t-json");
            assertThat(d.header(RecordHeaders.KIND)).isEqualTo("program");
            assertThat(d.header(RecordHeaders.RECEIVED_AT)).isNotBlank();
        });
    }

    @Test
    void allInvalidBatchIs400ButStillReachesTheDlq() {
        String id = requestId();
        post(id).contentType("text/plain").body(utf8("no header here\n2026-11-23 10:00:01 [login] {oops}\n"))
                .when().post("/v1/logs/t-ops")
                .then().statusCode(400)
                .body("accepted", equalTo(0))
                .body("rejected", equalTo(2))
                .body("errors.code", contains("HEADER_MISMATCH", "INVALID_JSON"));
        List<Landed> dlq = TopicReader.read("sluice-dlq", id);
        assertThat(dlq).extracting(Landed::text)
                .containsExactly("no header here", "2026-11-23 10:00:01 [login] {oops}");
        assertThat(dlq).extracting(d -> d.header(RecordHeaders.KIND)).containsOnly("ops");
    }

    @Test
    void oversizeRecordReachesTheDlqTruncated() {
        String id = requestId();
        String big = "z".repeat(5000);
        post(id).contentType("text/plain").body(utf8("small\n" + big + "\n"))
                .when().post("/v1/logs/t-text")
                .then().statusCode(200)
                .body("accepted", equalTo(1))
                .body("errors[0].code", equalTo("RECORD_TOO_LARGE"))
                .body("errors[0].message", equalTo("record is 5000 bytes, the limit of source t-text is 1024"));
        List<Landed> dlq = TopicReader.read("sluice-dlq", id);
        assertThat(dlq).hasSize(1);
        assertThat(dlq.get(0).value().length).isEqualTo(1025);
        assertThat(Arrays.equals(dlq.get(0).value(), utf8(big.substring(0, 1025)))).isTrue();
    }
}
