package dev.sluice.gateway.body;

import dev.sluice.gateway.config.SourceFormat;
import java.util.Locale;
import java.util.Optional;

/** The body types the gateway reads, and which sources accept which. */
public enum BodyFormat {
    /** {@code application/json}: one object, or an array whose elements are the records. */
    JSON_DOCUMENT("application/json"),
    /** {@code application/x-ndjson}: one JSON document per line. */
    NDJSON("application/x-ndjson"),
    /** {@code text/plain}: one raw record per line. */
    TEXT_LINES("text/plain");

    private final String mediaType;

    BodyFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    public boolean acceptedBy(SourceFormat source) {
        return source == SourceFormat.JSON || this == TEXT_LINES;
    }

    /**
     * The body format of a {@code Content-Type} header, or empty when the type is not one of ours or
     * names a charset other than UTF-8 (records are stored as the client's bytes, so they must be UTF-8).
     */
    public static Optional<BodyFormat> fromContentType(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
        String type = parts[0].trim();
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            if (parameter.startsWith("charset=")) {
                String charset = parameter.substring("charset=".length()).replace("\"", "").trim();
                if (!charset.equals("utf-8") && !charset.equals("utf8")) {
                    return Optional.empty();
                }
            }
        }
        for (BodyFormat format : values()) {
            if (format.mediaType.equals(type)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }
}
