package dev.sluice.job.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Submits a job jar to a running Flink cluster through its REST API, as {@code flink run} and the Web UI
 * do: {@code POST /jars/upload} (multipart), then {@code POST /jars/:jarid/run}. The program's
 * {@code main} then runs inside the JobManager, which builds and starts the job; nothing of the job runs
 * in this process.
 *
 * <p>Also reads any REST resource as JSON ({@link #get}), for status checks.
 */
public final class FlinkRestClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** @param address {@code HOST:PORT} of the JobManager's REST endpoint, or {@code http://HOST:PORT} */
    public FlinkRestClient(String address) {
        String url = address.contains("://") ? address : "http://" + address;
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
    }

    /** The cluster's Web UI / REST address, e.g. {@code http://flink-jobmanager:8081/}. */
    public URI webUrl() {
        return base;
    }

    /** Uploads the jar and returns its id on the cluster (the stored file's name). */
    public String upload(Path jar) throws IOException, InterruptedException {
        String boundary = "sluice-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"jarfile\"; filename=\"" + jar.getFileName() + "\"\r\n"
                + "Content-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        JsonNode answer = send(HttpRequest.newBuilder(base.resolve("jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofFile(jar), HttpRequest.BodyPublishers.ofByteArray(tail))),
                "upload of " + jar);
        String stored = answer.path("filename").asText();
        if (stored.isEmpty()) {
            throw new IOException("upload of " + jar + " to " + base + " answered without a file name: " + answer);
        }
        return Path.of(stored).getFileName().toString();
    }

    /**
     * Runs an uploaded jar's {@code entryClass} with {@code args}; returns the job id.
     *
     * @param savepoint checkpoint or savepoint to restore from, or null
     */
    public String run(String jarId, String entryClass, List<String> args, String savepoint)
            throws IOException, InterruptedException {
        ObjectNode request = JSON.createObjectNode();
        request.put("entryClass", entryClass);
        request.putPOJO("programArgsList", args);
        if (savepoint != null) {
            request.put("savepointPath", savepoint);
        }
        JsonNode answer = send(HttpRequest.newBuilder(base.resolve("jars/" + jarId + "/run"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))), "run of " + jarId);
        String job = answer.path("jobid").asText();
        if (job.isEmpty()) {
            throw new IOException("run of " + jarId + " on " + base + " answered without a job id: " + answer);
        }
        return job;
    }

    /** {@code GET path} (e.g. {@code jobs/<id>/checkpoints}) as JSON. */
    public JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), "GET " + path);
    }

    /** {@code POST path} with a JSON body, e.g. {@code jobs/<id>/stop}. */
    public JsonNode post(String path, Object body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))), "POST " + path);
    }

    private JsonNode send(HttpRequest.Builder request, String what) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            // Flink answers errors as {"errors": [...]}; the first one is the program's exception.
            throw new IOException(what + " on " + base + " failed with HTTP " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
