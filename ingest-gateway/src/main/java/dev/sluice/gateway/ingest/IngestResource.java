package dev.sluice.gateway.ingest;

import dev.sluice.gateway.metrics.RequestClock;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
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

    private final IngestService service;

    public IngestResource(IngestService service) {
        this.service = service;
    }

    /**
     * Blocking because the body is read as a stream on a worker thread; the wait for Kafka's acks is not
     * blocking (the returned stage completes on a Kafka callback), so workers only parse.
     */
    @POST
    @Path("/{source}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    public CompletionStage<Response> ingest(@RestPath String source, HttpHeaders headers, InputStream body,
            RoutingContext routing) {
        RequestClock clock = routing.get(RequestClock.CONTEXT_KEY);
        if (clock == null) {
            clock = RequestClock.startingNow();
        }
        clock.handling();
        String clientId = headers.getHeaderString(REQUEST_ID_HEADER);
        String requestId = clientId != null && CLIENT_REQUEST_ID.matcher(clientId).matches()
                ? clientId : UUID.randomUUID().toString();
        IngestRequest request = new IngestRequest(
                headers.getHeaderString(HttpHeaders.AUTHORIZATION),
                headers.getHeaderString("X-Api-Key"),
                headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                headers.getHeaderString(HttpHeaders.CONTENT_ENCODING),
                headers.getLength(),
                requestId,
                body,
                clock);
        return service.ingest(source, request).thenApply(answer -> {
            Response.ResponseBuilder response = Response.status(answer.status())
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .header(REQUEST_ID_HEADER, requestId)
                    .entity(answer.body());
            if (answer.retryAfterSeconds() > 0) {
                response.header(HttpHeaders.RETRY_AFTER, answer.retryAfterSeconds());
            }
            if (answer.status() == 401) {
                response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            }
            return response.build();
        });
    }
}
