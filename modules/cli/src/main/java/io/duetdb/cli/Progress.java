package io.duetdb.cli;

import java.io.PrintWriter;

/** A one-line progress bar on standard error, drawn only when a person watches (a terminal). */
final class Progress {
    private static final int BAR_WIDTH = 30;
    /** Redraw at most this often, so a fast download does not spend its time drawing. */
    private static final long REDRAW_INTERVAL_NS = 100_000_000L;

    private final PrintWriter err;
    private final String label;
    private final boolean enabled;
    private long totalBytes;
    private long lastDrawNs;

    private Progress(final PrintWriter err, final String label, final boolean enabled) {
        this.err = err;
        this.label = label;
        this.enabled = enabled;
    }

    static Progress onTerminal(final PrintWriter err, final String label) {
        return new Progress(err, label, System.console() != null);
    }

    void total(final long bytes) {
        totalBytes = bytes;
    }

    void advanceTo(final long bytes) {
        final long now = System.nanoTime();
        if (!enabled || now - lastDrawNs < REDRAW_INTERVAL_NS) {
            return;
        }
        lastDrawNs = now;
        draw(bytes);
    }

    void done() {
        if (enabled) {
            draw(totalBytes);
            err.println();
            err.flush();
        }
    }

    private void draw(final long bytes) {
        if (totalBytes > 0) {
            final int filled = (int) Math.min(BAR_WIDTH, BAR_WIDTH * bytes / totalBytes);
            err.printf("\r%s [%s%s] %3d%% %s / %s", label, "#".repeat(filled), " ".repeat(BAR_WIDTH - filled),
                100 * bytes / totalBytes, Sizes.human(bytes), Sizes.human(totalBytes));
        } else {
            err.printf("\r%s %s", label, Sizes.human(bytes));
        }
        err.flush();
    }
}
