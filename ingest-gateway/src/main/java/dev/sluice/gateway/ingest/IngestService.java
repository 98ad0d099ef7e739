package dev.sluice.gateway.ingest;

import dev.sluice.core.record.IngestErrorCode;
import dev.sluice.core.record.RecordHeaders;
import dev.sluice.gateway.admission.InFlightBudget;
import dev.sluice.gateway.admission.RateLimiter;
import dev.sluice.gateway.auth.ApiKeyAuthenticator;
import dev.sluice.gateway.body.BodyException;
import dev.sluice.gateway.body.BodyFormat;
import dev.sluice.gateway.body.BodyReader;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.IngestSource;
import dev.sluice.gateway.config.SourceRegistry;
import dev.sluice.gateway.kafka.RecordPublisher;
import dev.sluice.gateway.kafka.RecordPublisher.Lane;
import dev.sluice.gateway.metrics.GatewayMetrics;
import dev.sluice.gateway.metrics.GatewayMetrics.Outcome;
import dev.sluice.gateway.metrics.RequestClock;
import dev.sluice.gateway.validate.RecordValidator;
import dev.sluice.gateway.validate.Verdict;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.jboss.logging.Logger;

/**
 * One ingest request from key to answer.
 *
 * <p>Work flow: authenticate, resolve the source, check type/encoding/rate/capacity (all before the body
 * is read), stream the body into records while checking each, then produce every record (valid ones to
 * the source's topic, rejected ones to the DLQ) and answer once Kafka resolved them all or the ack
 * timeout passed.
 *
 * <p>Threads: small bodies are handled on the Vert.x event loop (the resource reads them whole first),
 * larger ones on a worker thread reading the body as a stream (see {@link IngestResource}); each kind
 * has its own producer ({@link Lane}). On the event loop nothing may block: the records are handed to the producer
 * right there only when {@link RecordPublisher#sendsWithoutWaiting} rules out a wait, otherwise from a
 * worker. The answer is built back on the request's event loop once Kafka resolved the last record.
 *
 * <p>Beans on this path are {@code @Singleton}, not {@code @ApplicationScoped}: they are used per record
 * and need no lazy creation, so the client proxy of a normal scope would only add an indirection.
 *
 * <p>Semantics: a request-level problem produces nothing. Records are produced only after the whole body
 * was read, so a body that turns out too large or malformed leaves nothing behind. The answer is 2xx only
 * when every valid record was acknowledged (acks=all); otherwise 503 with Retry-After, listing the
 * records that must be considered not stored. A retry after 503 is at-least-once: a record Kafka acked
 * after the deadline is stored twice.
 */
@Singleton
public class IngestService {
    private static final Logger LOG = Logger.getLogger(IngestService.class);

    private final SourceRegistry sources;
    private final ApiKeyAuthenticator authenticator;
    private final InFlightBudget budget;
    private final RecordPublisher publisher;
    private final GatewayMetrics metrics;
    private final long ackTimeoutMillis;
    private final long retryAfterSeconds;
    private final ConcurrentHashMap<String, RecordValidator> validators = new ConcurrentHashMap<>();

    public IngestService(SourceRegistry sources, ApiKeyAuthenticator authenticator, InFlightBudget budget,
            RecordPublisher publisher, GatewayMetrics metrics, GatewayConfig config) {
        this.sources = sources;
        this.authenticator = authenticator;
        this.budget = budget;
        this.publisher = publisher;
        this.metrics = metrics;
        this.ackTimeoutMillis = config.kafka().ackTimeout().toMillis();
        this.retryAfterSeconds = Math.max(1, config.kafka().retryAfter().toSeconds());
    }

    public CompletionStage<IngestAnswer> ingest(String sourceName, IngestRequest request) {
        long startNanos = System.nanoTime();
        Optional<IngestSource> found = sources.find(sourceName);
        String metricSource = found.map(IngestSource::name).orElse(GatewayMetrics.UNKNOWN_SOURCE);
        CompletionStage<IngestAnswer> answer = admit(sourceName, found, request);
        return answer.thenApply(a -> {
            metrics.request(metricSource, a.status(), System.nanoTime() - startNanos);
            return a;
        });
    }

    private CompletionStage<IngestAnswer> admit(String sourceName, Optional<IngestSource> found, IngestRequest request) {
        var principal = authenticator.authenticate(request.authorization(), request.apiKey());
        if (principal.isEmpty()) {
            return refuse(IngestErrorCode.UNAUTHENTICATED, request.authorization() == null && request.apiKey() == null
                    ? "missing API key: send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'"
                    : "unknown API key");
        }
        if (found.isEmpty()) {
            return refuse(IngestErrorCode.UNKNOWN_SOURCE, "no source named '" + clip(sourceName) + "' is configured");
        }
        IngestSource source = found.get();
        if (!principal.get().mayWrite(source.name())) {
            return refuse(IngestErrorCode.FORBIDDEN, "API key '" + principal.get().keyName()
                    + "' is not bound to source " + source.name());
        }
        Optional<BodyFormat> format = BodyFormat.fromContentType(request.contentType());
        if (format.isEmpty() || !format.get().acceptedBy(source.format())) {
            return refuse(IngestErrorCode.UNSUPPORTED_MEDIA_TYPE, "source " + source.name() + " accepts "
                    + Arrays.stream(BodyFormat.values()).filter(f -> f.acceptedBy(source.format()))
                            .map(BodyFormat::mediaType).collect(Collectors.joining(", "))
                    + " (UTF-8), not '" + clip(String.valueOf(request.contentType())) + "'");
        }
        String encoding = request.contentEncoding() == null ? "identity" : request.contentEncoding().trim().toLowerCase();
        boolean gzip = encoding.equals("gzip") || encoding.equals("x-gzip");
        if (!gzip && !encoding.equals("identity") && !encoding.isEmpty()) {
            return refuse(IngestErrorCode.UNSUPPORTED_ENCODING, "Content-Encoding '" + clip(encoding)
                    + "' is not supported: send gzip or no encoding");
        }
        if (!gzip && request.contentLength() > source.maxRequestBytes()) {
            return refuse(IngestErrorCode.REQUEST_TOO_LARGE, "request body of " + request.contentLength()
                    + " bytes is larger than the limit of source " + source.name() + " (" + source.maxRequestBytes() + ")");
        }
        Optional<RateLimiter> limiter = source.rateLimiter();
        if (limiter.isPresent() && !limiter.get().admits()) {
            long wait = limiter.get().secondsUntilAdmitted();
            return CompletableFuture.completedFuture(new IngestAnswer(429, IngestResponse.requestError(
                    IngestErrorCode.RATE_LIMITED.name(), "source " + source.name() + " is over its rate of "
                            + limiter.get().perSecond() + " records/s; retry after " + wait + " s"), wait));
        }
        boolean inMemory = request.bodyInMemory();
        if (!budget.tryStartRequest(inMemory)) {
            return refuse(IngestErrorCode.OVERLOADED, "the gateway is at its limit of "
                    + (inMemory ? "bytes" : "streamed requests") + " in flight; retry after " + retryAfterSeconds + " s");
        }
        request.clock().admitted();
        CompletionStage<IngestAnswer> answer = CompletableFuture.completedFuture(null);
        try {
            answer = readAndProduce(source, format.get(), gzip, request);
            return answer;
        } finally {
            answer.whenComplete((a, e) -> budget.endRequest(inMemory));
        }
    }

    private CompletionStage<IngestAnswer> readAndProduce(IngestSource source, BodyFormat format, boolean gzip,
            IngestRequest request) {
        RecordValidator validator = validators.computeIfAbsent(source.name(), n -> new RecordValidator(source));
        Batch batch = new Batch();
        RequestClock clock = request.clock();
        long bodyBytes;
        try {
            bodyBytes = BodyReader.read(request.body(), gzip, format, source.maxRequestBytes(), source.maxRecordBytes(),
                    validator.jsonFactory(), (index, bytes, fullSize) -> {
                        if (!budget.tryTakeBytes(bytes.length)) {
                            throw new BodyException(IngestErrorCode.OVERLOADED, "the gateway holds as many unacknowledged "
                                    + "bytes as it may; retry after " + retryAfterSeconds + " s");
                        }
                        long checkStart = System.nanoTime();
                        Verdict verdict = validator.check(bytes, bytes.length, fullSize);
                        clock.validated(checkStart);
                        batch.add(index, bytes, verdict);
                    });
        } catch (BodyException e) {
            budget.releaseBytes(batch.bytes);
            return refuse(e.code(), e.getMessage());
        } catch (IOException e) {
            budget.releaseBytes(batch.bytes);
            LOG.debugf("Request %s: body unreadable: %s", request.requestId(), e);
            return refuse(IngestErrorCode.EMPTY_BODY, "the body could not be read to its end: " + clip(e.getMessage()));
        }
        clock.read();
        metrics.bytesIn(source.name(), bodyBytes);
        if (batch.size() == 0) {
            return refuse(IngestErrorCode.EMPTY_BODY, "the body holds no record");
        }
        source.rateLimiter().ifPresent(limiter -> limiter.take(batch.size()));
        PendingRequest pending = new PendingRequest(batch.size());
        Lane lane = request.bodyInMemory() ? Lane.SMALL : Lane.STREAMED;
        Runnable produce = () -> {
            produce(lane, source, batch, request.requestId(), pending);
            clock.sent();
        };
        if (Context.isOnEventLoopThread() && !sendsWithoutWaiting(source, batch)) {
            // A send that may block (no metadata yet, a full buffer) must not hold the event loop. It takes a
            // worker slot like a streamed request: in an outage, sends that each block for max.block.ms would
            // otherwise queue for the worker pool without bound.
            if (!budget.tryTakeWorkerSlot()) {
                budget.releaseBytes(batch.bytes);
                return refuse(IngestErrorCode.OVERLOADED, "the gateway is at its limit of requests waiting for "
                        + "Kafka on worker threads; retry after " + retryAfterSeconds + " s");
            }
            Vertx.currentContext().executeBlocking(() -> {
                try {
                    produce.run();
                } finally {
                    budget.releaseWorkerSlot();
                }
                return null;
            }, false);
        } else {
            produce.run();
        }
        // The bytes stay taken until Kafka resolved every record, even if the answer leaves earlier.
        long held = batch.bytes;
        pending.resolved().thenRun(() -> budget.releaseBytes(held));
        // The last ack arrives on the producer's network thread, which serves every request: the answer is
        // built and written on the request's own event loop instead, where its write has to go anyway.
        Context requestContext = Vertx.currentContext();
        Executor answerThread = requestContext == null ? Runnable::run : task -> requestContext.runOnContext(v -> task.run());
        return pending.resolved().copy()
                .completeOnTimeout(null, ackTimeoutMillis, TimeUnit.MILLISECONDS)
                .thenApplyAsync(done -> {
                    clock.resolved();
                    return summarize(source, batch, pending);
                }, answerThread);
    }

    private boolean sendsWithoutWaiting(IngestSource source, Batch batch) {
        return (batch.valid == 0 || publisher.sendsWithoutWaiting(source.topic(), batch.bytes))
                && (batch.valid == batch.size() || publisher.sendsWithoutWaiting(sources.dlqTopic(), batch.bytes));
    }

    private void produce(Lane lane, IngestSource source, Batch batch, String requestId, PendingRequest pending) {
        Header[] requestHeaders = {
            header(RecordHeaders.SOURCE, source.name()),
            header(RecordHeaders.KIND, source.kind().wireName()),
            header(RecordHeaders.RECEIVED_AT, Long.toString(System.currentTimeMillis())),
            header(RecordHeaders.REQUEST_ID, requestId)};
        // A ProducerRecord copies the headers it is given, so the valid records of a request share one
        // instance; each DLQ record gets its own, with its reason added.
        Headers validHeaders = new org.apache.kafka.common.header.internals.RecordHeaders(requestHeaders);
        // Topics the producer refused outright in this request (no metadata, no buffer space): each further
        // send to them would block a worker for max.block.ms again, so their remaining records fail at once.
        Set<String> refusedTopics = new HashSet<>(2);
        for (int slot = 0; slot < batch.size(); slot++) {
            int s = slot;
            byte[] value = batch.values.get(slot);
            Verdict verdict = batch.verdicts.get(slot);
            String topic;
            String key = source.name();
            Headers headers;
            if (verdict instanceof Verdict.Valid valid) {
                topic = source.topic();
                headers = validHeaders;
                if (valid.keyValue() != null) {
                    key = source.name() + ":" + valid.keyValue();
                }
            } else {
                Verdict.Rejected rejected = (Verdict.Rejected) verdict;
                topic = sources.dlqTopic();
                headers = new org.apache.kafka.common.header.internals.RecordHeaders(requestHeaders);
                headers.add(header(RecordHeaders.ERROR_CODE, rejected.code().name()));
                headers.add(header(RecordHeaders.ERROR_MESSAGE, rejected.message()));
            }
            if (refusedTopics.contains(topic)) {
                pending.fail(s);
            } else if (!publisher.send(lane, topic, key, value, headers, () -> pending.ack(s), failure -> pending.fail(s))) {
                refusedTopics.add(topic);
            }
        }
    }

    private IngestAnswer summarize(IngestSource source, Batch batch, PendingRequest pending) {
        long accepted = 0;
        long rejected = 0;
        long dlq = 0;
        long unacknowledged = 0;
        boolean allTooLarge = true;
        List<IngestResponse.RecordError> errors = new ArrayList<>();
        for (int slot = 0; slot < batch.size(); slot++) {
            boolean acked = pending.state(slot) == PendingRequest.ACKED;
            int index = batch.indexes.get(slot);
            if (batch.verdicts.get(slot) instanceof Verdict.Rejected r) {
                rejected++;
                dlq += acked ? 1 : 0;
                allTooLarge &= r.code() == IngestErrorCode.RECORD_TOO_LARGE;
                errors.add(new IngestResponse.RecordError(index, r.code().name(), r.message()));
            } else if (acked) {
                accepted++;
            } else {
                unacknowledged++;
                errors.add(new IngestResponse.RecordError(index, IngestErrorCode.KAFKA_UNAVAILABLE.name(),
                        "not acknowledged by Kafka within " + ackTimeoutMillis + " ms: consider it not stored"));
            }
        }
        metrics.records(source.name(), Outcome.ACCEPTED, accepted);
        metrics.records(source.name(), Outcome.REJECTED, rejected);
        metrics.records(source.name(), Outcome.DLQ, dlq);
        metrics.records(source.name(), Outcome.UNACKNOWLEDGED, unacknowledged);
        IngestResponse body = new IngestResponse(accepted, rejected, errors);
        if (unacknowledged > 0) {
            metrics.kafkaUnavailable();
            return new IngestAnswer(503, body, retryAfterSeconds);
        }
        if (accepted == 0) {
            return new IngestAnswer(allTooLarge ? 413 : 400, body, 0);
        }
        return new IngestAnswer(200, body, 0);
    }

    private CompletionStage<IngestAnswer> refuse(IngestErrorCode code, String message) {
        return CompletableFuture.completedFuture(new IngestAnswer(code.httpStatus(),
                IngestResponse.requestError(code.name(), message), code.retryable() ? retryAfterSeconds : 0));
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String clip(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }

    /** The records of one request in body order, with their verdicts. */
    private static final class Batch {
        final List<Integer> indexes = new ArrayList<>();
        final List<byte[]> values = new ArrayList<>();
        final List<Verdict> verdicts = new ArrayList<>();
        long bytes;
        int valid;

        void add(int index, byte[] value, Verdict verdict) {
            indexes.add(index);
            values.add(value);
            verdicts.add(verdict);
            bytes += value.length;
            valid += verdict instanceof Verdict.Valid ? 1 : 0;
        }

        int size() {
            return values.size();
        }
    }
}
