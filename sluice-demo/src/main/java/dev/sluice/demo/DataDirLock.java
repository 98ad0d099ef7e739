package dev.sluice.demo;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One demo per data directory: a run empties {@code kafka/}, {@code lake/} and {@code checkpoints/} at
 * start, which would pull the data from under a demo already running there. The lock is an OS file lock
 * on {@code DIR/demo.lock}, so it goes with the process that holds it (a killed demo leaves no stale
 * lock); taking it is also the check that the directory is writable.
 */
final class DataDirLock implements AutoCloseable {
    static final String FILE = "demo.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates {@code dir} if needed and locks it.
     *
     * @throws DemoSetupException when it is not a writable directory or another demo holds it
     */
    static DataDirLock acquire(Path dir) {
        FileChannel channel;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new DemoSetupException("--data-dir " + dir + " is not a writable directory (" + e + ")");
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new DemoSetupException("another sluice demo is running on --data-dir " + dir + " (it holds "
                    + dir.resolve(FILE) + "); stop it or pass another --data-dir");
        }
        return new DataDirLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing was locked; the refusal is what matters.
        }
    }
}
