package dev.cortado.data;

import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Resampling;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertClose;
import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resize and RandomResizedCrop: torchvision's sizes, parameters and fallback; the resampling itself is tested against PyTorch in core. */
class ResizingTest {
    @BeforeAll
    static void cpu() {
        Cortado.setDefaultDevice(Device.CPU);
    }

    @Test
    void resizeScalesTheShorterSideAndTruncatesTheLonger() {
        Tensor wide = Tensor.randn(3, 20, 30);
        assertArrayEquals(new int[] {3, 10, 15}, Transforms.resize(10).apply(wide).shape());
        // 8 · 33 / 20 = 13.2, truncated as torchvision does.
        assertArrayEquals(new int[] {3, 13, 8}, Transforms.resize(8).apply(Tensor.randn(3, 33, 20)).shape());
        assertArrayEquals(new int[] {1, 2, 7, 9}, Transforms.resize(7, 9).apply(Tensor.randn(1, 2, 16, 16)).shape());
        assertClose("antialiased bilinear", Transforms.resize(10).apply(wide), Resampling.bilinearAntialiased(wide, 10, 15, false), 0);
        assertClose("antialiased bicubic", Transforms.resize(10, "bicubic").apply(wide), Resampling.bicubicAntialiased(wide, 10, 15, false), 0);
        assertClose("bicubic to a size", Transforms.resize(7, 9, "bicubic").apply(wide), Resampling.bicubicAntialiased(wide, 7, 9, false), 0);
        assertMessage(() -> Transforms.resize(10, "lanczos"), "Resize: interpolation must be \"bilinear\" or \"bicubic\", got \"lanczos\"");
        assertMessage(() -> Transforms.resize(0), "Resize: size must be positive, got 0");
        assertMessage(() -> Transforms.resize(4).apply(Tensor.ones(3, 0, 5)), "Resize: expected a non-empty image (..., H, W), got (3, 0, 5)");
    }

    /** torchvision's ImageClassification preset: resize, centre crop, scale and normalise, in that order. */
    @Test
    void imageClassificationPresetIsResizeCropAndNormalise() {
        byte[] pixels = new byte[40 * 30 * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 7);
        }
        Image img = new Image(pixels, 30, 40, 3);
        double[] mean = {0.485, 0.456, 0.406};
        double[] std = {0.229, 0.224, 0.225};
        Tensor got = Transforms.imageClassification(24, 16, "bicubic", mean, std).apply(img);
        Tensor want = Transforms.normalize(mean, std).apply(Transforms.centerCrop(16).apply(Transforms.resize(24, "bicubic")
                .apply(Transforms.toTensor().apply(img))));
        assertArrayEquals(new int[] {3, 16, 16}, got.shape());
        assertClose("preset", got, want, 0);
    }

    @Test
    void randomResizedCropIsSeededAndFallsBackToTheCentre() {
        Tensor x = Tensor.randn(3, 24, 32);
        Transform<Tensor, Tensor> t = Transforms.randomResizedCrop(8);
        for (int i = 0; i < 20; i++) {
            Tensor a = SampleRandom.with(5, 1, i, k -> t.apply(x));
            Tensor b = SampleRandom.with(5, 1, i, k -> t.apply(x));
            assertArrayEquals(new int[] {3, 8, 8}, a.shape());
            assertClose("same seed, same crop", a, b, 0);
        }
        Tensor square = x.narrow(1, 0, 6).narrow(2, 0, 6);
        assertClose("the whole square image at scale 1 and ratio 1 is the image", Transforms.randomResizedCrop(6, 6, 1, 1, 1, 1).apply(square),
                square, 1e-6);
        // Ratio 4 cannot fit a 24×32 image at full area: ten misses, then the centre 8×32 (32 / 4 rows).
        Tensor fallback = Transforms.randomResizedCrop(8, 32, 1, 1, 4, 4).apply(x);
        assertClose("centre crop", fallback, x.narrow(1, 8, 8), 1e-6);
        assertMessage(() -> Transforms.randomResizedCrop(8, 8, 0.5, 0.1, 0.75, 1.33),
                "RandomResizedCrop: scale and ratio must be positive ranges (min <= max)");
        Tensor small = Transforms.randomResizedCrop(5, 7, 0.08, 1, 0.75, 1.33).apply(Tensor.randn(1, 3, 3));
        assertTrue(small.shape()[1] == 5 && small.shape()[2] == 7, "a crop of a 3×3 image grows to 5×7");
    }
}
