package dev.sluice.gateway.it;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * A small in-flight byte budget, so that an outage fills it within the test; a profile of its own also
 * gives the outage test its own broker, which it may stop without touching the other tests.
 */
public class OutageProfile implements QuarkusTestProfile {
    static final long MAX_IN_FLIGHT_BYTES = 128 * 1024;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("sluice.gateway.limits.max-in-flight-bytes", Long.toString(MAX_IN_FLIGHT_BYTES));
    }
}
