package dev.sluice.job.udf;

import dev.sluice.core.config.UdfConfig;
import dev.sluice.core.error.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Python UDFs of one pipeline, loaded into one GraalPy context: the runtime object behind the
 * {@code preprocess}, {@code postprocess} and Python derived-field hooks. Built in
 * {@code RecordProcessor.open()} (and by validation), never serialized.
 *
 * <p>Loading checks every module before running any: it must compile, and each import must be a module of
 * the directory or of the standard library ({@code sys.stdlib_module_names}); anything else is refused
 * with the module, the import and its line. The context gets no host file system, no process and no
 * native access either, so a dynamic {@code __import__} cannot reach installed packages.
 *
 * <p>Calls ({@link #call}) run on the caller's thread under a wall-clock budget: a watchdog thread
 * interrupts a call that outlives it ({@link Context#interrupt}), which stops even {@code while True:
 * pass}, and the call fails with {@link ErrorCode#UDF_TIMEOUT}; the context stays usable. Should the
 * interrupt itself not take effect, the watchdog cancels the context and the next call rebuilds it.
 * An exception raised by the UDF fails the call with {@link ErrorCode#UDF_ERROR} and the traceback's
 * last line ({@code ValueError: bad price}).
 *
 * <p>Contexts of one JVM share one {@link Engine}, so the interpreter's parsed standard library is
 * reused: the first context of a JVM takes seconds, later ones (another subtask, a hot reload) much
 * less.
 *
 * <p>Validation loads the modules just before the job, or a hot reload, opens them in the same JVM: it
 * {@linkplain #park() parks} its instance instead of closing it, and the next {@link #open} of an equal
 * config takes it over rather than building a second context. A parked instance nobody takes is closed
 * after {@link #PARKED_FOR}.
 *
 * <p>Not thread-safe: one instance per processor, called by one thread at a time.
 */
public final class PythonUdfs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PythonUdfs.class);
    private static final Source BOOTSTRAP = bootstrap();
    /** Long enough for a job to start after its config was checked, short enough not to hold memory idle. */
    static final Duration PARKED_FOR = Duration.ofMinutes(1);
    private static final Object PARKING = new Object();
    /** Guarded by {@link #PARKING}. */
    private static PythonUdfs parked;

    private final UdfConfig config;
    private final long budgetNanos;
    private final Map<String, Value> functions = new HashMap<>();
    private final Watchdog watchdog;
    private volatile Context context;
    private Value bindings;
    /** {@link System#nanoTime()} when a parked instance is closed; {@link Long#MIN_VALUE} when not parked. */
    private volatile long parkedUntil = Long.MIN_VALUE;

    private PythonUdfs(UdfConfig config) {
        this.config = config;
        this.budgetNanos = config.timeBudget().toNanos();
        this.watchdog = new Watchdog(config.timeBudget());
    }

    /**
     * Takes over the parked instance of an equal config, or creates a context and loads every module of
     * {@code config}.
     *
     * @throws IllegalArgumentException naming the module when one does not compile, imports what it may
     *                                  not, or fails while loading
     */
    public static PythonUdfs open(UdfConfig config) {
        synchronized (PARKING) {
            if (parked != null && parked.config.equals(config) && parked.context != null) {
                PythonUdfs taken = parked;
                parked = null;
                taken.parkedUntil = Long.MIN_VALUE;
                LOG.info("Took over the Python UDF context loaded by validation for {}", config.modules());
                return taken;
            }
        }
        PythonUdfs udfs = new PythonUdfs(config);
        try {
            udfs.load();
        } catch (RuntimeException e) {
            udfs.close();
            throw e;
        }
        udfs.watchdog.start();
        return udfs;
    }

    private void load() {
        long started = System.nanoTime();
        context = Context.newBuilder("python").engine(SharedEngine.ENGINE).build();
        context.eval(BOOTSTRAP);
        bindings = context.getBindings("python");
        Value add = bindings.getMember("_sluice_add");
        config.sources().forEach((name, source) -> add.execute(config.modules(), name, source));
        Value refusedImports = bindings.getMember("_sluice_refused_imports");
        for (String module : config.sources().keySet()) {
            String refused;
            try {
                refused = refusedImports.execute(module).asString();
            } catch (PolyglotException e) {
                throw new IllegalArgumentException("udf module '" + module + "' (" + file(module)
                        + ") does not compile: " + lastLine(e), e);
            }
            if (!refused.isEmpty()) {
                throw new IllegalArgumentException("udf module '" + module + "' (" + file(module) + ") imports "
                        + refused + ": only the standard library and the modules in " + config.modules()
                        + " may be imported");
            }
        }
        Value loadModule = bindings.getMember("_sluice_load");
        for (String module : config.sources().keySet()) {
            try {
                loadModule.execute(module);
            } catch (PolyglotException e) {
                throw new IllegalArgumentException("udf module '" + module + "' (" + file(module)
                        + ") fails to load: " + lastLine(e), e);
            }
        }
        functions.clear();
        LOG.info("Loaded {} Python UDF module(s) from {} in {} ms", config.sources().size(), config.modules(),
                (System.nanoTime() - started) / 1_000_000);
    }

    private String file(String module) {
        return config.modules() + "/" + module + ".py";
    }

    /** The configuration these UDFs were loaded from. */
    public UdfConfig config() {
        return config;
    }

    /**
     * Checks that {@code ref} ({@code module.function}) names a function of the loaded modules that
     * accepts {@code arguments} positional arguments.
     *
     * @throws IllegalArgumentException naming the reference and what is wrong with it
     */
    public void check(String ref, int arguments) {
        Value function = resolve(ref);
        Value problem = bindings.getMember("_sluice_signature_problem").execute(function, arguments);
        if (!problem.isNull()) {
            throw new IllegalArgumentException("Python function '" + ref + "' cannot be called with " + arguments
                    + " argument(s): " + problem.asString());
        }
    }

    private Value resolve(String ref) {
        Value function = functions.get(ref);
        if (function != null) {
            return function;
        }
        Matcher parts = UdfConfig.FUNCTION_REF.matcher(ref);
        if (!parts.matches()) {
            throw new IllegalArgumentException("'" + ref + "' must name a Python function as module.function");
        }
        if (!config.sources().containsKey(parts.group(1))) {
            throw new IllegalArgumentException("no udf module '" + parts.group(1) + "' in " + config.modules()
                    + " (modules: " + String.join(", ", config.sources().keySet()) + ")");
        }
        function = bindings.getMember("_sluice_resolve").execute(parts.group(1), parts.group(2));
        if (function.isNull() || !function.canExecute()) {
            throw new IllegalArgumentException("udf module '" + parts.group(1) + "' has no function '"
                    + parts.group(2) + "'");
        }
        functions.put(ref, function);
        return function;
    }

    /**
     * Calls {@code ref} with host arguments ({@link PyValues#toGuest}) under the time budget. The result
     * is only valid until the next call.
     *
     * @throws UdfException {@link ErrorCode#UDF_ERROR} when the function raised, {@link ErrorCode#UDF_TIMEOUT}
     *                      when it was interrupted
     */
    public Value call(String ref, Object... arguments) throws UdfException {
        if (context == null) {
            rebuild();
        }
        Value function = resolve(ref);
        watchdog.arm(System.nanoTime() + budgetNanos);
        try {
            return function.execute(arguments);
        } catch (PolyglotException e) {
            if (watchdog.fired() || e.isInterrupted() || e.isCancelled()) {
                if (e.isCancelled()) {
                    dropCancelledContext();
                }
                throw new UdfException(ErrorCode.UDF_TIMEOUT, ref + " exceeded the time budget of "
                        + config.timeBudget().toMillis() + " ms (udf.time-budget-ms) and was interrupted", e);
            }
            throw new UdfException(ErrorCode.UDF_ERROR, lastLine(e), e);
        } finally {
            watchdog.disarm();
        }
    }

    /** The last line of the Python traceback: {@code ValueError: bad price}. */
    static String lastLine(PolyglotException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage().strip();
        return message.substring(message.lastIndexOf('\n') + 1);
    }

    private void rebuild() throws UdfException {
        try {
            load();
        } catch (RuntimeException e) {
            throw new UdfException(ErrorCode.UDF_ERROR, "cannot rebuild the Python context after a cancelled call: "
                    + e.getMessage(), e);
        }
    }

    private void dropCancelledContext() {
        LOG.warn("Python UDF context of {} was cancelled after an interrupt did not take effect; rebuilding it",
                config.modules());
        try {
            context.close(true);
        } catch (RuntimeException e) {
            LOG.debug("closing the cancelled context", e);
        }
        context = null;
        functions.clear();
    }

    /**
     * Leaves this instance to the next {@link #open} of an equal config in this JVM instead of closing it;
     * an instance parked before is closed. The caller must not use it afterwards.
     */
    public void park() {
        PythonUdfs previous;
        synchronized (PARKING) {
            previous = parked;
            parked = this;
            parkedUntil = System.nanoTime() + PARKED_FOR.toNanos();
        }
        if (previous != null && previous != this) {
            previous.close();
        }
    }

    /** The config of the parked instance, null when none is parked. */
    static UdfConfig parkedConfig() {
        synchronized (PARKING) {
            return parked == null ? null : parked.config;
        }
    }

    /** Closes this instance if it is still parked: called by its watchdog once {@link #PARKED_FOR} passed. */
    private void closeIfParked() {
        synchronized (PARKING) {
            if (parked != this) {
                return;
            }
            parked = null;
        }
        LOG.info("Closed the unused Python UDF context of {} loaded by validation", config.modules());
        close();
    }

    @Override
    public void close() {
        watchdog.shutdown();
        if (context != null) {
            context.close(true);
            context = null;
        }
    }

    private static Source bootstrap() {
        try (InputStream in = PythonUdfs.class.getResourceAsStream("bootstrap.py")) {
            if (in == null) {
                throw new IllegalStateException("bootstrap.py missing next to " + PythonUdfs.class.getName());
            }
            return Source.newBuilder("python", new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    "sluice_udf_bootstrap.py").buildLiteral();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One engine per class loader: contexts share its code caches. Interpreter-only on a stock JDK. */
    private static final class SharedEngine {
        static final Engine ENGINE = Engine.newBuilder("python")
                .option("engine.WarnInterpreterOnly", "false")
                .build();
    }

    /**
     * Interrupts the call that outlives its deadline. Polls (every tenth of the budget, at most 50 ms)
     * rather than scheduling per call, so a call costs two volatile writes.
     */
    private final class Watchdog extends Thread {
        private final long pollMillis;
        /** {@link System#nanoTime()} deadline of the running call; {@link Long#MIN_VALUE} when idle. */
        private volatile long deadline = Long.MIN_VALUE;
        private volatile boolean fired;
        private volatile boolean stopped;

        Watchdog(Duration budget) {
            super("sluice-udf-watchdog");
            setDaemon(true);
            this.pollMillis = Math.max(1, Math.min(50, budget.toMillis() / 10));
        }

        void arm(long at) {
            fired = false;
            deadline = at;
        }

        void disarm() {
            deadline = Long.MIN_VALUE;
        }

        boolean fired() {
            return fired;
        }

        void shutdown() {
            stopped = true;
            interrupt();
        }

        @Override
        public void run() {
            while (!stopped) {
                try {
                    Thread.sleep(pollMillis);
                } catch (InterruptedException e) {
                    continue;
                }
                long parkedEnd = parkedUntil;
                if (parkedEnd != Long.MIN_VALUE && System.nanoTime() - parkedEnd > 0) {
                    closeIfParked();
                    continue;
                }
                long at = deadline;
                if (at == Long.MIN_VALUE || System.nanoTime() - at < 0 || fired) {
                    continue;
                }
                Context running = context;
                // The call may have ended (and the next one begun) since the deadline was read.
                if (running == null || deadline != at) {
                    continue;
                }
                fired = true;
                try {
                    running.interrupt(Duration.ofSeconds(10));
                } catch (TimeoutException e) {
                    running.close(true);
                } catch (RuntimeException e) {
                    LOG.debug("interrupting a Python UDF", e);
                }
            }
        }
    }
}
