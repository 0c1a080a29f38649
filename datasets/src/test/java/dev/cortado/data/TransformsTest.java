package dev.cortado.data;

import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Generator;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The geometric transforms: torchvision's affine (the expected images come from torchvision's
 * grid and mask steps replayed with PyTorch 1.13's own grid_sample), translations and quarter
 * turns checked pixel by pixel, and the random forms' ranges.
 */
class TransformsTest {
    @BeforeAll
    static void cpu() {
        Cortado.setDefaultDevice(Device.CPU);
    }

    private static Tensor image() {
        float[] v = new float[60];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin((float) i * 0.37f);
        }
        return Tensor.fromArray(v, 2, 5, 6);
    }

    private static final float[][] EXPECTED = {
        {0.36796036f, 0.67930478f, 0.67930478f, -0.89264756f, -0.66923970f, -0.52983618f, 0.51822811f, 0.17388949f, 0.89870816f, 0.99647564f, 0.99647564f, -0.35525349f, 0.00000000f, -0.19398426f, -0.19398426f, -0.53560317f, 0.95937473f, 0.95937473f, 0.00000000f, 0.00000000f, 0.00000000f, -0.53560317f, -0.80473125f, -0.96494204f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, -0.96494204f, -0.88642132f, -0.65904993f, -0.65904993f, -0.54134625f, -0.80875742f, 0.78825194f, 0.90460140f, 0.99752629f, -0.34248063f, 0.02044349f, 0.02044349f, -0.96670824f, 0.00000000f, 0.95544016f, 0.95544016f, 0.78404027f, 0.38059890f, 0.38059890f, 0.00000000f, 0.00000000f, 0.00000000f, 0.78404027f, 0.50652313f, 0.16045208f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.16045208f},
        {0.41449171f, 0.57183999f, 0.12465767f, -0.49200201f, -0.58278078f, -0.42414728f, 0.25796944f, 0.26775488f, 0.51726413f, 0.83257967f, 0.22298098f, -0.22836915f, 0.00232060f, -0.00550452f, -0.24272607f, 0.00319405f, 0.57276022f, 0.69113612f, 0.00000000f, 0.00000000f, -0.01859906f, -0.25141606f, -0.74618930f, -0.12931500f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, -0.09196109f, -0.29645383f, -0.06218470f, -0.65749198f, -0.45789087f, -0.51885384f, -0.41019467f, 0.19901042f, 0.63263685f, 0.61031646f, 0.07560880f, -0.17919284f, -0.35310632f, -0.83635324f, 0.00946432f, 0.25862050f, 0.79193974f, 0.51768202f, 0.34588939f, 0.23889036f, 0.00000000f, 0.00000000f, 0.03706715f, 0.26543570f, 0.46585479f, 0.41118917f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.03350300f, 0.04929481f},
        {0.51822811f, 0.51822811f, -0.96313095f, -0.96313095f, 0.00000000f, 0.00000000f, 0.17388949f, 0.17388949f, -0.99523979f, -0.99523979f, 0.36161545f, 0.36161545f, -0.19398426f, -0.19398426f, -0.89264756f, -0.89264756f, 0.67428792f, 0.67428792f, -0.80473125f, -0.80473125f, -0.35525349f, -0.35525349f, 0.99588084f, 0.99588084f, -0.80473125f, -0.80473125f, -0.35525349f, -0.35525349f, 0.99588084f, 0.99588084f, 0.90460140f, 0.90460140f, 0.16717467f, 0.16717467f, -0.99455255f, -0.99455255f, 0.99752629f, 0.99752629f, -0.20066491f, -0.20066491f, -0.88955510f, -0.88955510f, 0.95544016f, 0.95544016f, -0.54134625f, -0.54134625f, -0.66416061f, -0.66416061f, 0.50652313f, 0.50652313f, -0.96670824f, -0.96670824f, 0.01362889f, 0.01362889f, 0.50652313f, 0.50652313f, -0.96670824f, -0.96670824f, 0.01362889f, 0.01362889f},
        {0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00185749f, 0.14816220f, 0.61386460f, 0.00000000f, 0.00000000f, 0.00000000f, 0.41372138f, 0.32842219f, -0.32965240f, 0.00000000f, 0.00000000f, 0.16868913f, -0.11433778f, -0.69859117f, -0.34045348f, 0.00000000f, 0.00000000f, -0.01255096f, -0.03673470f, 0.78670990f, 0.43548453f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, -0.00294676f, -0.08449762f, -0.03041825f, 0.00000000f, 0.00000000f, -0.60722983f, -0.41634083f, 0.39423689f, 0.86566609f, 0.00000000f, 0.00000000f, 0.16738245f, 0.41741544f, -0.23473853f, -0.66341704f, 0.00000000f, 0.00000000f, -0.00276662f, -0.50876379f, -0.47058371f, 0.26608735f},
    };

    /** Sheared warps, expected images from the same replay of torchvision's steps with its shear matrix. */
    private static final float[][] SHEARED = {
        {0.36796036f, 0.67930478f, 0.89870816f, -0.89264756f, -0.66923970f, -0.18729459f, 0.17388949f, -0.19398426f, 0.89870816f, 0.99647564f, 0.99647564f, -0.35525349f, 0.00000000f, -0.19398426f, -0.53560317f, -0.53560317f, 0.95937473f, 0.79242700f, 0.00000000f, 0.00000000f, 0.00000000f, -0.80473125f, -0.96494204f, -0.96494204f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, -0.88642132f, -0.65904993f, -0.34248063f, -0.54134625f, -0.80875742f, 0.95742983f, 0.99752635f, 0.95544016f, -0.34248063f, 0.02044349f, 0.02044349f, -0.96670824f, 0.00000000f, 0.95544016f, 0.78404027f, 0.78404027f, 0.38059890f, 0.68924367f, 0.00000000f, 0.00000000f, 0.00000000f, 0.50652313f, 0.16045208f, 0.16045208f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f},
        {0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.07157405f, 0.10175770f, 0.08855931f, 0.00000000f, 0.00000000f, 0.30552402f, 0.50638086f, 0.31780654f, 0.16556868f, 0.00000000f, 0.00000000f, -0.21506417f, -0.82140315f, -0.84005690f, -0.62580967f, 0.00000000f, 0.00000000f, 0.07491169f, 0.44936630f, 0.50047433f, 0.54791176f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, -0.17230330f, -0.17849845f, -0.08720346f, -0.02097492f, 0.00000000f, 0.00000000f, 0.19283342f, 0.47292265f, 0.51188004f, 0.48830089f, 0.00000000f, 0.00000000f, -0.00476300f, -0.16457461f, -0.50532818f, -0.76177430f, 0.00000000f, 0.00000000f, 0.00227533f, -0.01070722f, 0.08742957f, 0.23645192f},
        {0.00000000f, 0.00000000f, 0.67428792f, 0.89569867f, -0.52983618f, -0.80066687f, 0.00000000f, 0.36161545f, 0.18059623f, -0.18729459f, -0.35525349f, 0.00681460f, 0.79656547f, 0.52404422f, -0.89264756f, -0.66923970f, 0.95937473f, 0.79242700f, -0.96313095f, -0.99523985f, 0.89870816f, 0.99647564f, -0.80473125f, -0.96494204f, 0.36796036f, 0.67930478f, -0.19398426f, -0.53560317f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, -0.66416061f, -0.34887516f, 0.78825194f, 0.51238793f, -0.99455255f, -0.88955510f, 0.99702412f, 0.95742983f, -0.96670824f, -0.99381924f, 0.68428963f, 0.90167600f, -0.54134625f, -0.80875742f, 0.38059890f, 0.68924367f, 0.16717467f, -0.20066491f, -0.34248063f, 0.02044349f, 0.50652313f, 0.16045208f, -0.88642132f, -0.65904993f, 0.95544016f, 0.78404027f, 0.00000000f, 0.00000000f},
    };

    @Test
    void shearMatchesTorchvisionsMatrix() {
        Tensor x = image();
        assertArrayEquals(SHEARED[0], Transforms.affine(30, 1, -2, 1.2, 15, 0, false).apply(x).toFloatArray(), 1e-6f, "x shear 15, nearest");
        assertArrayEquals(SHEARED[1], Transforms.affine(-17, 2, 1, 0.8, 10, -20, true).apply(x).toFloatArray(), 2e-6f, "both shears, bilinear");
        assertArrayEquals(SHEARED[2], Transforms.affine(0, 0, 0, 1, 0, 25, false).apply(x).toFloatArray(), 1e-6f, "y shear alone");
        assertArrayEquals(Transforms.affine(30, 1, -2, 1.2, false).apply(x).toFloatArray(), Transforms.affine(30, 1, -2, 1.2, 0, 0, false).apply(x)
                .toFloatArray(), "no shear is the plain affine");
        Tensor sheared = SampleRandom.with(4, 0, 0, i -> Transforms.randomAffine(0, null, 1, 1, new double[] {-20, 20, -5, 5}).apply(x));
        assertArrayEquals(new int[] {2, 5, 6}, sheared.shape());
        assertThrows(IllegalArgumentException.class, () -> Transforms.randomAffine(0, null, 1, 1, new double[] {10, -10}));
        assertThrows(IllegalArgumentException.class, () -> Transforms.randomAffine(0, null, 1, 1, new double[] {-95, 0}));
        assertThrows(IllegalArgumentException.class, () -> Transforms.affine(0, 0, 0, 1, 90, 0, false).apply(x));
    }

    @Test
    void affineMatchesTorchvisionsGridAndSampling() {
        Tensor x = image();
        assertArrayEquals(EXPECTED[0], Transforms.affine(30, 1, -2, 1.2, false).apply(x).toFloatArray(), 1e-6f, "30 degrees, nearest");
        assertArrayEquals(EXPECTED[1], Transforms.affine(30, 1, -2, 1.2, true).apply(x).toFloatArray(), 2e-6f, "30 degrees, bilinear");
        assertArrayEquals(EXPECTED[2], Transforms.affine(90, 0, 0, 1, false).apply(x).toFloatArray(), 1e-6f, "90 degrees, nearest");
        assertArrayEquals(EXPECTED[3], Transforms.affine(-17, 2, 1, 0.8, true).apply(x).toFloatArray(), 2e-6f, "-17 degrees, bilinear");
    }

    @Test
    void wholePixelShiftsMoveThePixelsAndBringInZeros() {
        Tensor x = image();
        float[] in = x.toFloatArray();
        float[] out = Transforms.affine(0, 2, -1, 1, false).apply(x).toFloatArray();
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 5; y++) {
                for (int xx = 0; xx < 6; xx++) {
                    int sy = y + 1;
                    int sx = xx - 2;
                    float want = sy < 5 && sx >= 0 ? in[(c * 5 + sy) * 6 + sx] : 0f;
                    assertEquals(want, out[(c * 5 + y) * 6 + xx], "channel " + c + ", pixel (" + y + ", " + xx + ")");
                }
            }
        }
        assertArrayEquals(in, Transforms.affine(0, 0, 0, 1, true).apply(x).toFloatArray(), 1e-6f, "identity, bilinear");
    }

    @Test
    void aQuarterTurnOfASquareImageIsExact() {
        float[] v = new float[16];
        for (int i = 0; i < 16; i++) {
            v[i] = i;
        }
        Tensor x = Tensor.fromArray(v, 1, 4, 4);
        float[] cw = Transforms.affine(90, 0, 0, 1, false).apply(x).toFloatArray();
        for (int y = 0; y < 4; y++) {
            for (int xx = 0; xx < 4; xx++) {
                // Clockwise: the output's row y, column x shows the input's row 3 - x, column y.
                assertEquals(v[(3 - xx) * 4 + y], cw[y * 4 + xx], "pixel (" + y + ", " + xx + ")");
            }
        }
    }

    @Test
    void randomFormsDrawWithinTheirRangesAndFromTheSampleGenerator() {
        Tensor x = image();
        Tensor shifted = Transforms.randomAffine(0, new double[] {0.5, 0.4}, 1, 1).apply(x);
        assertArrayEquals(x.shape(), shifted.shape());
        boolean sawShift = false;
        for (int seed = 0; seed < 20; seed++) {
            Tensor a = SampleRandom.with(seed, 0, 0, i -> Transforms.randomAffine(0, new double[] {0.5, 0.4}, 1, 1).apply(x));
            Tensor b = SampleRandom.with(seed, 0, 0, i -> Transforms.randomAffine(0, new double[] {0.5, 0.4}, 1, 1).apply(x));
            assertArrayEquals(a.toFloatArray(), b.toFloatArray(), "same sample seed, same draw");
            sawShift |= !java.util.Arrays.equals(a.toFloatArray(), x.toFloatArray());
        }
        assertTrue(sawShift);
        assertArrayEquals(x.toFloatArray(), Transforms.randomRotation(0).apply(x).toFloatArray());
        assertArrayEquals(x.flip(1).toFloatArray(), Transforms.randomVerticalFlip(1).apply(x).toFloatArray());
        assertArrayEquals(new int[] {2, 3, 3}, Transforms.centerCrop(3).apply(x).shape());
        // (5 - 3) / 2 = 1 and (6 - 3) / 2 = 1.5, which rounds to even: 2.
        assertEquals(x.toFloatArray()[1 * 6 + 2], Transforms.centerCrop(3).apply(x).toFloatArray()[0]);
        Tensor padded = Transforms.centerCrop(8).apply(x);
        assertArrayEquals(new int[] {2, 8, 8}, padded.shape());
        assertEquals(0f, padded.toFloatArray()[0]);
        assertEquals(x.toFloatArray()[0], padded.toFloatArray()[1 * 8 + 1]);
        assertThrows(IllegalArgumentException.class, () -> Transforms.randomAffine(-1, null, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Transforms.randomAffine(10, new double[] {1.5, 0}, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Transforms.affine(0, 0, 0, 0, false).apply(x));
        assertThrows(IllegalArgumentException.class, () -> Transforms.centerCrop(0));
        assertThrows(IllegalArgumentException.class, () -> Transforms.randomAffine(10, new double[] {0.1, 0.1}, 1, 1).apply(Tensor.ones(4, 4)));
    }
}
