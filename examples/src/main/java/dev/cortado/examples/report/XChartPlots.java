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

/** {@link Plots}' drawing, with XChart (which needs the java.desktop module). */
final class XChartPlots {
    private XChartPlots() {
    }

    static void lines(Path png, String title, String xTitle, String yTitle, List<Plots.Series> series) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(540).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        for (Plots.Series s : series) {
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
