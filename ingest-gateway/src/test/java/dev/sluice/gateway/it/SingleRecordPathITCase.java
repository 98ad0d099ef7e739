package dev.sluice.gateway.it;

import static dev.sluice.gateway.it.Gateway.post;
import static dev.sluice.gateway.it.Gateway.utf8;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.gateway.it.TopicReader.Landed;
import dev.sluice.gateway.kafka.RecordPublisher;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * The small-request path: single-record posts handled on the event loop and sent without linger, the
 * rule that keeps a send that could block off the event loop, the per-stage timers, and the producer
 * each kind of body goes to.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class SingleRecordPathITCase {
    private static final Pattern STAGE_COUNT =
            Pattern.compile("^sluice_gateway_stage_seconds_count\\{[^}]*stage=\"(\\w+)\"[^}]*} (\\S+)$", Pattern.MULTILINE);
    private static final Pattern STAGE_SUM =
            Pattern.compile("^sluice_gateway_stage_seconds_sum\\{[^}]*stage=\"(\\w+)\"[^}]*} (\\S+)$", Pattern.MULTILINE);

    /** Records each producer sent, by client id (the connector names it after the channel). */
    private static final Pattern RECORDS_SENT =
            Pattern.compile("^kafka_producer_record_send_total\\{[^}]*client_id=\"([\\w-]+)\"[^}]*} (\\S+)$", Pattern.MULTILINE);
    private static final String SMALL_PRODUCER = "kafka-producer-records";
    private static final String STREAMED_PRODUCER = "kafka-producer-records-streamed";

    @Inject
    RecordPublisher publisher;

    @TestHTTPResource
    URL url;

    @Test
    void concurrentSingleRecordPostsAreEachStoredOnceAndAnsweredAfterTheirAck() throws Exception {
        String run = "single-" + UUID.randomUUID();
        int clients = 32;
        int postsEach = 15;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<List<Integer>>> results = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            results.add(pool.submit(() -> {
                List<Integer> statuses = new ArrayList<>();
                for (int i = 0; i < postsEach; i++) {
                    String id = run + "-" + client + "-" + i;
                    String answer = post(id).contentType("application/json")
                            .body(utf8("{\"user\":\"u" + client + "\",\"id\":\"" + id + "\"}"))
                            .when().post("/v1/logs/t-json").then().extract().asString();
                    statuses.add(JsonPath.from(answer).getInt("accepted"));
                }
                return statuses;
            }));
        }
        List<Integer> accepted = new ArrayList<>();
        for (Future<List<Integer>> result : results) {
            accepted.addAll(result.get(120, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertThat(accepted).hasSize(clients * postsEach).containsOnly(1);

        List<Landed> landed = TopicReader.read("it-json", id -> id != null && id.startsWith(run));
        Map<String, Long> copies = landed.stream().collect(Collectors.groupingBy(
                l -> JsonPath.from(l.text()).getString("id"), Collectors.counting()));
        assertThat(copies).hasSize(clients * postsEach);
        assertThat(copies.values()).containsOnly(1L);
        // The key field still makes the key: validation ran on this path too.
        assertThat(landed).allSatisfy(l -> assertThat(l.key()).startsWith("t-json:u"));
    }

    @Test
    void onlyTopicsWithARecentAckAndBufferRoomAreSentToWithoutWaiting() {
        String topic = "it-cold-" + UUID.randomUUID();
        // Never sent to: the producer has no metadata, a send would wait for it.
        assertThat(publisher.sendsWithoutWaiting(topic, 100)).isFalse();

        AtomicInteger acked = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        assertThat(publisher.send(RecordPublisher.Lane.SMALL, topic, "k", utf8("{}"), new RecordHeaders(), acked::incrementAndGet,
                e -> failed.incrementAndGet())).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> acked.get() + failed.get() == 1);
        assertThat(acked.get()).isEqualTo(1);

        assertThat(publisher.sendsWithoutWaiting(topic, 100)).isTrue();
        // More than the producer's buffer could take without waiting for room.
        assertThat(publisher.sendsWithoutWaiting(topic, 1L << 40)).isFalse();
        assertThat(publisher.sendsWithoutWaiting("it-cold-" + UUID.randomUUID(), 100)).isFalse();
    }

    @Test
    void firstRecordsToATopicWithoutMetadataAreStillStored() {
        // An invalid record goes to the DLQ; whether or not the DLQ was warm, the request is answered after the ack.
        String id = Gateway.requestId();
        post(id).contentType("application/json").body(utf8("[{\"ok\":1},{\"broken\"}]"))
                .when().post("/v1/logs/t-json").then().statusCode(400);
        String okId = Gateway.requestId();
        post(okId).contentType("application/json").body(utf8("[{\"ok\":1},[2]]"))
                .when().post("/v1/logs/t-json").then().statusCode(200);
        assertThat(TopicReader.read("sluice-dlq", okId)).extracting(Landed::text).containsExactly("[2]");
        assertThat(TopicReader.read("it-json", okId)).extracting(Landed::text).containsExactly("{\"ok\":1}");
    }

    @Test
    void aSmallBodyAfterExpectContinueIsReadAndStored() throws Exception {
        String id = Gateway.requestId();
        HttpRequest request = HttpRequest.newBuilder(url.toURI().resolve("/v1/logs/t-json"))
                .header("Authorization", "Bearer " + Gateway.KEY_ALL)
                .header("X-Request-Id", id)
                .header("Content-Type", "application/json")
                .expectContinue(true)
                // The client sends the body only after the gateway's 100 Continue.
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"continued\"}"))
                .build();
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(TopicReader.read("it-json", id)).extracting(Landed::text).containsExactly("{\"user\":\"continued\"}");
    }

    @Test
    void everyStageOfARequestThatReachedKafkaIsTimed() {
        Map<String, Double> countsBefore = scrape(STAGE_COUNT);
        Map<String, Double> sumsBefore = scrape(STAGE_SUM);
        String id = Gateway.requestId();
        post(id).contentType("application/json").body(utf8("{\"user\":\"timed\"}"))
                .when().post("/v1/logs/t-json").then().statusCode(200);
        // The stages are recorded once the answer was written, just after the client got it.
        await().atMost(Duration.ofSeconds(10)).until(() -> scrape(STAGE_COUNT).getOrDefault("answer", 0.0)
                > countsBefore.getOrDefault("answer", 0.0));
        Map<String, Double> counts = scrape(STAGE_COUNT);
        Map<String, Double> sums = scrape(STAGE_SUM);
        assertThat(counts.keySet()).containsExactlyInAnyOrder(
                "dispatch", "admission", "read", "validate", "send", "kafka", "answer");
        counts.forEach((stage, count) -> assertThat(count).as(stage).isGreaterThan(countsBefore.getOrDefault(stage, 0.0)));
        // Kafka's ack (acks=all, a round trip to the broker) took some time; no stage can be negative.
        assertThat(sums.get("kafka")).isGreaterThan(sumsBefore.getOrDefault("kafka", 0.0));
        sums.forEach((stage, sum) -> assertThat(sum).as(stage).isGreaterThanOrEqualTo(sumsBefore.getOrDefault(stage, 0.0)));
        String metrics = given().when().get("/q/metrics").then().extract().asString();
        // What splits the kafka stage: the producer's own averages, as the bench reads them.
        assertThat(metrics).contains("kafka_producer_record_queue_time_avg{", "kafka_producer_request_latency_avg{",
                "kafka_producer_records_per_request_avg{");
    }

    @Test
    void aStreamedBodyGoesToTheStreamedProducerAndASmallOneToTheSmallProducer() {
        Map<String, Double> before = scrape(RECORDS_SENT);
        String streamedId = Gateway.requestId();
        StringBuilder body = new StringBuilder();
        int records = 200;
        for (int i = 0; i < records; i++) {
            // 200 records of ~120 bytes: above event-loop-max-body-bytes (16 KiB), so the body is streamed.
            body.append("{\"user\":\"s\",\"i\":").append(i).append(",\"pad\":\"").append("p".repeat(90)).append("\"}\n");
        }
        assertThat(body.length()).isGreaterThan(16384);
        post(streamedId).contentType(Gateway.NDJSON).body(utf8(body.toString()))
                .when().post("/v1/logs/t-json").then().statusCode(200);
        assertThat(TopicReader.read("it-json", streamedId)).hasSize(records);
        Map<String, Double> afterStreamed = scrape(RECORDS_SENT);
        assertThat(afterStreamed.get(STREAMED_PRODUCER) - before.getOrDefault(STREAMED_PRODUCER, 0.0)).isEqualTo(records);
        assertThat(afterStreamed.getOrDefault(SMALL_PRODUCER, 0.0)).isEqualTo(before.getOrDefault(SMALL_PRODUCER, 0.0));

        String smallId = Gateway.requestId();
        post(smallId).contentType("application/json").body(utf8("{\"user\":\"small\"}"))
                .when().post("/v1/logs/t-json").then().statusCode(200);
        assertThat(TopicReader.read("it-json", smallId)).hasSize(1);
        Map<String, Double> afterSmall = scrape(RECORDS_SENT);
        assertThat(afterSmall.get(SMALL_PRODUCER) - afterStreamed.getOrDefault(SMALL_PRODUCER, 0.0)).isEqualTo(1.0);
        assertThat(afterSmall.get(STREAMED_PRODUCER)).isEqualTo(afterStreamed.get(STREAMED_PRODUCER));
    }

    private static Map<String, Double> scrape(Pattern pattern) {
        String metrics = given().when().get("/q/metrics").then().extract().asString();
        Map<String, Double> values = new java.util.HashMap<>();
        Matcher m = pattern.matcher(metrics);
        while (m.find()) {
            values.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return values;
    }
}
