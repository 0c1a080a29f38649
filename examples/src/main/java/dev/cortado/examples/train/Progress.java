package dev.cortado.examples.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar on standard error for a loop of known length: count, running statistics,
 * throughput and time left. On a terminal it redraws in place; otherwise (logs, CI) it prints a
 * line at most every 15 seconds so long loops still show they are alive.
 */
public final class Progress {
    private static final boolean TERMINAL = System.console() != null && System.console().isTerminal();
    private final PrintStream out;
    private final String label;
    private final int total;
    private final String unit;
    private final long start = System.nanoTime();
    private long lastDraw = start;
    private boolean drawn;

    public Progress(String label, int total, String unit) {
        this(System.err, label, total, unit);
    }

    Progress(PrintStream out, String label, int total, String unit) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.unit = unit;
    }

    /** Reports {@code done} of the total, with {@code items} processed so far (for the rate) and a statistics text. */
    public void update(int done, long items, String stats) {
        long now = System.nanoTime();
        long every = TERMINAL ? 200_000_000L : 15_000_000_000L;
        if (done < total && now - lastDraw < every) {
            return;
        }
        if (!TERMINAL && done == total && !drawn) {
            return; // a short loop on a log: the caller's summary line says it all
        }
        lastDraw = now;
        drawn = true;
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? items / seconds : 0;
        double eta = done > 0 ? seconds * (total - done) / done : 0;
        int width = 24;
        int filled = total == 0 ? width : (int) ((long) width * done / total);
        String bar = "=".repeat(filled) + (filled < width ? ">" + " ".repeat(width - filled - 1) : "");
        String line = String.format(Locale.ROOT, "%s [%s] %d/%d %s  %.0f %s/s  ETA %s", label, bar, done, total, stats, rate, unit,
                clock(eta));
        if (TERMINAL) {
            out.print("\r" + line + "\033[K");
            if (done == total) {
                out.print("\r\033[K");
            }
        } else {
            out.println(line);
        }
        out.flush();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
