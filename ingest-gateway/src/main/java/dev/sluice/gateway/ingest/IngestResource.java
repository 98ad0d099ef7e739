package dev.sluice.gateway.ingest;

import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.metrics.RequestClock;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.vertx.http.runtime.VertxInputStream;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.RestPath;

/**
 * {@code POST /v1/logs/{source}}: see {@link IngestService} for the semantics and docs/gateway.md for the
 * contract. Accepts any content type so that a wrong one gets our JSON 415, not the framework's.
 */
@Path(IngestResource.PATH)
public class IngestResource {
    static final String PATH = "/v1/logs";
    static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final Pattern CLIENT_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    /** Longest wait for the next part of a streamed body. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final boolean BODY_IN_MEMORY = true;
    private static final boolean STREAMED = false;

    private final IngestService service;
    private final int eventLoopMaxBodyBytes;
    private final long bodyReadTimeoutMillis;

    public IngestResource(IngestService service, GatewayConfig config) {
        this.service = service;
        this.eventLoopMaxBodyBytes = config.limits().eventLoopMaxBodyBytes();
        this.bodyReadTimeoutMillis = READ_TIMEOUT.toMillis();
    }

    /**
     * Runs on the event loop and takes no body parameter, so that the REST layer leaves the body to it:
     * <ul>
     *   <li>a small body ({@code Content-Length} up to {@code limits.event-loop-max-body-bytes}, not gzip)
     *       is read in full as it arrives and the request is handled right there, on the event loop: no
     *       hand-off to a worker thread and back, which for a single record cost more than the rest of the
     *       request (bench/gateway (c));</li>
     *   <li>any other body is read as a blocking stream on a worker thread, record by record, so that
     *       the body is never held whole (bounded memory for bodies of up to {@code max-request-bytes}).</li>
     * </ul>
     * The wait for Kafka's acks blocks no thread either way: the returned stage completes on a Kafka callback.
     */
    @POST
    @Path("/{source}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> ingest(@RestPath String source, HttpHeaders headers, RoutingContext routing) {
        RequestClock found = routing.get(RequestClock.CONTEXT_KEY);
        RequestClock clock = found != null ? found : RequestClock.startingNow();
        String clientId = headers.getHeaderString(REQUEST_ID_HEADER);
        String requestId = clientId != null && CLIENT_REQUEST_ID.matcher(clientId).matches()
                ? clientId : randomRequestId();
        long length = headers.getLength();
        String encoding = headers.getHeaderString(HttpHeaders.CONTENT_ENCODING);
        CompletionStage<IngestAnswer> answer;
        if (length >= 0 && length <= eventLoopMaxBodyBytes && encoding == null) {
            // The REST layer paused the request; its body arrives once resumed (after a 100 Continue if the
            // client waits for one, as the streamed path's input stream would send it).
            HttpServerRequest http = routing.request();
            Future<Buffer> read = http.body();
            if ("100-continue".equalsIgnoreCase(http.getHeader(HttpHeaderNames.EXPECT))) {
                routing.response().writeContinue();
            }
            http.resume();
            answer = read.toCompletionStage().handle((body, failure) -> {
                clock.handling();
                InputStream in = failure == null ? new ByteArrayInputStream(body.getBytes()) : failing(failure);
                return service.ingest(source, request(headers, requestId, in, BODY_IN_MEMORY, clock));
            }).thenCompose(stage -> stage);
        } else {
            answer = routing.vertx().<CompletionStage<IngestAnswer>>executeBlocking(() -> {
                clock.handling();
                InputStream in = new VertxInputStream(routing, bodyReadTimeoutMillis);
                return service.ingest(source, request(headers, requestId, in, STREAMED, clock));
            }, false).toCompletionStage().thenCompose(stage -> stage);
        }
        return answer.thenApply(a -> {
            Response.ResponseBuilder response = Response.status(a.status())
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .header(REQUEST_ID_HEADER, requestId)
                    .entity(a.body());
            if (a.retryAfterSeconds() > 0) {
                response.header(HttpHeaders.RETRY_AFTER, a.retryAfterSeconds());
            }
            if (a.status() == 401) {
                response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            }
            return response.build();
        });
    }

    private static IngestRequest request(HttpHeaders headers, String requestId, InputStream body, boolean bodyInMemory,
            RequestClock clock) {
        return new IngestRequest(
                headers.getHeaderString(HttpHeaders.AUTHORIZATION),
                headers.getHeaderString("X-Api-Key"),
                headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                headers.getHeaderString(HttpHeaders.CONTENT_ENCODING),
                headers.getLength(),
                requestId,
                body,
                bodyInMemory,
                clock);
    }

    /** A body whose read failed (the client went away): the service answers it as unreadable. */
    private static InputStream failing(Throwable failure) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException(failure.getMessage(), failure);
            }
        };
    }

    /**
     * A random (version 4) UUID from {@link ThreadLocalRandom}: a request id must be unique, not
     * unpredictable, and {@link UUID#randomUUID()} takes a lock around the system's secure random source
     * on every call, which all request threads would share.
     */
    static String randomRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & ~(0x3L << 62)) | (0x2L << 62);
        return new UUID(most, least).toString();
    }
}
