package dev.sluice.gateway.it;

import static dev.sluice.gateway.it.Gateway.post;
import static dev.sluice.gateway.it.Gateway.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.admission.InFlightBudget;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How small (in-memory) requests are admitted: by the bytes they hold, not by a count. A linger of 2 s
 * keeps every request of a burst waiting for Kafka at the same time, so the burst is what is in flight.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@TestProfile(AdmissionITCase.Profile.class)
class AdmissionITCase {
    /** In-memory requests the byte budget holds at once (their records are ~60 bytes each). */
    static final int IN_MEMORY_CAPACITY = 40;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    // The count bound for streamed requests: far below the bursts below.
                    "sluice.gateway.limits.max-in-flight-requests", "2",
                    "sluice.gateway.limits.max-in-flight-bytes",
                    Long.toString(IN_MEMORY_CAPACITY * InFlightBudget.IN_MEMORY_REQUEST_CHARGE + 4096),
                    "mp.messaging.outgoing.records.linger.ms", "2000",
                    // The producer requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
                    "mp.messaging.outgoing.records.delivery.timeout.ms", "8000",
                    "sluice.gateway.kafka.ack-timeout", "10s");
        }
    }

    @BeforeEach
    void warmUp() {
        // A topic with a recent ack is sent to from the event loop; a cold one takes a worker slot (2 here).
        post(Gateway.requestId()).contentType("application/json").body(utf8("{\"user\":\"warm\"}"))
                .when().post("/v1/logs/t-json").then().statusCode(200);
    }

    @Test
    void aBurstOfSmallRequestsBeyondTheRequestCountIsAcceptedWhileTheByteBudgetHoldsIt() throws Exception {
        String run = "burst-" + UUID.randomUUID();
        List<Response> answers = burst(run, 32);

        assertThat(answers).allSatisfy(a -> {
            assertThat(a.statusCode()).as(a.asString()).isEqualTo(200);
            assertThat(JsonPath.from(a.asString()).getInt("accepted")).isEqualTo(1);
        });
        assertThat(landedCopies(run)).hasSize(32).allSatisfy((id, copies) -> assertThat(copies).isEqualTo(1L));
    }

    @Test
    void aBurstBeyondTheByteBudgetIsPartlyRefusedWithRetryAfterAndStoresExactlyWhatWasAccepted() throws Exception {
        String run = "flood-" + UUID.randomUUID();
        List<Response> answers = burst(run, 3 * IN_MEMORY_CAPACITY);

        List<String> acceptedIds = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < answers.size(); i++) {
            Response a = answers.get(i);
            if (a.statusCode() == 200) {
                acceptedIds.add(run + "-" + i);
            } else {
                assertThat(a.statusCode()).as(a.asString()).isEqualTo(503);
                assertThat(JsonPath.from(a.asString()).getList("errors.code", String.class)).containsExactly("OVERLOADED");
                assertThat(a.header("Retry-After")).isEqualTo("2");
                refused++;
            }
        }
        assertThat(refused).isPositive();
        assertThat(acceptedIds).isNotEmpty();
        // Refused requests produced nothing; accepted ones are stored once each.
        Map<String, Long> copies = landedCopies(run);
        assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(acceptedIds);
        assertThat(copies.values()).containsOnly(1L);
    }

    /** {@code count} single-record posts released at once; their answers in request order. */
    private static List<Response> burst(String run, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> pending = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                String id = run + "-" + i;
                pending.add(pool.submit(() -> {
                    start.await();
                    return post(id).contentType("application/json")
                            .body(utf8("{\"user\":\"burst\",\"id\":\"" + id + "\"}"))
                            .when().post("/v1/logs/t-json");
                }));
            }
            start.countDown();
            List<Response> answers = new ArrayList<>();
            for (Future<Response> answer : pending) {
                answers.add(answer.get(120, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Record id → copies on the topic, for the records of one burst. */
    private static Map<String, Long> landedCopies(String run) {
        return TopicReader.read("it-json", id -> id != null && id.startsWith(run)).stream()
                .collect(Collectors.groupingBy(l -> JsonPath.from(l.text()).getString("id"), Collectors.counting()));
    }
}
