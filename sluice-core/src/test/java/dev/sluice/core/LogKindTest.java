package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.record.LogKind;
import org.junit.jupiter.api.Test;

class LogKindTest {

    @Test
    void roundTripsWireNames() {
        for (LogKind kind : LogKind.values()) {
            assertThat(LogKind.fromWireName(kind.wireName())).isEqualTo(kind);
        }
    }

    @Test
    void unknownNameListsTheAcceptedOnes() {
        assertThatThrownBy(() -> LogKind.fromWireName("audit"))
                .hasMessage("unknown log kind 'audit', expected one of ops, business, program");
    }
}
