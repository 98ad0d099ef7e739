package dev.sluice.core.error;

import dev.sluice.core.record.RawRecord;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A record that failed a stage, with everything needed to understand and replay it. One row of the
 * error table.
 *
 * @param code           why it failed
 * @param stage          where it failed
 * @param table          target table ({@code db.table}) when known, else null
 * @param raw            the raw input, UTF-8 text when it decodes, else base64 (see {@code rawEncoding})
 * @param rawEncoding    {@code utf8} or {@code base64}
 * @param exceptionClass class of the exception that signalled the failure, or null
 * @param message        human readable reason
 * @param sourceTopic    origin topic
 * @param sourcePartition origin partition
 * @param sourceOffset   origin offset
 * @param ingestTime     epoch ms at which the gateway received the record
 */
public record ErrorRecord(ErrorCode code, Stage stage, String table, String raw, String rawEncoding,
                          String exceptionClass, String message, String sourceTopic, int sourcePartition,
                          long sourceOffset, long ingestTime) implements Serializable {

    public static final String UTF8 = "utf8";
    public static final String BASE64 = "base64";

    public ErrorRecord {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(raw, "raw");
    }

    /** An error for {@code record} at the code's own stage. */
    public static ErrorRecord of(ErrorCode code, String table, RawRecord record, Throwable cause, String message) {
        return of(code, code.stage(), table, record, cause, message);
    }

    /** An error for {@code record} at an explicit stage. */
    public static ErrorRecord of(ErrorCode code, Stage stage, String table, RawRecord record, Throwable cause,
                                 String message) {
        String text = utf8OrNull(record.value());
        return new ErrorRecord(code, stage, table,
                text != null ? text : Base64.getEncoder().encodeToString(record.value()),
                text != null ? UTF8 : BASE64,
                cause == null ? null : cause.getClass().getName(),
                message != null ? message : cause == null ? code.name() : String.valueOf(cause.getMessage()),
                record.topic(), record.partition(), record.offset(), record.receivedAt());
    }

    /** The raw input bytes exactly as they were received. */
    public byte[] rawBytes() {
        return decode(raw, rawEncoding);
    }

    /** The bytes of a stored {@code raw} column in its {@code raw_encoding} (error-table rows, replay). */
    public static byte[] decode(String raw, String rawEncoding) {
        return BASE64.equals(rawEncoding) ? Base64.getDecoder().decode(raw) : raw.getBytes(StandardCharsets.UTF_8);
    }

    private static String utf8OrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
