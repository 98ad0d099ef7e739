package dev.sluice.gateway.body;

/** Receives the records of a body in order, each as its own array (the future Kafka value). */
@FunctionalInterface
public interface RecordSink {
    /**
     * @param index position of the record in the request: array element, or line number for line bodies
     * @param bytes the record, truncated to the source's per-record limit when it is larger
     * @param fullSize the record's size before truncation
     * @throws BodyException to stop reading and refuse the request
     */
    void accept(int index, byte[] bytes, long fullSize) throws BodyException;
}
