package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertClose;
import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.wave;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Antialiased bilinear and bicubic resizing against {@code F.interpolate(..., antialias=True)} of PyTorch 1.13. */
class ResamplingTest extends OnReference {
    /** in (H, W), out (H, W), align_corners, then PyTorch's sum of y, of y·wt, of x.grad·wave, and y's first four values. */
    private static final Object[][] CASES = {
        {13, 17, 5, 4, false, 0.08994674682617188, 0.6438528895378113, 0.1996685266494751,
            new double[] {0.589210033416748, 0.6655732989311218, -0.467756062746048, -0.7707996368408203}},
        {7, 9, 16, 5, false, 5.63493537902832, -2.722322940826416, 0.42691904306411743,
            new double[] {0.203141450881958, 0.684852659702301, 0.9641661047935486, 0.7969396114349365}},
        {6, 6, 3, 11, true, -4.1230340003967285, -0.5853898525238037, 0.25850170850753784,
            new double[] {0.12369976192712784, 0.12630678713321686, 0.13152077794075012, 0.13219642639160156}},
        {20, 3, 7, 3, false, 0.00964963436126709, 1.0448317527770996, 0.18178409337997437,
            new double[] {0.5175111889839172, 0.5478026866912842, 0.5039516687393188, -0.3535445034503937}},
    };

    /** As {@link #CASES}, for mode="bicubic"; the last resizes W only. */
    private static final Object[][] BICUBIC = {
        {13, 17, 5, 4, false, 0.07421350479125977, 0.6661843061447144, 0.2451467514038086,
            new double[] {0.5919261574745178, 0.7555156946182251, -0.5307115316390991, -0.8032330274581909}},
        {7, 9, 16, 5, false, 6.531435012817383, -2.98732852935791, 0.381924569606781,
            new double[] {0.21026766300201416, 0.8573777079582214, 1.1844018697738647, 0.9698411226272583}},
        {6, 6, 3, 11, true, -4.740518093109131, -0.7006262540817261, -0.11729097366333008,
            new double[] {0.10774798691272736, 0.11411434412002563, 0.1275961697101593, 0.13615262508392334}},
        {20, 3, 7, 3, false, 0.009839534759521484, 1.0459891557693481, 0.2069563865661621,
            new double[] {0.5648565292358398, 0.5917131900787354, 0.5384844541549683, -0.42589038610458374}},
        {9, 11, 9, 4, false, 1.7249648571014404, 0.6775749325752258, 0.46984487771987915,
            new double[] {0.34580087661743164, 0.9459282755851746, 0.6791268587112427, -0.19127993285655975}},
    };

    @Test
    void matchesPyTorchWhenShrinkingGrowingAndAligningCorners() {
        matches(CASES, false);
    }

    @Test
    void bicubicMatchesPyTorch() {
        matches(BICUBIC, true);
        check(in -> Resampling.bicubicAntialiased(in[0], 2, 5, false), Tensor.randn(1, 7, 3));
        assertClose("bicubic, constant", Resampling.bicubicAntialiased(Tensor.full(new int[] {2, 40, 30}, 0.25), 9, 13, false),
                Tensor.full(new int[] {2, 9, 13}, 0.25), 1e-6);
    }

    private static void matches(Object[][] cases, boolean bicubic) {
        for (Object[] c : cases) {
            int h = (int) c[0];
            int w = (int) c[1];
            int oh = (int) c[2];
            int ow = (int) c[3];
            String what = (bicubic ? "bicubic " : "bilinear ") + h + "x" + w + " to " + oh + "x" + ow + ((boolean) c[4] ? ", align_corners" : "");
            Tensor x = wave(2 * h * w, 0.37, false, 1, 2, h, w).requiresGrad_(true);
            Tensor y = bicubic ? Resampling.bicubicAntialiased(x, oh, ow, (boolean) c[4]) : Resampling.bilinearAntialiased(x, oh, ow, (boolean) c[4]);
            assertArrayEquals(new int[] {1, 2, oh, ow}, y.shape(), what);
            Tensor wt = wave(y.numel(), 0.11, false, y.shape());
            Tensor weighted = y.mul(wt).sum();
            weighted.backward();
            assertEquals((double) c[5], y.sum().item(), 2e-5, what + ": sum");
            assertEquals((double) c[6], weighted.item(), 2e-5, what + ": weighted sum");
            assertEquals((double) c[7], x.grad().mul(wave(x.numel(), 0.77, true, x.shape())).sum().item(), 2e-5, what + ": gradient");
            assertClose(what + ": first values", y.detach().reshape(-1).narrow(0, 0, 4), Tensor.fromArray((double[]) c[8], 4), 1e-6);
        }
    }

    @Test
    void theSameSizeIsTheInputAndAConstantImageStaysConstant() {
        Tensor x = Tensor.randn(3, 5, 7);
        assertClose("same size", Resampling.bilinearAntialiased(x, 5, 7, false), x, 0);
        assertClose("constant", Resampling.bilinearAntialiased(Tensor.full(new int[] {2, 40, 30}, 0.25), 9, 13, false),
                Tensor.full(new int[] {2, 9, 13}, 0.25), 1e-6);
        check(in -> Resampling.bilinearAntialiased(in[0], 2, 5, false), Tensor.randn(1, 7, 3));
        assertMessage(() -> Resampling.bilinearAntialiased(Tensor.ones(4), 2, 2, false), "resize: expected an input with at least 2 dims");
        assertMessage(() -> Resampling.bilinearAntialiased(Tensor.ones(3, 4), 0, 2, false),
                "resize: input and output sizes must be greater than 0, got input (H: 3, W: 4) and output (H: 0, W: 2)");
    }
}
