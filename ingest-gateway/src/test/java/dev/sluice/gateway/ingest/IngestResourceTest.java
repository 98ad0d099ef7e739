package dev.sluice.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IngestResourceTest {

    @Test
    void generatedRequestIdsAreDistinctVersion4UuidsThatPassTheClientIdPattern() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            String id = IngestResource.randomRequestId();
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(id).matches("[A-Za-z0-9._:-]{1,64}");
            ids.add(id);
        }
        assertThat(ids).hasSize(20_000);
    }
}
