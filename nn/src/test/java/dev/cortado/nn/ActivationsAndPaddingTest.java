package dev.cortado.nn;

import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Hardtanh, ReLU6, Hardsigmoid, Hardswish, Mish, SELU, CELU, Softsign, PReLU, InstanceNorm2d, the
 * padding layers and Unflatten against what PyTorch 1.13 prints, kinks included.
 */
class ActivationsAndPaddingTest extends OnReference {
    private static final float[] V = {-100, -4, -3, -1, -0.5f, 0, 0.5f, 1, 3, 4, 6, 7, 30};

    private static void matches(String what, Function<Tensor, Tensor> f, double[] value, double[] grad) {
        Tensor x = Tensor.fromArray(V, V.length).requiresGrad_(true);
        Tensor y = f.apply(x);
        y.sum().backward();
        double[] got = y.toDoubleArray();
        double[] g = x.grad().toDoubleArray();
        for (int i = 0; i < V.length; i++) {
            assertEquals(value[i], got[i], 1e-6 * (1e-30 + Math.abs(value[i])) + 1e-44, what + " value at " + V[i]);
            assertEquals(grad[i], g[i], 1e-6 * (1e-30 + Math.abs(grad[i])) + 1e-44, what + " gradient at " + V[i]);
        }
    }

    @Test
    void piecewiseActivationsHavePyTorchsGradientsAtTheirKinks() {
        matches("hardtanh", F -> dev.cortado.nn.F.hardtanh(F, -1, 1), new double[] {-1, -1, -1, -1, -0.5, 0, 0.5, 1, 1, 1, 1, 1, 1},
                new double[] {0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0});
        matches("hardtanh(-2, 3)", x -> F.hardtanh(x, -2, 3), new double[] {-2, -2, -2, -1, -0.5, 0, 0.5, 1, 3, 3, 3, 3, 3},
                new double[] {0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0});
        matches("relu6", F::relu6, new double[] {0, 0, 0, 0, 0, 0, 0.5, 1, 3, 4, 6, 6, 6}, new double[] {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0});
        matches("hardsigmoid", F::hardsigmoid, new double[] {0, 0, 0, 0.3333333432674408, 0.4166666567325592, 0.5, 0.5833333134651184,
            0.6666666865348816, 1, 1, 1, 1, 1}, new double[] {0, 0, 0, 1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0, 0, 0, 0, 0, 0});
        matches("hardswish", F::hardswish, new double[] {-0.0, -0.0, -0.0, -0.3333333432674408, -0.2083333283662796, 0, 0.2916666567325592,
            0.6666666865348816, 3, 4, 6, 7, 30}, new double[] {0, 0, -0.5, 0.1666666567325592, 0.3333333134651184, 0.5, 0.6666666865348816,
                0.8333333730697632, 1.5, 1, 1, 1, 1});
    }

    @Test
    void smoothActivationsMatchPyTorch() {
        matches("mish", F::mish, new double[] {-3.783505853677006e-42, -0.07259175181388855, -0.14564746618270874, -0.3034014403820038,
            -0.22074376046657562, 0, 0.37524524331092834, 0.8650983572006226, 2.98653507232666, 3.997412919998169, 5.999926567077637,
            6.999988555908203, 30}, new double[] {3.783505853677006e-44, -0.05377320572733879, -0.09339312463998795, 0.059216730296611786,
                0.2895106375217438, 0.6000000238418579, 0.8864244222640991, 1.0490362644195557, 1.0211069583892822, 1.0044326782226562,
                1.000133991241455, 1.0000216960906982, 1});
        double s = 1.0507010221481323;
        matches("selu", F::selu, new double[] {-1.7580993175506592, -1.7258986234664917, -1.6705687046051025, -1.1113307476043701,
            -0.6917581558227539, 0, 0.5253505110740662, s, 3.1521029472351074, 4.202804088592529, 6.304205894470215, 7.354907035827637,
            31.52103042602539}, new double[] {6.58610278232664e-44, 0.03220071271061897, 0.08753060549497604, 0.6467686295509338,
                1.0663411617279053, 1.7580993175506592, s, s, s, s, s, s, s});
        matches("celu(2)", x -> F.celu(x, 2), new double[] {-2, -1.7293294668197632, -1.5537396669387817, -0.7869386672973633,
            -0.44239842891693115, 0, 0.5, 1, 3, 4, 6, 7, 30}, new double[] {1.9287498933537385e-22, 0.1353352814912796, 0.22313016653060913,
                0.6065306663513184, 0.7788007855415344, 1, 1, 1, 1, 1, 1, 1, 1});
        matches("softsign", F::softsign, new double[] {-0.9900990128517151, -0.800000011920929, -0.75, -0.5, -0.3333333432674408, 0,
            0.3333333432674408, 0.5, 0.75, 0.800000011920929, 0.8571428656578064, 0.875, 0.9677419066429138}, softsignSlopes());
        Tensor x = Tensor.fromArray(new float[] {-2.5f, -0.7f, 0.3f, 1.9f, 4.2f}, 5);
        check(in -> F.mish(in[0]).add(F.selu(in[0])).add(F.celu(in[0], 0.7)).add(F.softsign(in[0])).add(F.hardswish(in[0])), x);
    }

    /**
     * 1 / (1 + |x|)², which PyTorch's float32 composite matches to 7 digits except at -100, where
     * its two terms cancel (9.802915e-05 there, against the exact 9.802960e-05).
     */
    private static double[] softsignSlopes() {
        double[] out = new double[V.length];
        for (int i = 0; i < V.length; i++) {
            out[i] = 1 / ((1 + Math.abs(V[i])) * (1 + Math.abs(V[i])));
        }
        return out;
    }

    @Test
    void preluLearnsOneSlopeOrOnePerChannel() {
        Tensor x = Tensor.fromArray(new float[] {-1, 2, 3, -4, 0.5f, -0.5f, 0, -2}, 1, 2, 2, 2).requiresGrad_(true);
        Tensor w = Tensor.fromArray(new float[] {0.25f, -0.1f}, 2).requiresGrad_(true);
        Tensor y = F.prelu(x, w);
        y.mul(Tensor.arange(0.0, 8, 1).reshape(1, 2, 2, 2)).sum().backward();
        assertArrayEquals(new double[] {-0.25, 2, 3, -1, 0.5, 0.05000000074505806, -0.0, 0.20000000298023224}, y.toDoubleArray(), 1e-7);
        assertArrayEquals(new double[] {0, 1, 2, 0.75, 4, -0.5, -0.6000000238418579, -0.699999988079071}, x.grad().toDoubleArray(), 1e-7);
        assertArrayEquals(new double[] {-12, -16.5}, w.grad().toDoubleArray(), 1e-6);
        PReLU one = new PReLU();
        assertEquals("PReLU(num_parameters=1)", one.toString());
        assertArrayEquals(new int[0], one.forward(Tensor.scalar(-2)).shape());
        assertEquals(-0.5, one.forward(Tensor.scalar(-2)).item());
        check(in -> F.prelu(in[0], in[1]), Tensor.fromArray(new float[] {-1, 2, -3, 0.5f, -0.25f, 4}, 2, 3), Tensor.fromArray(new float[] {0.2f, -0.3f, 0.1f}, 3));
        assertMessage(() -> F.prelu(Tensor.ones(2, 3), Tensor.ones(2)), "prelu: weight (2,) must hold one value or one per channel (dim 1) of input (2, 3)");
    }

    @Test
    void instanceNormOfOneAndThreeDimsMatchesPyTorch() {
        Tensor x = Tensor.arange(0.0, 24, 1).reshape(2, 3, 4).sin();
        InstanceNorm1d m = new InstanceNorm1d(3, 1e-5, 0.1, true, true);
        try (var off = dev.cortado.autograd.GradMode.off()) {
            m.weight.copy_(Tensor.fromArray(new float[] {1, 2, -1}, 3));
            m.bias.copy_(Tensor.fromArray(new float[] {0, 0.5f, 1}, 3));
        }
        assertArrayEquals(new double[] {-1.164342, 0.907154, 1.074126, -0.816939, -0.854775, -1.503255, 0.676856, 3.681174, -0.312483,
                0.426662, 1.650981, 2.23484, -1.617444, 0.068817, 1.074222, 0.474406, 1.313627, -1.823035, -0.843092, 3.3525, 0.037037,
                0.143613, 1.324777, 2.494572}, m.forward(x).toDoubleArray(), 2e-6);
        assertArrayEquals(new double[] {0.04270472377538681, -0.039857082068920135, 0.00939993280917406}, m.runningMean.toDoubleArray(), 1e-7);
        assertArrayEquals(new double[] {0.9324601888656616, 0.9381989240646362, 0.9748185873031616}, m.runningVar.toDoubleArray(), 1e-6);
        m.eval();
        assertArrayEquals(new double[] {-0.044224, 0.827184, 0.897424, 0.101917, -0.980356, -1.3977, 0.005357, 1.93885, 0.00747, 0.592115,
                1.560521, 2.022339}, m.forward(x.select(0, 0)).toDoubleArray(), 2e-6, "a (C, L) input in eval mode");
        Tensor z = Tensor.arange(0.0, 16, 1).reshape(1, 2, 2, 2, 2).cos();
        assertArrayEquals(new double[] {1.129131, 0.492419, -0.832326, -1.62714, -1.161274, 0.136956, 1.073964, 0.788269, -0.07459,
                -1.213698, -1.106489, 0.14847, 1.397375, 1.491989, 0.345324, -0.988382}, new InstanceNorm3d(2).forward(z).toDoubleArray(), 2e-6);
        check(in -> new InstanceNorm1d(3, 1e-5, 0.1, true, false).forward(in[0]), Tensor.randn(2, 3, 4));
        check(in -> new InstanceNorm3d(2).forward(in[0]), Tensor.randn(2, 2, 2, 3));
        assertEquals("InstanceNorm3d(2, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)", new InstanceNorm3d(2).toString());
        assertMessage(() -> new InstanceNorm1d(3).forward(Tensor.ones(2, 3, 4, 5)), "InstanceNorm1d(3): expected a 2-d or 3-d input with 3 channels, got (2, 3, 4, 5)");
        assertMessage(() -> new InstanceNorm3d(2).forward(Tensor.ones(2, 3, 2, 2, 2)), "InstanceNorm3d(2): expected a 4-d or 5-d input with 2 channels");
        assertMessage(() -> new InstanceNorm1d(3).forward(Tensor.ones(2, 3, 1)), "InstanceNorm1d: expected more than 1 spatial element when training");
    }

    @Test
    void instanceNormMatchesPyTorchInTrainingAndEval() {
        double[] v = new double[36];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.sin(i);
        }
        Tensor x = Tensor.fromArray(v, 2, 2, 3, 3);
        InstanceNorm2d m = new InstanceNorm2d(2, 1e-5, 0.1, true, true);
        Tensor y = m.forward(x);
        assertEquals(0, y.sum().item(), 1e-5);
        assertEquals(24.771728515625, y.mul(x).sum().item(), 2e-5);
        assertArrayEquals(new double[] {0.008672991767525673, -0.00018270639702677727}, m.runningMean.toDoubleArray(), 1e-7);
        assertArrayEquals(new double[] {0.9532886147499084, 0.9532480835914612}, m.runningVar.toDoubleArray(), 1e-6);
        assertEquals(0L, m.numBatchesTracked.toLongArray()[0]);
        m.eval();
        assertEquals(17.876501083374023, m.forward(x).mul(x).sum().item(), 2e-5);
        assertEquals("InstanceNorm2d(2, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)", new InstanceNorm2d(2).toString());
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"), List.copyOf(m.stateDict().keySet()));
        check(in -> new InstanceNorm2d(2).forward(in[0]), x.narrow(0, 0, 1));
        assertMessage(() -> new InstanceNorm2d(2).forward(Tensor.ones(2, 2, 1, 1)), "InstanceNorm2d: expected more than 1 spatial element when training");
    }

    @Test
    void paddingLayersOfOneAndThreeDimsMatchPyTorch() {
        Tensor x = Tensor.arange(0.0, 6, 1).reshape(1, 2, 3);
        assertArrayEquals(new double[] {2, 1, 0, 1, 2, 1, 5, 4, 3, 4, 5, 4}, new ReflectionPad1d(2, 1).forward(x).toDoubleArray());
        assertArrayEquals(new double[] {0, 0, 1, 2, 2, 2, 3, 3, 4, 5, 5, 5}, new ReplicationPad1d(1, 2).forward(x).toDoubleArray());
        assertArrayEquals(new double[] {2, 0, 1, 2, 0, 1, 5, 3, 4, 5, 3, 4}, new CircularPad1d(1, 2).forward(x).toDoubleArray());
        assertArrayEquals(new double[] {3.5, 0, 1, 2, 3.5, 3.5, 3, 4, 5, 3.5}, new ConstantPad1d(1, 3.5).forward(x).toDoubleArray());
        assertArrayEquals(new double[] {0, 0, 1, 2, 0, 3, 4, 5}, new ZeroPad1d(1, 0).forward(x).toDoubleArray());
        assertArrayEquals(new double[] {0, 1, 2, 0, 3, 4, 5, 0}, new ZeroPad1d(0, 1).forward(x.select(0, 0)).toDoubleArray(), "(C, W) input");
        Tensor y = Tensor.arange(0.0, 8, 1).reshape(1, 1, 2, 2, 2);
        assertArrayEquals(new double[] {5, 4, 5, 7, 6, 7, 5, 4, 5, 1, 0, 1, 3, 2, 3, 1, 0, 1, 5, 4, 5, 7, 6, 7, 5, 4, 5},
                new ReflectionPad3d(1, 0, 0, 1, 1, 0).forward(y).toDoubleArray());
        assertArrayEquals(new double[] {5, 4, 5, 4, 7, 6, 7, 6, 5, 4, 5, 4, 1, 0, 1, 0, 3, 2, 3, 2, 1, 0, 1, 0, 5, 4, 5, 4, 7, 6, 7, 6, 5, 4, 5, 4},
                new CircularPad3d(1, 1, 0, 1, 1, 0).forward(y).toDoubleArray());
        Tensor r = new ReplicationPad3d(1).forward(y);
        assertArrayEquals(new int[] {1, 1, 4, 4, 4}, r.shape());
        assertEquals(224.0, r.sum().item(), 0);
        assertArrayEquals(new int[] {1, 1, 3, 4, 5}, new ZeroPad3d(1, 2, 1, 1, 0, 1).forward(y).shape());
        assertEquals(6 * 6 * 6 - 8, new ConstantPad3d(2, 1.0).forward(y.mul(0)).sum().item(), 0);
        check(in -> new ReflectionPad1d(2, 1).forward(in[0]), Tensor.randn(2, 2, 4));
        check(in -> new ReplicationPad3d(1, 0, 1, 2, 0, 1).forward(in[0]), Tensor.randn(1, 2, 2, 3, 2));
        assertEquals("ReflectionPad1d((2, 2))", new ReflectionPad1d(2).toString());
        assertEquals("ReplicationPad3d((1, 2, 3, 4, 5, 6))", new ReplicationPad3d(1, 2, 3, 4, 5, 6).toString());
        assertEquals("ConstantPad1d(padding=(1, 1), value=3.5)", new ConstantPad1d(1, 3.5).toString());
        assertMessage(() -> new ReflectionPad1d(1, 2, 3), "ReflectionPad1d: padding must be one amount or two (left, right), got [1, 2, 3]");
        assertMessage(() -> new ZeroPad3d(1, 2), "ZeroPad3d: padding must be one amount or six (left, right, top, bottom, front, back), got [1, 2]");
        assertMessage(() -> new ReflectionPad1d(1).forward(Tensor.zeros(1, 2, 3, 4)),
                "ReflectionPad1d: expected a 2-d or 3-d input (reflect padding of the last dim), got (1, 2, 3, 4)");
        assertMessage(() -> new ReplicationPad3d(1).forward(Tensor.zeros(2, 3)), "ReplicationPad3d: expected a 4-d or 5-d input");
        assertMessage(() -> new ReflectionPad1d(3).forward(x), "reflect padding");
    }

    @Test
    void paddingLayersAndUnflatten() {
        Tensor x = Tensor.arange(0.0, 6, 1).reshape(1, 1, 2, 3);
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 5, 0}, new ZeroPad2d(1, 1, 1, 0).forward(x).toDoubleArray());
        assertArrayEquals(new double[] {3.5, 3.5, 3.5, 3.5, 3.5, 3.5, 0, 1, 2, 3.5, 3.5, 3, 4, 5, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5},
                new ConstantPad2d(1, 3.5).forward(x).toDoubleArray());
        assertArrayEquals(new double[] {1, 0, 1, 2, 1, 4, 3, 4, 5, 4}, new ReflectionPad2d(1, 1, 0, 0).forward(x).toDoubleArray());
        assertArrayEquals(new double[] {0, 0, 1, 2, 0, 0, 1, 2, 3, 3, 4, 5}, new ReplicationPad2d(1, 0, 1, 0).forward(x).toDoubleArray());
        assertArrayEquals(new double[] {2, 0, 1, 2, 0, 5, 3, 4, 5, 3}, new CircularPad2d(1, 1, 0, 0).forward(x).toDoubleArray());
        assertEquals("ZeroPad2d((1, 2, 0, 3))", new ZeroPad2d(1, 2, 0, 3).toString());
        assertEquals("ReflectionPad2d((2, 2, 2, 2))", new ReflectionPad2d(2).toString());
        assertEquals("ConstantPad2d(padding=(1, 1, 1, 1), value=3.5)", new ConstantPad2d(1, 3.5).toString());
        assertEquals("ReplicationPad2d((1, 0, 1, 0))", new ReplicationPad2d(1, 0, 1, 0).toString());
        assertMessage(() -> new ZeroPad2d(1, 2), "ZeroPad2d: padding must be one amount or four (left, right, top, bottom), got [1, 2]");
        assertArrayEquals(new int[] {4, 2, 3, 5}, new Unflatten(1, 2, 3).forward(Tensor.zeros(4, 6, 5)).shape());
        assertArrayEquals(new int[] {4, 2, 3}, new Unflatten(-1, -1, 3).forward(Tensor.zeros(4, 6)).shape());
        assertEquals("Unflatten(dim=1, unflattened_size=(2, 3))", new Unflatten(1, 2, 3).toString());
        assertMessage(() -> new Unflatten(1, 4, 2).forward(Tensor.zeros(4, 6)), "Unflatten: sizes [4, 2] do not multiply to the size 6 of dim 1");
        assertMessage(() -> new Unflatten(0, 2, -1).forward(Tensor.scalar(1)), "Unflatten: expected an input with at least one dim");
        assertEquals("Hardtanh(min_val=-1.0, max_val=1.0)", new Hardtanh().toString());
        assertEquals("ReLU6()", new ReLU6().toString());
        assertEquals("CELU(alpha=2.0)", new CELU(2).toString());
        assertEquals("LogSoftmax(dim=1)", new LogSoftmax(1).toString());
    }

    @Test
    void localResponseNormAndLogSigmoidMatchPyTorch() {
        double[] v = new double[60];
        double[] c = new double[60];
        for (int i = 0; i < 60; i++) {
            v[i] = Math.sin((float) i * 0.37f);
            c[i] = Math.cos((float) i * 0.29f);
        }
        Tensor w = Tensor.fromArray(c, 2, 5, 2, 3);
        double[][] expected = {{5.301896095275879, 6.4361348152160645, 5.971828937530518}, {5.389136791229248, 6.67887020111084, 6.678471088409424}};
        for (int size : new int[] {3, 4}) {
            Tensor x = Tensor.fromArray(v, 2, 5, 2, 3).requiresGrad_(true);
            Tensor y = size == 3 ? new LocalResponseNorm(3, 0.1, 0.75, 1.0).forward(x) : new LocalResponseNorm(4).forward(x);
            y.mul(w).sum().backward();
            double[] e = expected[size - 3];
            assertEquals(e[0], y.sum().item(), 2e-6, "size " + size + " sum");
            assertEquals(e[1], y.mul(w).sum().item(), 2e-6, "size " + size + " weighted sum");
            assertEquals(e[2], x.grad().mul(x.detach()).sum().item(), 2e-6, "size " + size + " gradient");
        }
        assertEquals("LocalResponseNorm(3, alpha=0.1, beta=0.75, k=1.0)", new LocalResponseNorm(3, 0.1, 0.75, 1.0).toString());
        assertMessage(() -> F.localResponseNorm(Tensor.ones(2, 3), 2, 1e-4, 0.75, 1), "local_response_norm: expected an input of 3 or more dims");
        Tensor x = Tensor.fromArray(new float[] {-100, -5, 0, 5, 100}, 5).requiresGrad_(true);
        Tensor l = new LogSigmoid().forward(x);
        l.sum().backward();
        assertArrayEquals(new double[] {-100, -5.006715297698975, -0.6931471824645996, -0.006715348456054926, 0}, l.toDoubleArray(), 1e-6);
        assertArrayEquals(new double[] {1, 0.9933071732521057, 0.5, 0.006692850962281227, 0}, x.grad().toDoubleArray(), 1e-7);
        check(in -> F.localResponseNorm(in[0], 3, 0.5, 0.75, 2), Tensor.fromArray(v, 2, 5, 2, 3).narrow(0, 0, 1).narrow(3, 0, 2));
    }
}
