package dev.sluice.job.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.infra.process.Ports;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registry client's requests and its handling of answers, against an HTTP endpoint that records what it
 * receives and replies with the registry API's documented bodies. Whether a real registry accepts these
 * requests is {@code KafkaSinkITCase}'s question (Apicurio's Confluent-compatible API).
 */
class SchemaRegistryClientTest {
    private static final Schema SCHEMA = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"orders\",\"namespace\":\"shop\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private volatile int status;
    private volatile String answer;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void registersTheSchemaAsAJsonStringUnderTheSubjectAndReturnsItsId() throws Exception {
        reply(200, "{\"id\":42}");

        int id = client().register("rt-orders-value", SCHEMA);

        assertThat(id).isEqualTo(42);
        assertThat(requests).singleElement().satisfies(r -> {
            assertThat(r).startsWith("POST /ccompat/subjects/rt-orders-value/versions application/vnd.schemaregistry.v1+json ");
            String body = r.substring(r.indexOf('{'));
            assertThat(new Schema.Parser().parse(new ObjectMapper().readTree(body).get("schema").textValue()))
                    .isEqualTo(SCHEMA);
        });
    }

    @Test
    void fetchesASchemaById() {
        reply(200, "{\"schema\":" + quoted(SCHEMA.toString()) + "}");

        assertThat(client().schema(7)).isEqualTo(SCHEMA);
        assertThat(requests).singleElement().satisfies(r -> assertThat(r).startsWith("GET /ccompat/schemas/ids/7 "));
    }

    @Test
    void incompatibleAndInvalidSchemasAreRefusalsWithTheRegistrysMessage() {
        reply(409, "{\"error_code\":409,\"message\":\"Schema being registered is incompatible with an earlier schema\"}");
        assertThatThrownBy(() -> client().register("rt-value", SCHEMA))
                .isInstanceOfSatisfying(SchemaRegistryClient.SchemaRegistryException.class, e -> {
                    assertThat(e.refused()).isTrue();
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(409);
                })
                .hasMessageEndingWith("answered 409 to register a schema under subject rt-value: "
                        + "Schema being registered is incompatible with an earlier schema");

        reply(422, "{\"error_code\":42201,\"message\":\"Invalid schema\"}");
        assertThatThrownBy(() -> client().register("rt-value", SCHEMA))
                .isInstanceOfSatisfying(SchemaRegistryClient.SchemaRegistryException.class, e -> {
                    assertThat(e.refused()).isTrue();
                    assertThat(e.errorCode()).isEqualTo(42201);
                });
    }

    @Test
    void otherFailuresAreNotRefusals() {
        reply(500, "upstream unavailable");
        assertThatThrownBy(() -> client().register("rt-value", SCHEMA))
                .isInstanceOfSatisfying(SchemaRegistryClient.SchemaRegistryException.class,
                        e -> assertThat(e.refused()).isFalse())
                .hasMessageEndingWith("answered 500 to register a schema under subject rt-value: upstream unavailable");
        reply(200, "{\"version\":1}");
        assertThatThrownBy(() -> client().register("rt-value", SCHEMA)).hasMessageContaining("no schema id");

        SchemaRegistryClient nobody = new SchemaRegistryClient("http://127.0.0.1:" + Ports.free());
        assertThatThrownBy(() -> nobody.register("rt-value", SCHEMA))
                .isInstanceOfSatisfying(SchemaRegistryClient.SchemaRegistryException.class,
                        e -> assertThat(e.status()).isEqualTo(-1))
                .hasMessageStartingWith("cannot register a schema under subject rt-value at http://127.0.0.1:");
    }

    private SchemaRegistryClient client() {
        return new SchemaRegistryClient("http://127.0.0.1:" + server.getAddress().getPort() + "/ccompat/");
    }

    private void reply(int status, String body) {
        this.status = status;
        this.answer = body;
    }

    private static String quoted(String text) {
        try {
            return new ObjectMapper().writeValueAsString(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
