package dev.cortado.examples.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Line charts as PNG files, drawn headless with XChart. */
public final class Plots {
    static {
        // Charts are drawn into images; no display is needed or wanted.
        System.setProperty("java.awt.headless", "true");
    }

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
        XYChart chart = new XYChartBuilder().width(900).height(540).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        for (Series s : series) {
            double[] x = s.x();
            if (x == null) {
                x = new double[s.y().length];
                for (int i = 0; i < x.length; i++) {
                    x[i] = i + 1;
                }
            }
            var added = chart.addSeries(s.name(), x, s.y());
            if (s.y().length > 60) {
                added.setMarker(SeriesMarkers.NONE);
            }
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }
}
