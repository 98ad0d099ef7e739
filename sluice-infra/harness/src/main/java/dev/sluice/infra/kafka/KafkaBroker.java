package dev.sluice.infra.kafka;

/**
 * A single-node Kafka broker for tests, the demo and benchmarks.
 *
 * <p>{@link #stop()} and {@link #start()} keep the address and the data, so clients reconnect to the
 * same broker: that is how outage tests take Kafka away and bring it back.
 */
public interface KafkaBroker extends AutoCloseable {

    /** {@code host:port} for {@code bootstrap.servers}; stable across {@link #stop()}/{@link #start()}. */
    String bootstrapServers();

    /** Starts (or restarts) the broker and returns once it accepts clients. */
    void start();

    /** Makes the broker unreachable while keeping its address and data. */
    void stop();

    /**
     * Kills the broker without a clean shutdown ({@code kill -9}: unflushed log segments, no controlled
     * leadership hand-over) while keeping its address and data; {@link #start()} recovers it from disk.
     */
    default void kill() {
        stop();
    }

    /** Stops the broker for good and releases its resources. */
    @Override
    void close();

    /** Short description for logs, e.g. "embedded KRaft broker (child JVM) at 127.0.0.1:40123". */
    String description();
}
