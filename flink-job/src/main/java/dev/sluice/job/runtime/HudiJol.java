package dev.sluice.job.runtime;

import java.io.OutputStream;
import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quiets the object-layout library (JOL) inside the Hudi bundle. Hudi sizes its write buffers with
 * {@code ObjectSizeCalculator}, whose first use initialises JOL's {@code VM.current()}: on Java 17 that
 * forks a JVM to attach the HotSpot Serviceability Agent (~5 s, and it fails anyway) and then prints
 * {@code # WARNING: Unable to get Instrumentation} and {@code # WARNING: Unable to attach Serviceability
 * Agent} straight to {@code System.out} — into the operator's console at every start. JOL has switches to
 * skip both attach attempts but still prints the warnings, so this initialises it once, early, with the
 * skip switches set and {@code System.out} muted for that call; later uses get the cached instance.
 *
 * <p>In-process only (the demo, {@code sluice etl}, tests): on a cluster the TaskManagers print the lines
 * to their {@code .out} files; {@code env.java.opts.all: -Djol.skipHotspotSAAttach=true
 * -Djol.skipDynamicAttach=true} saves them the fork (docs/deploy.md).
 */
public final class HudiJol {
    private static final Logger LOG = LoggerFactory.getLogger(HudiJol.class);
    private static boolean done;

    private HudiJol() {
    }

    /** Initialises JOL quietly once per JVM; call before the first Hudi writer opens. Never throws. */
    public static synchronized void quiet() {
        if (done) {
            return;
        }
        done = true;
        setIfAbsent("jol.skipHotspotSAAttach");
        setIfAbsent("jol.skipDynamicAttach");
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            org.apache.hudi.org.openjdk.jol.vm.VM.current();
        } catch (Throwable e) {
            // Hudi then prints its warnings later; nothing else depends on this.
            LOG.debug("JOL initialisation failed: {}", e.toString());
        } finally {
            System.setOut(out);
        }
    }

    private static void setIfAbsent(String property) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, "true");
        }
    }
}
