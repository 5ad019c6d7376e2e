package io.npid.deploy.process;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Progress of one long task (count, rate, ETA) printed as a line on stderr every few seconds (every 30 s when
 * stderr is not a terminal), and a summary at the end.
 *
 * <p>Thread-safe: producers and callbacks on other threads may call {@link #advance(long)}. Lines go to the given
 * writer only, so that commands stay quiet on stdout for scripts.
 */
public final class Progress {
    /** A line every 2 s on a terminal; every 30 s otherwise, since a log file or pipe keeps every line. */
    static final long TERMINAL_EVERY_NANOS = 2_000_000_000L;

    static final long LOG_EVERY_NANOS = 30_000_000_000L;

    private final long printEveryNanos;

    private final PrintWriter err;
    private final String task;
    private final String unit;
    private final long total;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private final AtomicLong done = new AtomicLong();
    private long lastPrintNanos;
    private volatile long finishedNanos = -1;

    /**
     * Starts measuring.
     *
     * @param err where the lines go (the command's stderr)
     * @param task what is being done, e.g. {@code ingest}
     * @param unit what is counted, plural, e.g. {@code images}
     * @param total how many there will be, or 0 when unknown (no ETA then)
     */
    public Progress(final PrintWriter err, final String task, final String unit, final long total) {
        this(
                err,
                task,
                unit,
                total,
                System::nanoTime,
                System.console() != null ? TERMINAL_EVERY_NANOS : LOG_EVERY_NANOS);
    }

    Progress(
            final PrintWriter err,
            final String task,
            final String unit,
            final long total,
            final LongSupplier nanoClock,
            final long printEveryNanos) {
        this.err = err;
        this.printEveryNanos = printEveryNanos;
        this.task = task;
        this.unit = unit;
        this.total = total;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        this.lastPrintNanos = startNanos;
    }

    /**
     * Counts finished work and prints a line when the last one is a few seconds old.
     *
     * @param n how many more are done
     */
    public void advance(final long n) {
        set(done.addAndGet(n));
    }

    /**
     * Sets the count of finished work (for tasks that report a running total).
     *
     * @param count how many are done so far
     */
    public void set(final long count) {
        done.accumulateAndGet(count, Math::max);
        final long now = nanoClock.getAsLong();
        synchronized (this) {
            if (now - lastPrintNanos >= printEveryNanos) {
                lastPrintNanos = now;
                err.println(line(now));
                err.flush();
            }
        }
    }

    /** @return how many are done */
    public long done() {
        return done.get();
    }

    /** @return the mean rate so far (until {@link #finish()}), per second */
    public double ratePerSecond() {
        final double seconds = elapsedSeconds();
        return seconds <= 0 ? 0 : done.get() / seconds;
    }

    /** @return seconds since the task started, until {@link #finish()}; the closing line's time after it */
    public double elapsedSeconds() {
        final long end = finishedNanos >= 0 ? finishedNanos : nanoClock.getAsLong();
        return (end - startNanos) / 1e9;
    }

    /**
     * Prints the closing line: count, time and mean rate; from then on {@link #elapsedSeconds()} and
     * {@link #ratePerSecond()} give the figures it printed, so a summary that takes them agrees with it.
     *
     * @return the mean rate, per second
     */
    public double finish() {
        finishedNanos = nanoClock.getAsLong();
        final double seconds = elapsedSeconds();
        final double rate = ratePerSecond();
        err.println(String.format(
                Locale.ROOT,
                "%s: %,d %s in %s (%s %s/s)",
                task,
                done.get(),
                unit,
                duration(seconds),
                rate(rate),
                unit));
        err.flush();
        return rate;
    }

    /**
     * Formats a rate with at least two significant figures, so that a slow rate is never shown as 0: 2,433, 55,
     * 2.2, 0.38, 0.0041.
     *
     * @param perSecond the rate
     * @return the figure, with thousands separators from 1,000 on; {@code -} when not a finite number
     */
    public static String rate(final double perSecond) {
        if (!Double.isFinite(perSecond)) {
            return "-";
        }
        final double abs = Math.abs(perSecond);
        if (abs >= 10 || abs == 0) {
            return String.format(Locale.ROOT, "%,.0f", perSecond);
        }
        final int decimals = 1 - (int) Math.floor(Math.log10(abs));
        return String.format(Locale.ROOT, "%." + decimals + "f", perSecond);
    }

    String line(final long now) {
        final double seconds = (now - startNanos) / 1e9;
        final long count = done.get();
        final double rate = seconds <= 0 ? 0 : count / seconds;
        final StringBuilder b = new StringBuilder(task).append(": ");
        if (total > 0) {
            b.append(String.format(Locale.ROOT, "%,d/%,d %s (%.0f%%)", count, total, unit, 100.0 * count / total));
        } else {
            b.append(String.format(Locale.ROOT, "%,d %s", count, unit));
        }
        b.append(", ").append(rate(rate)).append(' ').append(unit).append("/s");
        // an ETA from the first few percent (connections, JIT warm-up) is wild; give one once the rate settles
        if (total > 0 && rate > 0 && count < total && count * 50 >= total) {
            b.append(", ETA ").append(duration((total - count) / rate));
        }
        return b.toString();
    }

    /**
     * Formats a duration as m:ss (or h:mm:ss).
     *
     * @param seconds the duration
     * @return e.g. {@code 2:05}
     */
    public static String duration(final double seconds) {
        final long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
