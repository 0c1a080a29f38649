package dev.cortado.examples.report;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@link Pictures}' drawing, with Java2D (the java.desktop module). */
final class Java2dPictures {
    private Java2dPictures() {
    }

    static void grid(Path png, String title, List<Pictures.Tile> tiles, int columns, int cell, boolean diverging) throws IOException {
        int rows = (tiles.size() + columns - 1) / columns;
        int caption = 16;
        int pad = 8;
        int top = title.isEmpty() ? pad : 28;
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 14);
        // As wide as the title too: a grid of three kernels is narrower than its caption.
        Graphics2D probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        int titleWidth = probe.getFontMetrics(titleFont).stringWidth(title) + 2 * pad;
        probe.dispose();
        BufferedImage img = new BufferedImage(Math.max(columns * (cell + pad) + pad, titleWidth), top + rows * (cell + caption + pad),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = start(img);
        g.setFont(titleFont);
        g.drawString(title, pad, 19);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int t = 0; t < tiles.size(); t++) {
            Pictures.Tile tile = tiles.get(t);
            int x0 = pad + (t % columns) * (cell + pad);
            int y0 = top + (t / columns) * (cell + caption + pad);
            int scale = Math.max(1, cell / Math.max(tile.height(), tile.width()));
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (float v : tile.values()) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            float absMax = Math.max(Math.abs(lo), Math.abs(hi));
            for (int y = 0; y < tile.height(); y++) {
                for (int x = 0; x < tile.width(); x++) {
                    float v = tile.values()[y * tile.width() + x];
                    g.setColor(diverging ? diverging(absMax == 0 ? 0 : v / absMax) : grey(hi == lo ? 0 : (v - lo) / (hi - lo)));
                    g.fillRect(x0 + x * scale, y0 + y * scale, scale, scale);
                }
            }
            g.setColor(Color.BLACK);
            g.drawString(tile.caption(), x0, y0 + tile.height() * scale + 12);
        }
        write(img, png);
    }

    static void confusion(Path png, String title, long[][] counts, List<String> classes) throws IOException {
        int n = classes.size();
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 14);
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        Graphics2D probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        int widest = 0;
        for (String c : classes) {
            widest = Math.max(widest, probe.getFontMetrics(labelFont).stringWidth(c));
        }
        int titleWidth = probe.getFontMetrics(titleFont).stringWidth(title);
        probe.dispose();
        // Columns as wide as the longest class name, so that no label is cut ("Ankle boot").
        int cell = Math.max(Math.max(60, 360 / n), widest + 8);
        int left = widest + 16;
        int top = 60;
        BufferedImage img = new BufferedImage(Math.max(left + n * cell + 20, titleWidth + 20), top + n * cell + 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = start(img);
        g.setFont(titleFont);
        g.drawString(title, 10, 20);
        g.setFont(labelFont);
        g.drawString("predicted →", left, 40);
        long max = 1;
        for (long[] row : counts) {
            for (long c : row) {
                max = Math.max(max, c);
            }
        }
        for (int i = 0; i < n; i++) {
            g.setColor(Color.BLACK);
            g.drawString(classes.get(i), 6, top + i * cell + cell / 2 + 4);
            g.drawString(classes.get(i), left + i * cell + 4, top - 6);
            for (int j = 0; j < n; j++) {
                double f = (double) counts[i][j] / max;
                g.setColor(new Color((int) (255 - 200 * f), (int) (255 - 140 * f), 255));
                g.fillRect(left + j * cell, top + i * cell, cell, cell);
                g.setColor(f > 0.6 ? Color.WHITE : Color.BLACK);
                g.drawString(Long.toString(counts[i][j]), left + j * cell + 4, top + i * cell + cell / 2 + 4);
            }
        }
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1));
        g.drawRect(left, top, n * cell, n * cell);
        g.setColor(Color.BLACK);
        g.drawString("true ↓", 6, top + n * cell + 20);
        write(img, png);
    }

    private static Graphics2D start(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        return g;
    }

    private static Color grey(float f) {
        int v = Math.round(255 * Math.max(0, Math.min(1, f)));
        return new Color(v, v, v);
    }

    private static Color diverging(float f) {
        f = Math.max(-1, Math.min(1, f));
        int a = Math.round(255 * (1 - Math.abs(f)));
        return f >= 0 ? new Color(255, a, a) : new Color(a, a, 255);
    }

    private static void write(BufferedImage img, Path png) throws IOException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(img, "png", png.toFile());
    }
}
