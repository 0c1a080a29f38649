package dev.cortado.data;

import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** make_grid and save_image against torchvision 0.14.1's results for the same batches (sin(i · s) values). */
class VisionUtilsTest {
    @BeforeAll
    static void cpu() {
        Cortado.setDefaultDevice(Device.CPU);
    }

    private static Tensor sines(int n, double scale, int... shape) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) Math.sin(i * scale);
        }
        return Tensor.fromArray(v, shape);
    }

    /** The grid's sum and its values weighted by their flat position, which a misplaced tile changes. */
    private static void assertGrid(Tensor grid, int[] shape, double sum, double weighted) {
        assertArrayEquals(shape, grid.shape());
        float[] v = grid.toFloatArray();
        double s = 0;
        double w = 0;
        for (int i = 0; i < v.length; i++) {
            s += v[i];
            w += v[i] * (double) i;
        }
        assertEquals(sum, s, 1e-4 * Math.abs(sum));
        assertEquals(weighted, w, 1e-5 * Math.abs(weighted));
    }

    @Test
    void tilesLikeTorchvision() {
        Tensor gray = sines(60, 0.37, 5, 1, 3, 4);
        // 5 one-channel images, 2 to a row, padding 1 of 0.5, normalized over the batch.
        assertGrid(VisionUtils.makeGrid(gray, 2, 1, true, null, false, 0.5), new int[] {3, 13, 11}, 222.5098876953125, 47549.12890625);
        Tensor rgb = sines(36, 0.91, 3, 3, 2, 2);
        assertGrid(VisionUtils.makeGrid(rgb, 8, 2, true, null, true, 0), new int[] {3, 6, 14}, 18.591876983642578, 2410.37548828125);
        Tensor ranged = VisionUtils.makeGrid(rgb, 1, 0, true, new double[] {-0.5, 0.5}, false, 0);
        assertArrayEquals(new int[] {3, 6, 2}, ranged.shape());
        assertEquals(18.011430740356445, ranged.sum().item(), 1e-4);
        assertArrayEquals(new int[] {3, 2, 2}, VisionUtils.makeGrid(rgb.narrow(0, 0, 1)).shape(), "a batch of one is the image itself");
        assertArrayEquals(new int[] {3, 3, 4}, VisionUtils.makeGrid(sines(12, 0.1, 3, 4)).shape(), "an (H, W) image gets three channels");
    }

    @Test
    void savesThePixelsTorchvisionWrites(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("grid.png");
        VisionUtils.saveImage(sines(36, 0.91, 3, 3, 2, 2), file, 2, 1, true);
        Image png = ImageFiles.readRgb(file);
        assertEquals(7, png.height());
        assertEquals(7, png.width());
        long sum = 0;
        for (byte p : png.pixels()) {
            sum += p & 0xff;
        }
        assertEquals(4705, sum, "torchvision's save_image gives the same picture, byte for byte");
        IOException e = assertThrows(IOException.class, () -> VisionUtils.saveImage(Tensor.zeros(3, 2, 2), dir.resolve("x.webp")));
        assertTrue(e.getMessage().contains("no image writer for .webp"), e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> VisionUtils.makeGrid(Tensor.zeros(1, 2, 3, 4, 5)));
        assertTrue(bad.getMessage().contains("make_grid: expected images (B, C, H, W)"), bad.getMessage());
        bad = assertThrows(IllegalArgumentException.class, () -> VisionUtils.makeGrid(Tensor.zeros(2, 3, 4, 4), 0, 2, false));
        assertTrue(bad.getMessage().contains("nrow must be positive"), bad.getMessage());
    }
}
