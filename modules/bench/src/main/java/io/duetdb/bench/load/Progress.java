package io.duetdb.bench.load;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** A one-line progress bar on standard error, drawn only when a person watches (a terminal). */
public final class Progress {
    private static final int BAR_WIDTH = 30;
    private static final long REDRAW_INTERVAL_MS = 250;

    private final PrintStream err;
    private final boolean enabled;
    private ScheduledExecutorService ticker;

    private Progress(final PrintStream err, final boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    /** Drawn when the process has a terminal and {@code wanted}. */
    public static Progress onTerminal(final boolean wanted) {
        return new Progress(System.err, wanted && System.console() != null);
    }

    public static Progress none() {
        return new Progress(System.err, false);
    }

    void start(final LongSupplier done, final LongSupplier errors, final long warmupEndNs, final LoadSpec spec) {
        if (!enabled) {
            return;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "duet-bench-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(() -> draw(done.getAsLong(), errors.getAsLong(), warmupEndNs, spec), 0,
            REDRAW_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    private void draw(final long done, final long errors, final long warmupEndNs, final LoadSpec spec) {
        final long now = System.nanoTime();
        if (now - warmupEndNs < 0) {
            err.printf(Locale.ROOT, "\rwarming up: %.1f s left   ", (warmupEndNs - now) / 1e9);
            err.flush();
            return;
        }
        final double elapsedS = (now - warmupEndNs) / 1e9;
        final double fraction = spec.durationMode() ? elapsedS * 1000 / spec.durationMs()
            : (double) done / spec.total();
        final int filled = (int) Math.max(0, Math.min(BAR_WIDTH, Math.round(BAR_WIDTH * fraction)));
        err.printf(Locale.ROOT, "\r%s [%s%s] %3d%% %,d ok %,d errors %,.0f/s   ", spec.workload().label(),
            "#".repeat(filled), " ".repeat(BAR_WIDTH - filled), (int) Math.min(100, 100 * fraction), done, errors,
            elapsedS > 0 ? done / elapsedS : 0.0);
        err.flush();
    }

    void stop() {
        if (ticker != null) {
            ticker.shutdownNow();
            err.print("\r" + " ".repeat(BAR_WIDTH + 60) + "\r");
            err.flush();
        }
    }
}
