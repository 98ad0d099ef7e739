package dev.sluice.infra.process;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of every child JVM: runs the real main class, and exits (running the server's own
 * shutdown hooks) as soon as the parent's end of stdin closes, which happens however the parent dies.
 * Uses only the JDK because it shares the child's classpath with the server.
 */
public final class ParentWatchdog {
    private ParentWatchdog() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: ParentWatchdog <main class> [args...]");
        }
        Thread watchdog = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // The parent never writes; we only wait for end of stream.
                }
            } catch (IOException ignored) {
                // A broken pipe means the parent is gone, same as end of stream.
            }
            System.exit(143);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }
}
