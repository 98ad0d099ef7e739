package dev.sluice.demo;

import java.nio.file.Path;

/**
 * Settings of one demo run.
 *
 * @param events       lines to generate over all sources
 * @param badRatio     share of lines that fail the ETL on purpose
 * @param dataDir      root of broker data, lake, checkpoints and logs
 * @param port         gateway port
 * @param apiKey       demo API key
 * @param gatewayApp   the gateway's quarkus-run.jar
 * @param pipelinesDir directory holding {@code <source>.yaml} pipeline configs
 */
public record DemoSettings(int events, double badRatio, Path dataDir, int port, String apiKey, Path gatewayApp,
                           Path pipelinesDir) {

    /** The environment variable the demo API key is read from. */
    public static final String API_KEY_ENV = "SLUICE_DEMO_API_KEY";

    /** Where the demo's tables live: {@code DIR/lake}, as a URI. */
    public String lakeRoot() {
        return dataDir.resolve("lake").toAbsolutePath().toUri().toString();
    }
}
