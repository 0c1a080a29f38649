package dev.cortado.examples.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Raster figures drawn with Java2D where the runtime can ({@link Figures}): grids of images or kernels, and confusion matrices. */
public final class Pictures {
    private Pictures() {
    }

    /** A grey image of {@code height×width} values, row-major, with a caption. */
    public record Tile(String caption, float[] values, int height, int width) {
    }

    /**
     * Tiles in a grid of {@code columns}, each scaled up to about {@code cell} pixels. With
     * {@code diverging}, each tile maps −max|v| … +max|v| to blue … white … red (for kernels);
     * otherwise its own min … max to black … white.
     */
    public static void grid(Path png, String title, List<Tile> tiles, int columns, int cell, boolean diverging) throws IOException {
        Figures.draw(png, p -> Java2dPictures.grid(p, title, tiles, columns, cell, diverging));
    }

    /** A confusion matrix as a heat map with counts; rows are true classes, columns predictions. */
    public static void confusion(Path png, String title, long[][] counts, List<String> classes) throws IOException {
        Figures.draw(png, p -> Java2dPictures.confusion(p, title, counts, classes));
    }
}
