package dev.cortado.nn;

import dev.cortado.autograd.Gradcheck;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.ReferenceBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertClose;
import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** F.interpolate and Upsample on the CPU, against what PyTorch 1.13 prints (rounded to 6 decimals) for the same calls. */
class InterpolationTest {
    private static final double TOL = 2e-6;

    @BeforeAll
    static void cpu() {
        Cortado.setDefaultDevice(Device.CPU);
    }

    /** (torch.arange(30.).reshape(1, 2, 3, 5) ** 1.3) / 7 */
    private static Tensor x() {
        return Tensor.arange(30).to(DType.FLOAT32).pow(1.3).div(7).reshape(1, 2, 3, 5);
    }

    private static Tensor t(double[] v, int... shape) {
        return Tensor.fromArray(v, shape, Device.CPU);
    }

    /** The six distinct values of each input row, as PyTorch prints them. */
    private static final double[][] ROWS = {
            {0.0, 0.142857, 0.351756, 0.595881, 0.866124}, {1.157612, 1.467231, 1.79279, 2.132647, 2.485519},
            {2.850374, 3.226357, 3.612747, 4.008928, 4.414366}, {4.828593, 5.251193, 5.681795, 6.120068, 6.565709},
            {7.018445, 7.478027, 7.944223, 8.416822, 8.895627}, {9.380456, 9.87114, 10.367518, 10.869446, 11.37678}};

    /** x's rows and columns picked at the given positions, as nearest neighbour picks them. */
    private static Tensor picked(long[] rows, long[] cols) {
        double[] v = new double[2 * rows.length * cols.length];
        int k = 0;
        for (int c = 0; c < 2; c++) {
            for (long r : rows) {
                for (long w : cols) {
                    v[k++] = ROWS[c * 3 + (int) r][(int) w];
                }
            }
        }
        return t(v, 1, 2, rows.length, cols.length);
    }

    @Test
    void nearestPicksPyTorchsPixels() {
        assertClose("scale 2", F.interpolate(x(), 2), picked(new long[] {0, 0, 1, 1, 2, 2}, new long[] {0, 0, 1, 1, 2, 2, 3, 3, 4, 4}), TOL);
        // size (4, 7): rows floor(i * 0.75), columns floor(i * 5/7); scale 1.5 gives the same pixels here.
        Tensor expected = picked(new long[] {0, 0, 1, 2}, new long[] {0, 0, 1, 2, 2, 3, 4});
        assertClose("size (4, 7)", F.interpolate(x(), new int[] {4, 7}, InterpolationMode.NEAREST, false), expected, TOL);
        assertClose("scale 1.5", F.interpolate(x(), 1.5), expected, TOL);
    }

    @Test
    void bilinearBlendsAsPyTorch() {
        assertClose("size (4, 7)", F.interpolate(x(), new int[] {4, 7}, InterpolationMode.BILINEAR, false), t(new double[] {
                0.0, 0.081633, 0.202542, 0.351756, 0.526131, 0.711699, 0.866124, 0.723507, 0.864698, 1.051108, 1.252402, 1.469514, 1.694311,
                1.878246, 1.792398, 1.983544, 2.226438, 2.475274, 2.733115, 2.995931, 3.208837, 2.850374, 3.065222, 3.336754, 3.612747,
                3.895733, 4.182687, 4.414366, 4.828593, 5.070078, 5.374222, 5.681795, 5.994847, 6.311057, 6.565709, 6.197251, 6.451944,
                6.772349, 7.095812, 7.424189, 7.755412, 8.021908, 7.9042, 8.173482, 8.511877, 8.852959, 9.198386, 9.546343, 9.826059,
                9.380456, 9.660847, 10.012962, 10.367518, 10.726038, 11.086875, 11.37678}, 1, 2, 4, 7), TOL);
        assertClose("size (4, 7), align_corners", F.interpolate(x(), new int[] {4, 7}, InterpolationMode.BILINEAR, true), t(new double[] {
                0.0, 0.095238, 0.21249, 0.351756, 0.514506, 0.685962, 0.866124, 0.771741, 0.941096, 1.12133, 1.312445, 1.517743, 1.728835,
                1.945721, 1.721866, 1.943026, 2.168885, 2.399442, 2.63853, 2.881539, 3.128469, 2.850374, 3.101029, 3.355154, 3.612747,
                3.876868, 4.144074, 4.414366, 4.828593, 5.110326, 5.394727, 5.681795, 5.973977, 6.268615, 6.565709, 6.288495, 6.586664,
                6.887193, 7.19008, 7.497519, 7.807154, 8.118988, 7.805782, 8.119081, 8.434484, 8.751988, 9.073572, 9.397135, 9.722678,
                9.380456, 9.707579, 10.036599, 10.367518, 10.702136, 11.038557, 11.37678}, 1, 2, 4, 7), TOL);
        assertClose("scale (1.5, 0.5)", F.interpolate(x(), new double[] {1.5, 0.5}, InterpolationMode.BILINEAR, false), t(new double[] {
                0.071429, 0.473818, 0.691925, 1.218268, 1.600079, 2.270738, 2.750708, 3.502817, 5.039893, 5.900931, 6.144065, 7.040727,
                7.644496, 8.586849, 9.229537, 10.212156}, 1, 2, 4, 2), TOL);
        assertClose("size (2, 2)", F.interpolate(x(), new int[] {2, 2}, InterpolationMode.BILINEAR, false), t(new double[] {
                0.427814, 1.052797, 2.696727, 3.637932, 5.69994, 6.807739, 9.152134, 10.38134}, 1, 2, 2, 2), TOL);
    }

    @Test
    void gradientsAsPyTorch() {
        double[] g = new double[56];
        for (int i = 0; i < 56; i++) {
            g[i] = i % 5;
        }
        Tensor a = x().requiresGrad_(true);
        F.interpolate(a, new int[] {4, 7}, InterpolationMode.BILINEAR, false).backward(t(g, 1, 2, 4, 7));
        assertClose("bilinear", a.grad(), t(new double[] {1.660714, 3.714286, 5.25, 3.553572, 2.446429, 4.553572, 3.303571, 2.857143,
                3.928571, 3.482143, 3.357143, 3.553571, 6.035714, 2.232143, 3.071429, 4.875, 3.035714, 3.339285, 4.214286, 5.660715,
                2.321429, 4.107142, 3.839286, 2.946429, 3.035714, 5.232143, 2.428571, 3.678571, 5.125, 3.160715}, 1, 2, 3, 5), TOL);
        Tensor b = x().requiresGrad_(true);
        F.interpolate(b, new int[] {4, 7}, InterpolationMode.NEAREST, false).backward(t(g, 1, 2, 4, 7));
        assertClose("nearest", b.grad(), t(new double[] {6, 6, 8, 2, 4, 4, 1, 5, 4, 0, 3, 3, 4, 1, 2, 8, 2, 10, 3, 5, 5, 4, 1, 2, 3, 4, 1, 5,
                4, 0}, 1, 2, 3, 5), 0);
        Tensor r = dev.cortado.testing.Inputs.randn(5, ReferenceBackend.DEVICE, 2, 1, 3, 4);
        Gradcheck.check(in -> F.interpolate(in[0], new int[] {5, 3}, InterpolationMode.BILINEAR, false), r);
        Gradcheck.check(in -> F.interpolate(in[0], new double[] {2.5}, InterpolationMode.BILINEAR, true), r);
        Gradcheck.check(in -> F.interpolate(in[0], new int[] {7, 2}, InterpolationMode.NEAREST, false), r);
    }

    private static void expect(String name, int[] shape, java.util.function.Function<Tensor, Tensor> f, int[] outShape, double sum, double grad) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        Tensor x = dev.cortado.testing.Inputs.waveLeaf(n, 0.37, false, shape);
        dev.cortado.testing.Inputs.assertWaveSums(name, () -> f.apply(x), new Tensor[] {x}, outShape, sum, grad);
    }

    @Test
    void oneAndThreeSpatialDimsNearestExactAndAreaArePyTorchs() {
        int[] line = {2, 3, 7};
        expect("linear", line, x -> F.interpolate(x, new int[] {11}, InterpolationMode.LINEAR, false), new int[] {2, 3, 11}, 8.217330932617188,
                0.6249493360519409);
        expect("linear, aligned", line, x -> F.interpolate(x, new int[] {4}, InterpolationMode.LINEAR, true), new int[] {2, 3, 4}, 2.749500036239624,
                -0.6956790685653687);
        expect("nearest 1-d", line, x -> F.interpolate(x, new double[] {1.7}, InterpolationMode.NEAREST, false), new int[] {2, 3, 11},
                8.065550804138184, 0.8154334425926208);
        expect("nearest-exact 1-d", line, x -> F.interpolate(x, new double[] {1.7}, InterpolationMode.NEAREST_EXACT, false), new int[] {2, 3, 11},
                8.172346115112305, 0.3757317066192627);
        expect("area 1-d", line, x -> F.interpolate(x, new int[] {3}, InterpolationMode.AREA, false), new int[] {2, 3, 3}, 2.361345052719116,
                0.6902742981910706);
        int[] image = {2, 2, 5, 6};
        expect("nearest-exact 2-d", image, x -> F.interpolate(x, new int[] {7, 4}, InterpolationMode.NEAREST_EXACT, false), new int[] {2, 2, 7, 4},
                0.04581338167190552, -0.013905525207519531);
        expect("area 2-d", image, x -> F.interpolate(x, new int[] {3, 4}, InterpolationMode.AREA, false), new int[] {2, 2, 3, 4},
                0.022890431806445122, 0.22710084915161133);
        int[] volume = {1, 2, 3, 4, 5};
        expect("trilinear", volume, x -> F.interpolate(x, new int[] {5, 3, 7}, InterpolationMode.TRILINEAR, false), new int[] {1, 2, 5, 3, 7},
                0.0729418396949768, -2.2610628604888916);
        expect("trilinear, aligned, by scale", volume, x -> F.interpolate(x, new double[] {2, 1.5, 0.6}, InterpolationMode.TRILINEAR, true),
                new int[] {1, 2, 6, 6, 3}, 0.03370964527130127, -0.4869086742401123);
        expect("nearest 3-d", volume, x -> F.interpolate(x, new int[] {5, 3, 7}, InterpolationMode.NEAREST, false), new int[] {1, 2, 5, 3, 7},
                1.8816156387329102, 2.2657456398010254);
        expect("nearest-exact 3-d", volume, x -> F.interpolate(x, new double[] {1.5}, InterpolationMode.NEAREST_EXACT, false),
                new int[] {1, 2, 4, 6, 7}, 1.7264457941055298, 7.629330158233643);
        expect("area 3-d", volume, x -> F.interpolate(x, new int[] {2, 3, 2}, InterpolationMode.AREA, false), new int[] {1, 2, 2, 3, 2},
                -0.003440752625465393, 0.022491276264190674);
        assertEquals("Upsample(scale_factor=2.0, mode=nearest-exact)", new Upsample(2, InterpolationMode.NEAREST_EXACT, false).toString());
        assertEquals("Upsample(size=(4, 5, 6), mode=trilinear)", new Upsample(new int[] {4, 5, 6}, InterpolationMode.TRILINEAR, true).toString());
    }

    @Test
    void modesRefuseInputsOfAnotherRank() {
        assertMessage(() -> F.interpolate(Tensor.ones(1, 2, 3, 4), new int[] {5, 6}, InterpolationMode.TRILINEAR, false),
                "interpolate: got a 4-d input (1, 2, 3, 4), but trilinear mode needs a 5-d (N, C, D, H, W) input");
        assertMessage(() -> F.interpolate(Tensor.ones(1, 2, 3, 4, 5), new int[] {5, 6, 7}, InterpolationMode.BICUBIC, false),
                "interpolate: got a 5-d input (1, 2, 3, 4, 5), but bicubic mode needs a 4-d (N, C, H, W) input");
        assertMessage(() -> F.interpolate(Tensor.ones(2, 3), new int[] {5}, InterpolationMode.NEAREST, false),
                "interpolate: expected a 3-d (N, C, L), 4-d (N, C, H, W) or 5-d (N, C, D, H, W) input, got (2, 3)");
        assertMessage(() -> F.interpolate(Tensor.ones(1, 2, 3, 4, 5), new int[] {5, 6}, InterpolationMode.NEAREST, false),
                "interpolate: size must give the output's D, H and W, got (5, 6)");
        assertMessage(() -> F.interpolate(Tensor.ones(1, 2, 3), new int[] {5}, InterpolationMode.AREA, true),
                "interpolate: align_corners can only be set with the interpolating modes (linear, bilinear, bicubic, trilinear), not area");
        assertMessage(() -> F.interpolate(Tensor.ones(1, 2, 3, 4), new int[] {2, 2}, InterpolationMode.AREA, false, true),
                "interpolate: anti-alias option is only supported for bilinear and bicubic modes, got area");
        assertMessage(() -> F.interpolate(Tensor.ones(1, 2, 3), new double[] {0.2}, InterpolationMode.LINEAR, false),
                "interpolate: input and output sizes must be greater than 0, got input (L: 3) and output (L: 0)");
        assertMessage(() -> F.gridSample(Tensor.ones(1, 1, 3, 3), Tensor.zeros(1, 2, 2, 2), InterpolationMode.AREA, GridPadding.ZEROS, false),
                "grid_sample: mode area is not supported; use bilinear or nearest");
    }

    @Test
    void upsampleLayer() {
        Upsample up = new Upsample(2, InterpolationMode.BILINEAR, false);
        assertEquals("Upsample(scale_factor=2.0, mode=bilinear)", up.toString());
        assertEquals("Upsample(size=(4, 7), mode=nearest)", new Upsample(new int[] {4, 7}, InterpolationMode.NEAREST, false).toString());
        assertArrayEquals(new int[] {1, 2, 6, 10}, up.forward(x()).shape());
        assertClose("nearest layer", new Upsample(2).forward(x()), F.interpolate(x(), 2), 0);
        assertEquals("Upsample(scale_factor=2.0, mode=bilinear)", new Upsample(2, InterpolationMode.BILINEAR, true).toString(),
                "PyTorch leaves align_corners out of the repr");
    }

    @Test
    void upsamplingNearestAndBilinear2dAreUpsampleInTheirModes() {
        Tensor x = Tensor.arange(6).reshape(1, 1, 2, 3);
        // PyTorch 1.13: nn.UpsamplingBilinear2d(scale_factor=2)(arange(6.).reshape(1, 1, 2, 3)), aligned corners.
        assertClose("bilinear", new UpsamplingBilinear2d(2).forward(x), Tensor.fromArray(new float[] {0, 0.4f, 0.8f, 1.2f, 1.6f, 2, 1, 1.4f, 1.8f, 2.2f,
                2.6f, 3, 2, 2.4f, 2.8f, 3.2f, 3.6f, 4, 3, 3.4f, 3.8f, 4.2f, 4.6f, 5}, 1, 1, 4, 6), 1e-6);
        assertClose("nearest", new UpsamplingNearest2d(new int[] {3, 4}).forward(x), Tensor.fromArray(new float[] {0, 0, 1, 2, 0, 0, 1, 2, 3, 3, 4, 5},
                1, 1, 3, 4), 0);
        assertEquals("UpsamplingNearest2d(scale_factor=2.0, mode=nearest)", new UpsamplingNearest2d(2).toString());
        assertEquals("UpsamplingBilinear2d(size=(3, 4), mode=bilinear)", new UpsamplingBilinear2d(new int[] {3, 4}).toString());
        assertMessage(() -> new UpsamplingBilinear2d(0), "UpsamplingBilinear2d: scale_factor must be positive, got 0.0");
    }

    @Test
    void errors() {
        assertMessage(() -> F.interpolate(x(), new int[] {0, 7}, InterpolationMode.NEAREST, false), "interpolate",
                "input (H: 3, W: 5) and output (H: 0, W: 7)");
        assertMessage(() -> F.interpolate(x().select(0, 0), new int[] {4, 7}, InterpolationMode.BILINEAR, false), "interpolate",
                "(N, C, H, W)", "(2, 3, 5)");
        assertMessage(() -> F.interpolate(x(), new int[] {4, 7}, InterpolationMode.NEAREST, true), "align_corners", "bilinear");
        assertMessage(() -> F.interpolate(x(), new int[] {4}, InterpolationMode.NEAREST, false), "interpolate: size", "(4,)");
        assertMessage(() -> F.interpolate(x(), new double[] {1, 2, 3}, InterpolationMode.NEAREST, false), "scale_factor", "3 values");
        assertMessage(() -> new Upsample(-2), "Upsample: scale_factor must be positive");
        assertMessage(() -> new Upsample(2, InterpolationMode.NEAREST, true), "Upsample: align_corners");
    }

    @Test
    void antialiasedBilinearTakesPyTorchsScaleFactor() {
        Tensor x = dev.cortado.testing.Inputs.wave(2 * 11 * 13, 0.37, false, 1, 2, 11, 13);
        Tensor y = F.interpolate(x, new double[] {0.4, 0.35}, InterpolationMode.BILINEAR, false, true);
        assertArrayEquals(new int[] {1, 2, 4, 4}, y.shape());
        // PyTorch 1.13: positions map by 1 / factor, not by 11 / 4 and 13 / 4.
        org.junit.jupiter.api.Assertions.assertEquals(0.1823754906654358, y.sum().item(), 2e-6);
        dev.cortado.testing.Inputs.assertClose("first values", y.reshape(-1).narrow(0, 0, 3),
                Tensor.fromArray(new double[] {-0.2978048324584961, 0.05081290751695633, 0.3572619557380676}, 3), 1e-6);
        dev.cortado.testing.Inputs.assertClose("by size", F.interpolate(x, new int[] {5, 6}, InterpolationMode.BILINEAR, false, true),
                dev.cortado.tensor.Resampling.bilinearAntialiased(x, 5, 6, false), 0);
        dev.cortado.testing.Inputs.assertClose("bicubic by size", F.interpolate(x, new int[] {5, 6}, InterpolationMode.BICUBIC, false, true),
                dev.cortado.tensor.Resampling.bicubicAntialiased(x, 5, 6, false), 0);
        dev.cortado.testing.Inputs.assertMessage(() -> F.interpolate(x, new int[] {3, 3}, InterpolationMode.NEAREST, false, true),
                "interpolate: anti-alias option is only supported for bilinear and bicubic modes, got nearest");
    }

    /** Bicubic (Keys, a = -0.75, edges clamped), against PyTorch's sums of the output and of the input gradient for a wave. */
    @Test
    void bicubicMatchesPyTorch() {
        Tensor x = dev.cortado.testing.Inputs.waveLeaf(60, 0.3, false, 1, 2, 5, 6);
        dev.cortado.testing.Inputs.assertWaveSums("upscaled", () -> F.interpolate(x, new int[] {8, 7}, InterpolationMode.BICUBIC, false),
                new Tensor[] {x}, new int[] {1, 2, 8, 7}, 2.776839017868042, -0.21097278594970703);
        Tensor y = dev.cortado.testing.Inputs.waveLeaf(60, 0.3, false, 1, 2, 5, 6);
        dev.cortado.testing.Inputs.assertWaveSums("align corners", () -> F.interpolate(y, new int[] {9, 4}, InterpolationMode.BICUBIC, true),
                new Tensor[] {y}, new int[] {1, 2, 9, 4}, 1.149659276008606, 1.5272088050842285);
        Tensor z = dev.cortado.testing.Inputs.waveLeaf(60, 0.3, false, 1, 2, 5, 6);
        dev.cortado.testing.Inputs.assertWaveSums("scale 1.7", () -> F.interpolate(z, new double[] {1.7}, InterpolationMode.BICUBIC, false),
                new Tensor[] {z}, new int[] {1, 2, 8, 10}, 4.199256420135498, -5.453219890594482);
        Tensor d = dev.cortado.testing.Inputs.waveLeaf(144, 0.3, false, 1, 1, 12, 12);
        dev.cortado.testing.Inputs.assertWaveSums("downscaled", () -> F.interpolate(d, new int[] {5, 4}, InterpolationMode.BICUBIC, false),
                new Tensor[] {d}, new int[] {1, 1, 5, 4}, -4.081934928894043, 0.901161789894104);
        Tensor ramp = Tensor.arange(0.0, 4.0, 1.0).reshape(1, 1, 1, 4);
        assertArrayEquals(new float[] {-0.09921646118164062f, 0.2792450189590454f, 0.8965920805931091f, 1.5000001192092896f, 2.1034069061279297f,
                2.7207539081573486f, 3.0992164611816406f}, F.interpolate(ramp, new int[] {1, 7}, InterpolationMode.BICUBIC, false).toFloatArray(), 4e-6f,
                "overshoot at the ends, as Keys' cubic has (the weights' polynomials cancel, so float roundings differ by a few 1e-6)");
        Gradcheck.check(in -> F.interpolate(in[0], new int[] {5, 3}, InterpolationMode.BICUBIC, false),
                dev.cortado.testing.Inputs.randn(6, ReferenceBackend.DEVICE, 1, 1, 3, 4));
        assertMessage(() -> F.gridSample(Tensor.zeros(1, 1, 2, 2), Tensor.zeros(1, 1, 1, 2), InterpolationMode.BICUBIC, GridPadding.ZEROS, false),
                "grid_sample: mode bicubic is not supported");
    }
}
