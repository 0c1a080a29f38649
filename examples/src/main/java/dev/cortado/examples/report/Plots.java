package dev.cortado.examples.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Line charts as PNG files, drawn headless with XChart where the runtime can ({@link Figures}). */
public final class Plots {
    private Plots() {
    }

    /** One named curve; {@code x} may be null for 1, 2, 3, … (epochs). */
    public record Series(String name, double[] x, double[] y) {
        public Series(String name, double[] y) {
            this(name, null, y);
        }

        public Series(String name, List<Double> y) {
            this(name, null, y.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    public static void lines(Path png, String title, String xTitle, String yTitle, List<Series> series) throws IOException {
        Figures.draw(png, p -> XChartPlots.lines(p, title, xTitle, yTitle, series));
    }
}
