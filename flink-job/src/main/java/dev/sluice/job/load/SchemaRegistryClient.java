package dev.sluice.job.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * The two calls of the Confluent Schema Registry REST API the Kafka sink needs, over {@link HttpClient}
 * (Confluent's client jars are not on the build's Maven mirror); any Confluent-compatible registry
 * answers them (Confluent's, Apicurio's {@code /apis/ccompat/v7}, Karapace, Redpanda).
 *
 * <ul>
 *   <li>{@link #register}: {@code POST /subjects/{subject}/versions} with {@code {"schema": "<Avro JSON>"}}
 *   returns the schema's global id; registering a schema the subject already has returns its id again.</li>
 *   <li>{@link #schema}: {@code GET /schemas/ids/{id}}, what a consumer does to decode a value.</li>
 * </ul>
 *
 * <p>Failure semantics: any answer but 200 throws {@link SchemaRegistryException} with the status, the
 * registry's {@code error_code} and message; 409 (incompatible with the subject's earlier versions under
 * its compatibility rule) and 422 (an invalid schema) are flagged by {@link SchemaRegistryException#refused()}.
 */
public final class SchemaRegistryClient {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http;

    /** @param baseUrl e.g. {@code http://registry:8081} or {@code http://apicurio:8080/apis/ccompat/v7} */
    public SchemaRegistryClient(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    /** Registers {@code schema} under {@code subject} (a no-op if it is already there) and returns its id. */
    public int register(String subject, Schema schema) {
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("schema", schema.toString()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        JsonNode answer = call(HttpRequest.newBuilder(uri("/subjects/" + encode(subject) + "/versions"))
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body)), "register a schema under subject " + subject);
        if (!answer.path("id").canConvertToInt()) {
            throw new SchemaRegistryException(200, -1, "no schema id in the answer " + answer, false);
        }
        return answer.get("id").intValue();
    }

    /** The schema registered with {@code id}. */
    public Schema schema(int id) {
        JsonNode answer = call(HttpRequest.newBuilder(uri("/schemas/ids/" + id)).GET(), "fetch schema id " + id);
        if (!answer.path("schema").isTextual()) {
            throw new SchemaRegistryException(200, -1, "no schema in the answer " + answer, false);
        }
        return new Schema.Parser().parse(answer.get("schema").textValue());
    }

    public String baseUrl() {
        return baseUrl;
    }

    private JsonNode call(HttpRequest.Builder request, String what) {
        HttpResponse<String> response;
        try {
            response = http.send(request.header("Accept", CONTENT_TYPE + ", application/json").timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SchemaRegistryException(-1, -1, "cannot " + what + " at " + baseUrl + ": " + e, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(-1, -1, "interrupted while trying to " + what, false);
        }
        JsonNode answer = parse(response.body());
        if (response.statusCode() != 200) {
            int status = response.statusCode();
            String message = answer.path("message").isTextual() ? answer.get("message").textValue() : response.body();
            throw new SchemaRegistryException(status, answer.path("error_code").asInt(-1),
                    "registry " + baseUrl + " answered " + status + " to " + what + ": " + message,
                    status == 409 || status == 422);
        }
        return answer;
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A registry call that failed; {@link #status()} is -1 when no answer came. */
    public static final class SchemaRegistryException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final int status;
        private final int errorCode;
        private final boolean refused;

        SchemaRegistryException(int status, int errorCode, String message, boolean refused) {
            super(message);
            this.status = status;
            this.errorCode = errorCode;
            this.refused = refused;
        }

        /** HTTP status, or -1 when the registry did not answer. */
        public int status() {
            return status;
        }

        /** The registry's {@code error_code} (e.g. 409, 42201), or -1. */
        public int errorCode() {
            return errorCode;
        }

        /** The registry refused the schema: incompatible (409) or invalid (422). */
        public boolean refused() {
            return refused;
        }
    }
}
