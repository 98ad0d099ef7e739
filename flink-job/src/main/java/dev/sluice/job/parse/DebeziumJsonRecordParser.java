package dev.sluice.job.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.error.ErrorCode;
import org.apache.flink.types.RowKind;

/**
 * {@code debezium-json}: a Debezium change event (bare, or wrapped in {@code {"schema":…,"payload":…}}).
 * {@code op} c (create) and r (snapshot read) give an INSERT of {@code after}, u an UPDATE_AFTER of
 * {@code after}, d a DELETE of {@code before}, so sinks can upsert and delete by record key. The row's
 * fields are the image's columns plus metadata: {@code __op}, {@code __ts_ms} (event time in the
 * connector), {@code __db} and {@code __table} (from {@code source}).
 */
final class DebeziumJsonRecordParser implements RecordParser {

    @Override
    public ParseResult parse(RawLine line) {
        byte[] bytes = line.bytes();
        ParseResult envelope = Json.object(bytes, 0, bytes.length);
        if (!envelope.isOk()) {
            return envelope;
        }
        JsonNode event = envelope.fields();
        if (event.get("payload") instanceof ObjectNode payload) {
            event = payload;
        }
        String op = event.path("op").asText("");
        RowKind kind;
        String image;
        switch (op) {
            case "c", "r" -> {
                kind = RowKind.INSERT;
                image = "after";
            }
            case "u" -> {
                kind = RowKind.UPDATE_AFTER;
                image = "after";
            }
            case "d" -> {
                kind = RowKind.DELETE;
                image = "before";
            }
            default -> {
                return invalid("unknown or missing op '" + op + "', expected c, r, u or d");
            }
        }
        if (!(event.get(image) instanceof ObjectNode row)) {
            return invalid("op '" + op + "' needs an object in '" + image + "'");
        }
        row.put("__op", op);
        row.set("__ts_ms", orNull(event.path("ts_ms")));
        JsonNode source = event.path("source");
        row.set("__db", orNull(source.path("db")));
        row.set("__table", orNull(source.path("table")));
        return ParseResult.ok(row, kind);
    }

    private static JsonNode orNull(JsonNode value) {
        return value.isMissingNode() ? Json.NODES.nullNode() : value;
    }

    private static ParseResult invalid(String reason) {
        return ParseResult.failed(ErrorCode.INVALID_CHANGE_EVENT, "not a Debezium change event: " + reason, null);
    }
}
