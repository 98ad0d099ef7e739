package dev.sluice.gateway.ingest;

import dev.sluice.gateway.metrics.GatewayMetrics;
import dev.sluice.gateway.metrics.RequestClock;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Starts each ingest request's {@link RequestClock} as soon as Vert.x has its headers, before any
 * hand-off, and records its stages once the answer was written. A route in front of the REST layer, so
 * that the time spent before the resource method runs is measured too.
 */
@Singleton
public class RequestTiming {

    void install(@Observes Router router, GatewayMetrics metrics) {
        router.route(IngestResource.PATH + "/*").order(-1000).handler(context -> {
            RequestClock clock = RequestClock.startingNow();
            context.put(RequestClock.CONTEXT_KEY, clock);
            context.addEndHandler(ended -> metrics.stages(clock));
            context.next();
        });
    }
}
