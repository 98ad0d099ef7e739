package dev.sluice.job.parse;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * A line as a regex sees it, with a CPU-time budget: {@code java.util.regex} reads its input only through
 * {@link #charAt}, so checking the clock there stops even a catastrophically backtracking match (which
 * has no other exit and cannot be interrupted) without a watchdog thread. The clock is the parsing
 * thread's CPU time, so a GC pause or a busy machine does not turn a normal line into a timeout, and it is
 * first read after {@value #CHECK_EVERY} character reads: a normal line never pays for it.
 *
 * <p>Not thread-safe: one instance per match, on the parsing thread.
 */
final class BudgetedText implements CharSequence {
    /** Character reads between clock checks: about 10 µs of matching, so the overshoot is negligible. */
    static final int CHECK_EVERY = 4096;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** The JVM may lack or disable thread CPU time (it would read -1 forever): wall time then. */
    private static final boolean CPU_CLOCK =
            THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();

    private final String text;
    private final long budgetNanos;
    private long deadline;
    private boolean started;
    private int untilCheck = CHECK_EVERY;

    BudgetedText(String text, long budgetNanos) {
        this.text = text;
        this.budgetNanos = budgetNanos;
    }

    @Override
    public char charAt(int index) {
        if (--untilCheck == 0) {
            untilCheck = CHECK_EVERY;
            check();
        }
        return text.charAt(index);
    }

    private void check() {
        long now = CPU_CLOCK ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
        if (!started) {
            started = true;
            deadline = now + budgetNanos;
        } else if (now - deadline > 0) {
            throw new Exceeded();
        }
    }

    @Override
    public int length() {
        return text.length();
    }

    /** Used for groups after the match: not budgeted. */
    @Override
    public CharSequence subSequence(int start, int end) {
        return text.substring(start, end);
    }

    @Override
    public String toString() {
        return text;
    }

    /** Thrown out of a match that spent its budget; without a stack trace, it only unwinds the matcher. */
    static final class Exceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Exceeded() {
            super("pattern time budget exceeded", null, false, false);
        }
    }
}
