package dev.sluice.core.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class IngestErrorCodeTest {

    @Test
    void recordCodesAreClientErrorsThatARetryCannotFix() {
        Arrays.stream(IngestErrorCode.values())
                .filter(code -> code.scope() == IngestErrorCode.Scope.RECORD)
                .forEach(code -> {
                    assertThat(code.httpStatus()).as(code.name()).isBetween(400, 499);
                    assertThat(code.retryable()).as(code.name()).isFalse();
                });
    }

    @Test
    void exactlyTheTransientRequestCodesAreRetryable() {
        assertThat(Arrays.stream(IngestErrorCode.values()).filter(IngestErrorCode::retryable))
                .containsExactlyInAnyOrder(IngestErrorCode.RATE_LIMITED, IngestErrorCode.OVERLOADED,
                        IngestErrorCode.KAFKA_UNAVAILABLE);
    }

    @Test
    void namesAreTheWireContract() {
        // DLQ readers match these strings; renaming one is a breaking change.
        assertThat(Arrays.stream(IngestErrorCode.values()).map(Enum::name)).contains(
                "INVALID_UTF8", "NUL_BYTE", "RECORD_TOO_LARGE", "INVALID_JSON", "HEADER_MISMATCH",
                "UNAUTHENTICATED", "FORBIDDEN", "UNKNOWN_SOURCE", "EMPTY_BODY", "INVALID_GZIP",
                "REQUEST_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE", "UNSUPPORTED_ENCODING", "RATE_LIMITED",
                "OVERLOADED", "KAFKA_UNAVAILABLE");
    }
}
