package dev.sluice.gateway.auth;

import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.SourceRegistry;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves the API key of a request to the sources it may write. Keys are configured as SHA-256
 * hashes; the presented key is hashed and looked up, so the plain key exists only in the request.
 * Nothing here logs a key or its hash.
 */
@Singleton
public class ApiKeyAuthenticator {
    private static final String BEARER = "bearer ";

    /** One digest per thread: looking the algorithm up costs more than hashing a key. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    });

    /** The key's configured name (safe to log) and the sources bound to it. */
    public record Principal(String keyName, Set<String> sources) {
        public boolean mayWrite(String source) {
            return sources.contains(source);
        }
    }

    private final Map<String, Principal> byHash = new HashMap<>();

    /** Depends on the registry so that the configuration was checked before keys are read. */
    public ApiKeyAuthenticator(GatewayConfig config, SourceRegistry checkedFirst) {
        config.apiKeys().forEach((name, key) -> byHash.put(key.sha256(), new Principal(name, Set.copyOf(key.sources()))));
    }

    /**
     * @param authorization the {@code Authorization} header ({@code Bearer <key>}), may be null
     * @param apiKeyHeader the {@code X-Api-Key} header, may be null; used when there is no bearer key
     * @return the principal, or empty when no key was presented or the key is unknown
     */
    public Optional<Principal> authenticate(String authorization, String apiKeyHeader) {
        String key = null;
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            key = authorization.substring(BEARER.length()).trim();
        } else if (apiKeyHeader != null) {
            key = apiKeyHeader.trim();
        }
        if (key == null || key.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(byHash.get(sha256Hex(key)));
    }

    public static String sha256Hex(String key) {
        return HexFormat.of().formatHex(SHA_256.get().digest(key.getBytes(StandardCharsets.UTF_8)));
    }
}
