package dev.cortado.nn;

import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertClose;
import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.wave;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Threshold, the shrinks, GLU, Softmin, Softmax2d and RReLU against what PyTorch 1.13 prints. */
class ShrinkAndGateTest extends OnReference {
    private static final float[] V = {Float.NaN, -1, -0.5f, -0.2f, 0, 0.5f, 0.7f, 2, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    /** Values and the gradient for an upstream gradient of 1, 2, ..., 10, as PyTorch printed them. */
    private static void matches(String what, Function<Tensor, Tensor> f, double[] value, double[] grad) {
        Tensor x = Tensor.fromArray(V, V.length).requiresGrad_(true);
        Tensor y = f.apply(x);
        y.backward(Tensor.arange(1.0, 11.0, 1));
        double[] got = y.toDoubleArray();
        double[] g = x.grad().toDoubleArray();
        for (int i = 0; i < V.length; i++) {
            near(what + " value at " + V[i], value[i], got[i]);
            near(what + " gradient at " + V[i], grad[i], g[i]);
        }
    }

    private static void near(String what, double expected, double actual) {
        if (Double.isNaN(expected) || Double.isInfinite(expected)) {
            assertEquals(expected, actual, what);
        } else {
            assertEquals(expected, actual, 1e-6 * (1 + Math.abs(expected)), what);
        }
    }

    @Test
    void shrinksAndThresholdStopTheGradientOnTheirFlatPartsBoundsIncluded() {
        matches("threshold(0.5, -3)", x -> F.threshold(x, 0.5, -3), new double[] {NAN, -3, -3, -3, -3, -3, 0.699999988079071, 2, INF, -3},
                new double[] {1, 0, 0, 0, 0, 0, 7, 8, 9, 0});
        matches("hardshrink(0.5)", x -> F.hardshrink(x, 0.5), new double[] {NAN, -1, 0, 0, 0, 0, 0.699999988079071, 2, INF, -INF},
                new double[] {1, 2, 0, 0, 0, 0, 7, 8, 9, 10});
        // PyTorch 2 keeps NaN (pytorch#138385); 1.13 printed 0 for it.
        matches("softshrink(0.5)", x -> F.softshrink(x, 0.5), new double[] {NAN, -0.5, 0, 0, 0, 0, 0.19999998807907104, 1.5, INF, -INF},
                new double[] {1, 2, 0, 0, 0, 0, 7, 8, 9, 10});
        matches("tanhshrink", F::tanhshrink, new double[] {NAN, -0.23840582370758057, -0.037882834672927856, -0.0026246756315231323, 0,
            0.037882834672927856, 0.09563219547271729, 1.0359723567962646, INF, -INF}, new double[] {NAN, 1.1600513458251953,
            0.6406569480895996, 0.15582799911499023, 0, 1.2813138961791992, 2.5568227767944336, 7.434793472290039, 9, 10});
        assertClose("hardshrink with a negative lambd shrinks nothing", F.hardshrink(Tensor.tensor(new float[] {0.5f, -2}), -1),
                Tensor.tensor(new float[] {0.5f, -2}), 0);
    }

    @Test
    void gluGatesOneHalfWithTheOther() {
        Tensor x = wave(12, 0.37, false, 2, 6).requiresGrad_(true);
        Tensor y = F.glu(x, 1);
        y.backward(Tensor.arange(1.0, 7.0, 1).reshape(2, 3));
        assertClose("glu", y, Tensor.fromArray(new double[] {0, 0.26406896114349365, 0.4877643883228302, 0.36109328269958496,
            0.1941872388124466, 0.055963680148124695}, 2, 3), 1e-6);
        assertClose("glu grad", x.grad(), Tensor.fromArray(new double[] {0.7100647687911987, 1.460495948791504, 2.170131206512451, 0,
            0.14246626198291779, 0.40478047728538513, 1.81325101852417, 1.8527753353118896, 1.859297275543213, 0.7896203994750977,
            0.6111509203910828, 0.2317289561033249}, 2, 6), 1e-6);
        assertClose("glu over the last dim", new GLU().forward(x.detach().reshape(2, 3, 2)), Tensor.fromArray(new double[] {0,
            0.4787880778312683, 0.7203973531723022, 0.5003171563148499, 0.08186657726764679, -0.16418716311454773}, 2, 3, 1), 1e-6);
        check(in -> F.glu(in[0], 0), Tensor.randn(4, 3));
        assertMessage(() -> F.glu(Tensor.ones(2, 3), 1), "glu: halving dimension must be even, but dimension 1 is size 3");
        assertMessage(() -> F.glu(Tensor.scalar(1), 0), "glu: does not support scalars");
        assertMessage(() -> F.glu(Tensor.ones(2, 4), 2), "glu");
    }

    @Test
    void softminIsTheSoftmaxOfTheNegation() {
        Tensor x = wave(12, 0.37, false, 2, 6).requiresGrad_(true);
        Tensor y = new Softmin(0).forward(x);
        y.backward(Tensor.arange(1.0, 13.0, 1).reshape(2, 6));
        assertClose("softmin", y, Tensor.fromArray(new double[] {0.6892393231391907, 0.5405181646347046, 0.37902429699897766,
            0.25293996930122375, 0.17862120270729065, 0.14654727280139923, 0.3107606768608093, 0.4594818353652954, 0.6209756731987,
            0.7470600008964539, 0.8213788270950317, 0.8534526824951172}, 2, 6), 1e-6);
        assertClose("softmin grad", x.grad(), Tensor.fromArray(new double[] {1.2851307392120361, 1.4901498556137085, 1.4121891260147095,
            1.1337679624557495, 0.8802940845489502, 0.7504270076751709, -1.2851308584213257, -1.4901496171951294, -1.4121893644332886,
            -1.1337682008743286, -0.8802937269210815, -0.7504271864891052}, 2, 6), 1e-6);
        Tensor img = Tensor.randn(2, 3, 4, 5);
        assertClose("softmax2d over channels", new Softmax2d().forward(img), img.softmax(1), 0);
        assertClose("softmax2d unbatched", new Softmax2d().forward(img.select(0, 1)), img.select(0, 1).softmax(0), 0);
        assertMessage(() -> new Softmax2d().forward(Tensor.ones(2, 3)), "Softmax2d: expected a 3-d (C, H, W) or 4-d (N, C, H, W) input, got (2, 3)");
    }

    @Test
    void rreluDrawsASlopePerNegativeElementInTrainingAndUsesTheMeanInEval() {
        Cortado.manualSeed(3);
        RReLU r = new RReLU(0.1, 0.3);
        Tensor x = Tensor.randn(1000).requiresGrad_(true);
        Cortado.manualSeed(4);
        Tensor y = r.forward(x);
        y.sum().backward();
        double[] xs = x.detach().toDoubleArray();
        double[] ys = y.toDoubleArray();
        double[] gs = x.grad().toDoubleArray();
        double min = 1;
        double max = 0;
        for (int i = 0; i < xs.length; i++) {
            if (xs[i] > 0) {
                assertEquals(xs[i], ys[i], 0, "positive values pass");
                assertEquals(1, gs[i], 0);
            } else {
                double slope = ys[i] / xs[i];
                assertEquals(slope, gs[i], 1e-6, "the gradient is the element's slope");
                min = Math.min(min, slope);
                max = Math.max(max, slope);
            }
        }
        assertTrue(min >= 0.1 - 1e-6 && min < 0.11 && max <= 0.3 + 1e-6 && max > 0.29, "slopes span [0.1, 0.3]: " + min + " to " + max);
        Cortado.manualSeed(4);
        assertClose("seeded", r.forward(x.detach()), y.detach(), 0);
        r.eval();
        assertClose("eval is a leaky ReLU with the mean slope", r.forward(x.detach()), F.leakyRelu(x.detach(), 0.2), 0);
        // PyTorch 1.13: torch.manual_seed(1); F.rrelu(x, 1/8, 1/3, training=True), a draw for each element <= 0 only.
        Cortado.manualSeed(1);
        Tensor mixed = Tensor.fromArray(new float[] {-1, 2, -0.5f, 0, 3, -2, Float.NaN, -4}, 8);
        float[] drawn = F.rrelu(mixed, 1 / 8.0, 1 / 3.0, true).toFloatArray();
        assertArrayEquals(new float[] {-0.13771943747997284f, 2.0f, -0.08589109778404236f, 0.0f, 3.0f, -0.32379135489463806f, Float.NaN,
            -0.963390052318573f}, drawn);
        assertEquals("RReLU(lower=0.125, upper=0.3333333333333333)", new RReLU().toString());
        assertMessage(() -> new RReLU(0.5, 0.1), "rrelu: lower bound should be less than or equal to the upper bound, got 0.5 and 0.1");
    }

    @Test
    void gradientsReprsAndErrors() {
        Tensor away = Tensor.tensor(new float[] {-1.3f, -0.2f, 0.3f, 0.9f, 1.7f});
        check(in -> F.threshold(in[0], 0.5, 2), away);
        check(in -> F.hardshrink(in[0], 0.5), away);
        check(in -> F.softshrink(in[0], 0.5), away);
        check(in -> F.tanhshrink(in[0]), away);
        assertEquals("Threshold(threshold=0.1, value=20.0)", new Threshold(0.1, 20).toString());
        assertEquals("Hardshrink(0.5)", new Hardshrink().toString());
        assertEquals("Softshrink(0.3)", new Softshrink(0.3).toString());
        assertEquals("Tanhshrink()", new Tanhshrink().toString());
        assertEquals("GLU(dim=-1)", new GLU().toString());
        assertEquals("Softmin(dim=1)", new Softmin(1).toString());
        assertEquals("Softmax2d()", new Softmax2d().toString());
        assertMessage(() -> F.softshrink(away, -1), "softshrink: lambda must be greater or equal to 0, but found to be -1.0");
        assertMessage(() -> new Softshrink(-1), "Softshrink: lambda must be greater or equal to 0");
    }
}
