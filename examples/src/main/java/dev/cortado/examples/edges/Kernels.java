package dev.cortado.examples.edges;

import dev.cortado.examples.report.Pictures;
import dev.cortado.nn.Conv2d;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Pictures of first-layer kernels: a snapshot before training next to the learned ones. */
public final class Kernels {
    private Kernels() {
    }

    /** The first convolution's weights now, one k×k array per filter (input channel 0). */
    public static float[][] snapshot(Conv2d conv) {
        int f = conv.weight.size(0);
        int c = conv.weight.size(1);
        int kh = conv.weight.size(2);
        int kw = conv.weight.size(3);
        float[] w = conv.weight.contiguous().toFloatArray();
        float[][] out = new float[f][kh * kw];
        for (int i = 0; i < f; i++) {
            System.arraycopy(w, i * c * kh * kw, out[i], 0, kh * kw);
        }
        return out;
    }

    /** Untrained kernels on the first row, learned ones on the second; red positive, blue negative. */
    public static void write(Path png, String title, float[][] untrained, float[][] learned, int k) throws IOException {
        int shown = Math.min(untrained.length, 8);
        List<Pictures.Tile> tiles = new ArrayList<>();
        for (int i = 0; i < shown; i++) {
            tiles.add(new Pictures.Tile("untrained " + (i + 1), untrained[i], k, k));
        }
        for (int i = 0; i < shown; i++) {
            tiles.add(new Pictures.Tile("learned " + (i + 1), learned[i], k, k));
        }
        Pictures.grid(png, title, tiles, shown, 84, true);
    }
}
