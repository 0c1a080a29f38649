package dev.cortado.data;

import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Grayscale, the colour blends, Gaussian blur and random erasing. The expected images are
 * torchvision's formulas (its rgb_to_grayscale, _blend and Gaussian kernel, as transcribed; it is
 * not installed here) computed with PyTorch 1.13's tensor ops, its conv2d and reflect padding.
 */
class PhotometricTest {
    @BeforeAll
    static void cpu() {
        Cortado.setDefaultDevice(Device.CPU);
    }

    private static float[] image() {
        float[] v = new float[60];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((float) Math.sin((float) i * 0.37f) + 1) / 2;
        }
        return v;
    }

    @Test
    void colourOperationsMatchTorchvisionsFormulas() {
        float[] v = image();
        assertArrayEquals(new float[] {0.80865121f, 0.87566519f, 0.89182776f, 0.85495156f, 0.77002758f, 0.64855003f, 0.50695997f, 0.36442119f, 0.24022546f, 0.15118249f, 0.10934342f, 0.12037119f, 0.18277308f, 0.28810346f, 0.42210615f, 0.56664479f, 0.70215654f, 0.81030059f, 0.87644005f, 0.89162362f}, Photometric.luma(v, 20), 1e-6f, "grayscale");
        assertArrayEquals(new float[] {0.64999998f, 0.88505000f, 1.00000000f, 1.00000000f, 1.00000000f, 1.00000000f, 1.00000000f, 0.99062872f, 0.76738751f, 0.52825850f, 0.30560648f, 0.12956654f, 0.02396488f, 0.00309413f, 0.06977908f, 0.21499419f, 0.41908523f, 0.65442944f, 0.88917416f, 1.00000000f, 1.00000000f, 1.00000000f, 1.00000000f, 1.00000000f, 0.98684818f, 0.76302814f, 0.52391022f, 0.30185792f, 0.12692468f, 0.02278768f, 0.00354084f, 0.07178918f, 0.21829559f, 0.42323112f, 0.65885872f, 0.89328736f, 1.00000000f, 1.00000000f, 1.00000000f, 1.00000000f, 1.00000000f, 0.98305213f, 0.75866354f, 0.51956779f, 0.29812494f, 0.12430767f, 0.02163964f, 0.00401750f, 0.07382613f, 0.22161753f, 0.42738757f, 0.66328824f, 0.89738923f, 1.00000000f, 1.00000000f, 1.00000000f, 1.00000000f, 1.00000000f, 0.97924000f, 0.75429386f}, Photometric.brightness(v, 20, 1.3), 1e-6f, "brightness 1.3");
        assertArrayEquals(new float[] {0.52164650f, 0.63013113f, 0.72393286f, 0.79035610f, 0.82041079f, 0.81002909f, 0.76061618f, 0.67885977f, 0.57582533f, 0.46545810f, 0.36269563f, 0.28144643f, 0.23270719f, 0.22307454f, 0.25385219f, 0.32087457f, 0.41507044f, 0.52369088f, 0.63203460f, 0.72543794f, 0.79125893f, 0.82058924f, 0.80945891f, 0.75937462f, 0.67711490f, 0.57381332f, 0.46345121f, 0.36096555f, 0.28022709f, 0.23216386f, 0.22328071f, 0.25477993f, 0.32239830f, 0.41698393f, 0.52573514f, 0.63393301f, 0.72693342f, 0.79214931f, 0.82075375f, 0.80887550f, 0.75812209f, 0.67536288f, 0.57179892f, 0.46144700f, 0.35924262f, 0.27901924f, 0.23163401f, 0.22350070f, 0.25572008f, 0.32393152f, 0.41890228f, 0.52777952f, 0.63582617f, 0.72841960f, 0.79302692f, 0.82090437f, 0.80827856f, 0.75685859f, 0.67360342f, 0.56978214f}, Photometric.contrast(v, 20, 0.6), 1e-6f, "contrast 0.6");
        assertArrayEquals(new float[] {0.28394419f, 0.54440755f, 0.79886538f, 1.00000000f, 1.00000000f, 1.00000000f, 1.00000000f, 1.00000000f, 0.83534896f, 0.58497185f, 0.32309887f, 0.08517333f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.05652496f, 0.28858209f, 0.54925829f, 0.80327266f, 1.00000000f, 1.00000000f, 1.00000000f, 0.92509693f, 0.75147456f, 0.54382110f, 0.33024138f, 0.13964251f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00961834f, 0.15752232f, 0.35178369f, 0.56611025f, 0.77149367f, 0.94013667f, 1.00000000f, 1.00000000f, 1.00000000f, 0.95395833f, 0.67256421f, 0.36781907f, 0.08096880f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.00000000f, 0.18397981f, 0.48235109f, 0.78311712f, 1.00000000f, 1.00000000f, 1.00000000f, 1.00000000f, 1.00000000f, 0.94922382f, 0.66703671f, 0.36224782f}, Photometric.saturation(v, 20, 1.7), 1e-6f, "saturation 1.7");
        assertArrayEquals(new float[] {0.69927627f, 0.69345927f, 0.67160434f, 0.63926065f, 0.62192303f, 0.61024773f, 0.60067374f, 0.57467771f, 0.54411739f, 0.52952969f, 0.39908057f, 0.39332250f, 0.38534907f, 0.38438335f, 0.38632241f, 0.30344972f, 0.30478600f, 0.31671381f, 0.33984432f, 0.35348558f, 0.58702934f, 0.56078374f, 0.49937943f, 0.43801311f, 0.41180915f, 0.50499290f, 0.48893350f, 0.45357174f, 0.42104781f, 0.40810534f, 0.39682877f, 0.40801251f, 0.43720543f, 0.47023639f, 0.48563588f, 0.38427910f, 0.40909985f, 0.46870133f, 0.53021574f, 0.55713779f, 0.37705660f, 0.35985360f, 0.32785127f, 0.30637091f, 0.30072522f, 0.39413130f, 0.38961980f, 0.38460019f, 0.38663405f, 0.38986996f, 0.51042855f, 0.52599573f, 0.55957407f, 0.58951116f, 0.60107887f, 0.59505206f, 0.61548591f, 0.65583420f, 0.68665767f, 0.69662964f}, Photometric.gaussianBlur(v, 3, 4, 5, 5, 1.1), 2e-6f, "blur 5, sigma 1.1");
    }

    /** adjust_hue against torchvision's _rgb2hsv and _hsv2rgb (transcribed) on PyTorch 1.13: a grey, a red and a cyan pixel, then waves. */
    @Test
    void hueMatchesTorchvisionsFormulas() {
        float[] v = new float[3 * 5 * 7];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((float) Math.sin((double) ((float) i * 0.37f)) + 1) / 2;
        }
        float[][] corner = {{0.5f, 0.5f, 0.5f}, {1, 0, 0}, {0.2f, 0.9f, 0.9f}};
        for (int p = 0; p < 3; p++) {
            for (int c = 0; c < 3; c++) {
                v[c * 35 + p] = corner[p][c];
            }
        }
        Tensor x = Tensor.fromArray(v, 3, 5, 7);
        double[][] expected = {
            {0.0, 50.265106201171875, 2.558164119720459},
            {0.13, 50.796077728271484, 1.426983118057251},
            {-0.4, 50.20594787597656, 4.364475250244141},
            {0.5, 50.7254638671875, 3.4263360500335693}};
        for (double[] e : expected) {
            Tensor y = Transforms.adjustHue(x, e[0]);
            assertEquals(e[1], y.sum().item(), 1e-4, "hue " + e[0] + ": sum");
            assertEquals(e[2], y.mul(dev.cortado.testing.Inputs.wave(y.numel(), 0.11, false, y.shape())).sum().item(), 1e-4, "hue " + e[0] + ": weighted sum");
        }
        Tensor shifted = Transforms.adjustHue(x, 0.13);
        assertArrayEquals(new float[] {0.5f, 1f, 0.2f, 0.5f, 0.78f, 0.354f, 0.5f, 0f, 0.9f}, shifted.narrow(1, 0, 1).narrow(2, 0, 3).contiguous().toFloatArray(),
                1e-6f, "grey stays, red turns orange-yellow, cyan moves toward blue");
        assertArrayEquals(new float[] {0.5f, 0f, 0.9f, 0.5f, 1f, 0.2f, 0.5f, 1f, 0.2f}, Transforms.adjustHue(x, 0.5).narrow(1, 0, 1).narrow(2, 0, 3)
                .contiguous().toFloatArray(), 1e-6f, "half the wheel: red to cyan, cyan to red");
        assertThrows(IllegalArgumentException.class, () -> Transforms.adjustHue(x, 0.6));
        assertThrows(IllegalArgumentException.class, () -> Transforms.colorJitter(0, 0, 0, 0.7));
        Tensor jittered = SampleRandom.with(5, 0, 0, i -> Transforms.colorJitter(0.2, 0.2, 0.2, 0.3).apply(x));
        assertTrue(jittered.min().item() >= 0 && jittered.max().item() <= 1);
        assertArrayEquals(x.toFloatArray(), Transforms.colorJitter(0, 0, 0, 0).apply(x).toFloatArray(), "no jitter, no change");
    }

    @Test
    void theTransformsWrapThemAndCheckTheirArguments() {
        Tensor x = Tensor.fromArray(image(), 3, 4, 5);
        Tensor g = Transforms.grayscale(3).apply(x);
        assertArrayEquals(new int[] {3, 4, 5}, g.shape());
        assertArrayEquals(g.narrow(0, 0, 1).contiguous().toFloatArray(), g.narrow(0, 2, 1).contiguous().toFloatArray());
        assertArrayEquals(x.toFloatArray(), Transforms.colorJitter(0, 0, 0).apply(x).toFloatArray(), "no jitter, no change");
        Tensor jittered = SampleRandom.with(3, 0, 0, i -> Transforms.colorJitter(0.4, 0.4, 0.4).apply(x));
        assertTrue(jittered.min().item() >= 0 && jittered.max().item() <= 1);
        Tensor flat = Tensor.full(new int[] {1, 6, 6}, 0.25);
        assertArrayEquals(flat.toFloatArray(), Transforms.gaussianBlur(3, 0.5, 2).apply(flat).toFloatArray(), 1e-7f, "a flat image stays flat");
        Tensor ones = Tensor.ones(2, 10, 10);
        int erased = 0;
        for (int seed = 0; seed < 50; seed++) {
            Tensor e = SampleRandom.with(seed, 0, 0, i -> Transforms.randomErasing(1, 0.02, 0.33, 0.3, 3.3, 0).apply(ones));
            double zeros = 200 - e.sum().item();
            erased += zeros > 0 ? 1 : 0;
            assertTrue(zeros <= 0.33 * 200 * 1.3, "at most about a third of the image, got " + zeros);
        }
        assertTrue(erased >= 45, "p = 1 erases nearly always (ten tries to fit), got " + erased + " of 50");
        assertArrayEquals(ones.toFloatArray(), Transforms.randomErasing(0, 0.02, 0.33, 0.3, 3.3, 0).apply(ones).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> Transforms.grayscale(2));
        assertThrows(IllegalArgumentException.class, () -> Transforms.grayscale(1).apply(Tensor.ones(1, 4, 4)));
        assertThrows(IllegalArgumentException.class, () -> Transforms.gaussianBlur(4, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Transforms.gaussianBlur(9, 1, 1).apply(Tensor.ones(1, 3, 3)));
        assertThrows(IllegalArgumentException.class, () -> Transforms.randomErasing(0.5, 0.5, 0.2, 0.3, 3.3, 0));
        assertEquals(1, Transforms.grayscale(1).apply(x).size(0));
    }
}
