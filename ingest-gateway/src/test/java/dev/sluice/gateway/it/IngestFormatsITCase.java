package dev.sluice.gateway.it;

import static dev.sluice.gateway.it.Gateway.NDJSON;
import static dev.sluice.gateway.it.Gateway.gzip;
import static dev.sluice.gateway.it.Gateway.post;
import static dev.sluice.gateway.it.Gateway.requestId;
import static dev.sluice.gateway.it.Gateway.utf8;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.sluice.core.record.RecordHeaders;
import dev.sluice.gateway.it.TopicReader.Landed;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every body format, plain and gzip, lands on the source's topic as the client's bytes, with headers. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class IngestFormatsITCase {

    @Test
    void ndjsonLinesBecomeRecordsWithKeyAndHeaders() {
        String id = requestId();
        String body = "{\"user\":\"ann\",\"msg\":\"a\"}\n{\"msg\":\"b\",  \"n\": 1}\r\n\n{\"user\":7,\"msg\":\"c\"}";
        post(id).contentType(NDJSON).body(utf8(body))
                .when().post("/v1/logs/t-json")
                .then().statusCode(200)
                .body("accepted", equalTo(3)).body("rejected", equalTo(0)).body("errors", hasSize(0));

        List<Landed> landed = TopicReader.read("it-json", id);
        assertThat(landed).extracting(Landed::text).containsExactly(
                "{\"user\":\"ann\",\"msg\":\"a\"}", "{\"msg\":\"b\",  \"n\": 1}", "{\"user\":7,\"msg\":\"c\"}");
        assertThat(landed).extracting(Landed::key).containsExactly("t-json:ann", "t-json", "t-json:7");
        Landed first = landed.get(0);
        assertThat(first.header(RecordHeaders.SOURCE)).isEqualTo("t-json");
        assertThat(first.header(RecordHeaders.KIND)).isEqualTo("program");
        assertThat(Long.parseLong(first.header(RecordHeaders.RECEIVED_AT)))
                .isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis());
        assertThat(first.header(RecordHeaders.REQUEST_ID)).isEqualTo(id);
    }

    @Test
    void jsonObjectAndArrayKeepTheirExactBytes() {
        String single = requestId();
        post(single).contentType("application/json").body(utf8("  {\"user\": \"bo\", \"x\": [1, {\"y\": 2}]}\n"))
                .when().post("/v1/logs/t-json")
                .then().statusCode(200).body("accepted", equalTo(1));
        assertThat(TopicReader.read("it-json", single)).extracting(Landed::text)
                .containsExactly("{\"user\": \"bo\", \"x\": [1, {\"y\": 2}]}");

        String array = requestId();
        post(array).contentType("application/json; charset=utf-8")
                .body(utf8("[{\"a\":1} ,\n {\"b\":\"ü\\n\"},{\"c\":{\"d\":[]}}]"))
                .when().post("/v1/logs/t-json")
                .then().statusCode(200).body("accepted", equalTo(3));
        assertThat(TopicReader.read("it-json", array)).extracting(Landed::text)
                .containsExactly("{\"a\":1}", "{\"b\":\"ü\\n\"}", "{\"c\":{\"d\":[]}}");
    }

    @Test
    void textLinesAndOpsLines() {
        String text = requestId();
        String nginx = "127.0.0.1 - - [23/Nov/2026:10:00:01 +0000] \"GET / HTTP/1.1\" 200 612 \"-\" \"curl/8.0\"";
        post(text).contentType("text/plain").body(utf8(nginx + "\n" + nginx + "\n"))
                .when().post("/v1/logs/t-text")
                .then().statusCode(200).body("accepted", equalTo(2));
        assertThat(TopicReader.read("it-text", text)).extracting(Landed::text).containsExactly(nginx, nginx);

        String ops = requestId();
        String line = "2026-11-23 10:00:01 [login] {\"role\":{\"id\":42}}";
        post(ops).contentType("text/plain").body(utf8(line))
                .when().post("/v1/logs/t-ops")
                .then().statusCode(200).body("accepted", equalTo(1));
        List<Landed> landed = TopicReader.read("it-ops", ops);
        assertThat(landed).extracting(Landed::text).containsExactly(line);
        assertThat(landed.get(0).header(RecordHeaders.KIND)).isEqualTo("ops");
    }

    @Test
    void gzipBodiesOfEveryFormat() {
        String ndjson = requestId();
        post(ndjson).contentType(NDJSON).header("Content-Encoding", "gzip")
                .body(gzip(utf8("{\"user\":\"g\"}\n{\"user\":\"h\"}\n")))
                .when().post("/v1/logs/t-json")
                .then().statusCode(200).body("accepted", equalTo(2));
        assertThat(TopicReader.read("it-json", ndjson)).extracting(Landed::text)
                .containsExactly("{\"user\":\"g\"}", "{\"user\":\"h\"}");

        String json = requestId();
        post(json).contentType("application/json").header("Content-Encoding", "gzip")
                .body(gzip(utf8("[{\"z\":1},{\"z\":2}]")))
                .when().post("/v1/logs/t-json")
                .then().statusCode(200).body("accepted", equalTo(2));
        assertThat(TopicReader.read("it-json", json)).extracting(Landed::text).containsExactly("{\"z\":1}", "{\"z\":2}");

        String text = requestId();
        post(text).contentType("text/plain").header("Content-Encoding", "gzip")
                .body(gzip(utf8("one\ntwo\n")))
                .when().post("/v1/logs/t-text")
                .then().statusCode(200).body("accepted", equalTo(2));
        assertThat(TopicReader.read("it-text", text)).extracting(Landed::text).containsExactly("one", "two");
    }

    @Test
    void healthAndMetricsAreExposed() {
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/health/ready").then().statusCode(200).body("checks.name", org.hamcrest.Matchers.hasItem("kafka"));
        post(requestId()).contentType(NDJSON).body(utf8("{\"user\":\"m\"}"))
                .when().post("/v1/logs/t-json").then().statusCode(200);
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .contains("sluice_gateway_records_total{outcome=\"accepted\",source=\"t-json\"}")
                .contains("sluice_gateway_request_seconds_bucket")
                .contains("sluice_gateway_bytes_in_total{source=\"t-json\"}")
                .contains("sluice_gateway_kafka_unavailable_total")
                .contains("sluice_gateway_in_flight_requests")
                .contains("sluice_gateway_in_flight_bytes");
    }
}
