package dev.cortado.nn;

import dev.cortado.autograd.Gradcheck;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.ReferenceBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** erf, expm1, log1p and the activations built on them, on the CPU, against PyTorch 1.13's float32 values and gradients. */
class ActivationsTest {
    private static final double[] X = {-1e-6, -0.3, 0.0, -0.0, 1e-7, 2.5, -20, 30, -100, 1.3};

    @BeforeAll
    static void cpu() {
        Cortado.setDefaultDevice(Device.CPU);
    }

    private static Tensor t(double... v) {
        return Tensor.fromArray(v);
    }

    /** f's values and its gradient for an output gradient of ones, each within 3e-7 of PyTorch's relative to its own size (2.5 ulps). */
    private static void matches(String what, UnaryOperator<Tensor> f, double[] values, double[] grads) {
        Tensor x = t(X).requiresGrad_(true);
        Tensor y = f.apply(x);
        relative(what, values, y.toDoubleArray());
        y.backward(y.onesLike());
        relative(what + " gradient", grads, x.grad().toDoubleArray());
    }

    private static void relative(String what, double[] expected, double[] actual) {
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (!(a == e || Math.abs(a - e) <= 3e-7 * Math.abs(e))) {
                throw new AssertionError(what + " at x = " + X[i] + ": " + a + ", PyTorch " + e);
            }
        }
    }

    @Test
    void erfExpm1AndLog1pAreFloat32sOfPyTorch() {
        float[] erf = t(0.5, 1e-3, 1.0, 2.0, 3.0, 3.9, 4.0, -0.7, 1e-30).erf().toFloatArray();
        assertArrayEquals(new float[] {0.5204998850822449f, 0.001128378789871931f, 0.8427007794380188f, 0.9953222870826721f,
                0.9999778866767883f, 0.9999999403953552f, 1.0f, -0.6778011918067932f, 1.1283791266481092e-30f}, erf, 0f);
        float[] expm1 = t(-1e-6, -0.3, 0.0, -0.0, 1e-7, 2.5, -20, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)
                .expm1().toFloatArray();
        assertArrayEquals(new float[] {-9.999995427278918e-07f, -0.25918179750442505f, 0.0f, -0.0f, 1.000000082740371e-07f,
                11.182494163513184f, -1.0f, Float.NaN, Float.POSITIVE_INFINITY, -1.0f}, expm1, 0f);
        float[] log1p = t(1e-7, -0.5, -1, -2, 3).log1p().toFloatArray();
        assertArrayEquals(new float[] {9.999999406318238e-08f, -0.6931471824645996f, Float.NEGATIVE_INFINITY, Float.NaN,
                1.3862943649291992f}, log1p, 0f);
    }

    @Test
    void geluBothWays() {
        matches("gelu", x -> new GELU().forward(x),
                new double[] {-4.999996008336893e-07, -0.11462658643722534, 0.0, 0.0, 5.000000058430487e-08, 2.48447585105896, 0.0, 30.0,
                        0.0, 1.174159288406372},
                new double[] {0.4999992251396179, 0.26767227053642273, 0.5, 0.5, 0.5000000596046448, 1.0376110076904297, 0.0, 1.0, 0.0,
                        1.1259785890579224});
        matches("gelu tanh", x -> new GELU("tanh").forward(x),
                new double[] {-4.999996008336893e-07, -0.11462908238172531, 0.0, -0.0, 5.000000768973223e-08, 2.4849157333374023, -0.0,
                        30.0, -0.0, 1.17392897605896},
                new double[] {0.4999992251396179, 0.2677045464515686, 0.5, 0.5, 0.5000001192092896, 1.0379517078399658, 0.0, 1.0, 0.0,
                        1.125878095626831});
    }

    @Test
    void eluSiluAndSoftplus() {
        // PyTorch 1.13 computes exp(x) - 1, which gives -1.0132790e-06 at x = -1e-6; expm1 gives the accurate -9.999995e-07.
        matches("elu", x -> new ELU().forward(x),
                new double[] {-9.999995e-07, -0.25918179750442505, 0.0, 0.0, 1.0000000116860974e-07, 2.5, -1.0, 30.0, -1.0,
                        1.2999999523162842},
                new double[] {0.9999989867210388, 0.740818202495575, 1.0, 1.0, 1.0, 1.0, 2.06115369216775e-09, 1.0, 3.783505853677006e-44,
                        1.0});
        matches("elu alpha 0.5", x -> new ELU(0.5).forward(x),
                new double[] {-4.9999977e-07, -0.12959089875221252, 0.0, 0.0, 1.0000000116860974e-07, 2.5, -0.5, 30.0, -0.5,
                        1.2999999523162842},
                new double[] {0.4999994933605194, 0.3704091012477875, 0.5, 0.5, 1.0, 1.0, 1.030576846083875e-09, 1.0, 1.961817850054744e-44,
                        1.0});
        matches("silu", x -> new SiLU().forward(x),
                new double[] {-4.999997713639459e-07, -0.12766724824905396, 0.0, -0.0, 5.000000413701855e-08, 2.310354471206665,
                        -4.1223074731533416e-08, 30.0, -0.0, 1.021585464477539},
                new double[] {0.4999995231628418, 0.35221999883651733, 0.5, 0.5, 0.5000000596046448, 1.0994011163711548,
                        -3.916192170549948e-08, 1.0, -0.0, 1.0046229362487793});
        matches("softplus", x -> new Softplus().forward(x),
                new double[] {0.6931466460227966, 0.554355263710022, 0.6931471824645996, 0.6931471824645996, 0.6931472420692444,
                        2.578889846801758, 2.06115369216775e-09, 30.0, 3.783505853677006e-44, 1.541008472442627},
                new double[] {0.4999997317790985, 0.4255574643611908, 0.5, 0.5, 0.5000000596046448, 0.9241418242454529, 2.06115369216775e-09,
                        1.0, 3.783505853677006e-44, 0.7858350276947021});
        matches("softplus beta 2 threshold 5", x -> new Softplus(2, 5).forward(x),
                new double[] {0.3465730845928192, 0.2187439650297165, 0.3465735912322998, 0.3465735912322998, 0.3465736508369446,
                        2.5033576488494873, 2.12417706556933e-18, 30.0, 0.0, 1.335822343826294},
                new double[] {0.4999994933605194, 0.3543436825275421, 0.5, 0.5, 0.5000000596046448, 0.9933071732521057, 4.24835413113866e-18,
                        1.0, 0.0, 0.9308615922927856});
    }

    @Test
    void gradientsByFiniteDifferences() {
        Tensor x = dev.cortado.testing.Inputs.randn(6, ReferenceBackend.DEVICE, 3, 4).mul(2);
        Gradcheck.check(in -> F.gelu(in[0]), x);
        Gradcheck.check(in -> F.gelu(in[0], "tanh"), x);
        Gradcheck.check(in -> F.elu(in[0], 0.7), x);
        Gradcheck.check(in -> F.silu(in[0]), x);
        Gradcheck.check(in -> F.softplus(in[0], 1.5, 2), x);
    }

    @Test
    void reprsAndErrors() {
        assertEquals("GELU(approximate='none')", new GELU().toString());
        assertEquals("GELU(approximate='tanh')", new GELU("tanh").toString());
        assertEquals("ELU(alpha=1.0)", new ELU().toString());
        assertEquals("SiLU()", new SiLU().toString());
        assertEquals("Softplus(beta=1, threshold=20)", new Softplus().toString());
        assertMessage(() -> new GELU("erf"), "GELU: approximate must be \"none\" or \"tanh\", got \"erf\"");
        assertMessage(() -> F.gelu(Tensor.ones(2), "fast"), "gelu: approximate");
        assertMessage(() -> new Softplus(0, 20), "Softplus: beta must be positive");
    }
}
