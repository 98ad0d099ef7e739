package dev.sluice.demo;

/**
 * A demo that cannot start as asked (port taken, data dir not writable or in use): reported as one line
 * before anything was started, so there is nothing to stop and no log to read.
 */
final class DemoSetupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DemoSetupException(String message) {
        super(message);
    }
}
