package dev.cortado.data;

import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AutoAugment, RandAugment, TrivialAugmentWide and AugMix: every operation at three magnitude bins of each
 * space, both signs, nearest and bilinear sampling with and without fill, pixel for pixel against
 * torchvision 0.14's {@code _apply_op} on uint8 images ({@code augment/make_augment.py}); how the
 * policies draw; and the errors.
 */
class AutoAugmentTest {
    @BeforeAll
    static void onTheCpu() {
        Cortado.setDefaultDevice(Device.CPU);
    }

    private static Image image(String[] f, int from) {
        int c = Integer.parseInt(f[from]), h = Integer.parseInt(f[from + 1]), w = Integer.parseInt(f[from + 2]);
        return chw(f, from + 3, c, h, w);
    }

    /** An image from CHW values (torchvision's layout) starting at f[from]. */
    private static Image chw(String[] f, int from, int c, int h, int w) {
        byte[] px = new byte[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int p = 0; p < h * w; p++) {
                px[p * c + ch] = (byte) Integer.parseInt(f[from + ch * h * w + p]);
            }
        }
        return new Image(px, h, w, c);
    }

    @Test
    void everyOperationMatchesTorchvisionPixelForPixel() throws IOException {
        List<Image> images = new ArrayList<>();
        int cases = 0;
        Set<String> ops = new HashSet<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new java.util.zip.GZIPInputStream(
                AutoAugmentTest.class.getResourceAsStream("/augment/augment_cases.txt.gz")), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split(" ");
                if (f[0].equals("image")) {
                    images.add(image(f, 1));
                    continue;
                }
                AutoAugment.Space space = AutoAugment.Space.valueOf(switch (f[1]) {
                    case "auto" -> "AUTO";
                    case "rand" -> "RAND";
                    case "augmix" -> "AUGMIX";
                    default -> "WIDE";
                });
                String op = f[2];
                int bin = Integer.parseInt(f[3]);
                int sign = Integer.parseInt(f[4]);
                boolean bilinear = f[5].equals("1");
                double[] fill = f[6].equals("-") ? null : new double[] {Double.parseDouble(f[6])};
                Image img = images.get(Integer.parseInt(f[7]));
                double magnitude = Double.parseDouble(f[8]);
                int bins = f[1].equals("auto") || f[1].equals("augmix") ? 10 : 31;
                if (bin >= 0) {
                    // torch.linspace's vectorised fill can differ from the formula in the last bit; translations are truncated anyway.
                    double mine = sign * space.magnitude(op, bin, bins, img.height(), img.width());
                    assertEquals(magnitude, mine, 1e-6 * Math.max(1, Math.abs(magnitude)), line.substring(0, 40));
                }
                Image got = AutoAugment.apply(img, op, magnitude, new AutoAugment.Options(bilinear, fill));
                Image want = chw(f, 9, img.channels(), img.height(), img.width());
                assertArrayEquals(want.pixels(), got.pixels(), String.join(" ", java.util.Arrays.copyOf(f, 9)));
                ops.add(op);
                cases++;
            }
        }
        assertEquals(15, ops.size(), "every operation: " + ops);
        assertTrue(cases > 600, "cases: " + cases);
    }

    @Test
    void policiesDrawRepeatablyAndStayOnTheGrid() {
        Image img = new Image(new byte[3 * 16 * 16], 16, 16, 3);
        for (int i = 0; i < img.pixels().length; i++) {
            img.pixels()[i] = (byte) (i * 37 % 200 + 20);
        }
        List<Transform<Image, Image>> transforms = List.of(AutoAugment.autoAugment(AutoAugment.Policy.CIFAR10),
                AutoAugment.autoAugment(AutoAugment.Policy.IMAGENET), AutoAugment.autoAugment(AutoAugment.Policy.SVHN),
                AutoAugment.randAugment(2, 9, 31), AutoAugment.trivialAugmentWide(31), AutoAugment.augMix());
        for (Transform<Image, Image> t : transforms) {
            Set<String> outcomes = new HashSet<>();
            for (int sample = 0; sample < 40; sample++) {
                int s = sample;
                Image a = SampleRandom.with(7, 0, s, i -> t.apply(img));
                Image b = SampleRandom.with(7, 0, s, i -> t.apply(img));
                assertArrayEquals(a.pixels(), b.pixels(), "one seed, one sample: one image");
                assertEquals(List.of(16, 16, 3), List.of(a.height(), a.width(), a.channels()));
                outcomes.add(java.util.Arrays.toString(a.pixels()));
            }
            assertTrue(outcomes.size() > 5, "the draws vary: " + outcomes.size() + " distinct images in 40");
        }
        Image same = SampleRandom.with(1, 0, 0, i -> AutoAugment.randAugment(0, 9, 31).apply(img));
        assertSame(img, same, "no operations leave the image as it is");
    }

    @Test
    void operationsOnTheirOwn() {
        Image img = new Image(new byte[] {0, 64, (byte) 128, (byte) 255}, 2, 2, 1);
        assertArrayEquals(new byte[] {(byte) 255, (byte) 191, 127, 0}, ImageOps.invert(img).pixels());
        assertArrayEquals(new byte[] {0, 64, (byte) 128, (byte) 192}, ImageOps.posterize(img, 2).pixels());
        assertArrayEquals(new byte[] {0, 64, 127, 0}, ImageOps.solarize(img, 128).pixels());
        assertSame(img, ImageOps.adjustSaturation(img, 0.3), "one channel: saturation does nothing, as PIL");
        assertSame(img, ImageOps.adjustSharpness(img, 2), "images of 2 pixels or fewer a side are left as they are");
        Image flat = new Image(new byte[] {9, 9, 9, 9}, 2, 2, 1);
        assertArrayEquals(flat.pixels(), ImageOps.autocontrast(flat).pixels());
        assertArrayEquals(flat.pixels(), ImageOps.equalize(flat).pixels());
    }

    /** AugMix's weights: Dirichlet draws that sum to 1 with mean 1/k, Gamma draws with mean alpha; its float32 sum truncated. */
    @Test
    void augMixMixesWithDirichletWeights() {
        dev.cortado.tensor.Generator g = new dev.cortado.tensor.Generator(3);
        double[] mean = new double[3];
        int n = 4000;
        for (int i = 0; i < n; i++) {
            double[] w = AutoAugment.dirichlet(g, 1.0, 3);
            assertEquals(1, w[0] + w[1] + w[2], 1e-12);
            for (int k = 0; k < 3; k++) {
                mean[k] += w[k] / n;
            }
        }
        for (double m : mean) {
            assertEquals(1.0 / 3, m, 0.02);
        }
        for (double alpha : new double[] {0.3, 1, 4}) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += AutoAugment.gamma(g, alpha);
            }
            assertEquals(alpha, sum / n, 0.08 * alpha, "Gamma(" + alpha + ") has mean alpha");
        }
        Image a = new Image(new byte[] {10, (byte) 200}, 1, 2, 1);
        Image b = new Image(new byte[] {20, 0}, 1, 2, 1);
        // 0.5 · 10 + 0.25 · 20 + 0.25 · 20 = 15; 0.5 · 200 = 100.
        assertArrayEquals(new byte[] {15, 100}, AutoAugment.mix(a, 0.5f, new Image[] {b, b}, new float[] {0.25f, 0.25f}).pixels());
    }

    /** A tensor image goes to 8 bits and back unchanged, so the 8-bit policies serve tensor data sets too. */
    @Test
    void tensorImagesConvertToEightBitsAndBack() {
        Image img = new Image(new byte[] {0, 1, 127, (byte) 128, (byte) 254, (byte) 255}, 1, 2, 3);
        Tensor t = Transforms.toTensor().apply(img);
        assertArrayEquals(img.pixels(), Transforms.toImage().apply(t).pixels(), "k / 255 comes back as k");
        Tensor back = Transforms.toImage().andThen(AutoAugment.trivialAugmentWide(31)).andThen(Transforms.toTensor()).apply(t);
        assertArrayEquals(new int[] {3, 1, 2}, back.shape());
        assertMessage(() -> Transforms.toImage().apply(t.sub(0.5)), "ConvertImageDtype: values must be in [0, 1]", "got -0.5");
        assertMessage(() -> Transforms.toImage().apply(Tensor.zeros(4, 4)), "expected a (C, H, W) image, got (4, 4)");
    }

    @Test
    void badArgumentsAreNamed() {
        Image two = new Image(new byte[8], 2, 2, 2);
        Image rgb = new Image(new byte[12], 2, 2, 3);
        assertMessage(() -> ImageOps.equalize(two), "equalize: expects an image of 1 or 3 channels, got 2");
        assertMessage(() -> ImageOps.posterize(rgb, 9), "posterize: bits must be in [0, 8], got 9");
        assertMessage(() -> ImageOps.solarize(rgb, 300), "solarize: threshold must not exceed 255");
        assertMessage(() -> ImageOps.adjustContrast(rgb, -0.5), "adjust_contrast: contrast_factor (-0.5) is not non-negative");
        assertMessage(() -> ImageOps.affine(rgb, 0, 0, 0, 1, 0, 0, null, false, new double[] {1, 2}), "affine: fill needs 1 or 3 values, got 2");
        assertMessage(() -> AutoAugment.randAugment(2, 31, 31), "RandAugment: needs", "got 2, 31 and 31");
        assertMessage(() -> AutoAugment.trivialAugmentWide(1), "TrivialAugmentWide: num_magnitude_bins must be at least 2, got 1");
        assertMessage(() -> AutoAugment.augMix(11, 3, -1, 1, true, AutoAugment.Options.DEFAULT), "AugMix: the severity must be between [1, 10], got 11");
        assertMessage(() -> AutoAugment.augMix(3, 0, -1, 1, true, AutoAugment.Options.DEFAULT), "AugMix: mixture_width and alpha must be positive");
        assertMessage(() -> AutoAugment.apply(rgb, "Blur", 1, AutoAugment.Options.DEFAULT), "AutoAugment: unknown operation \"Blur\"");
    }
}
