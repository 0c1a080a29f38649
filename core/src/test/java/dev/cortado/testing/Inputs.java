package dev.cortado.testing;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Generator;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Seeded test data and comparisons shared by the test suites of every module. */
public final class Inputs {
    private Inputs() {
    }

    /** Float32-representable normal values, identical whichever device they are put on. */
    public static float[] normal(long seed, int n) {
        return new Generator(seed).normal(n);
    }

    public static Tensor randn(long seed, Device device, int... shape) {
        return Tensor.fromArray(normal(seed, Shapes.numel(shape)), shape, device);
    }

    /** Values in [lo, hi): for log/sqrt/pow domains. */
    public static Tensor uniform(long seed, double lo, double hi, Device device, int... shape) {
        float[] u = new Generator(seed).uniform(Shapes.numel(shape));
        for (int i = 0; i < u.length; i++) {
            u[i] = (float) (lo + (hi - lo) * u[i]);
        }
        return Tensor.fromArray(u, shape, device);
    }

    /**
     * sin (or cos) of {@code i * scale} for i in [0, n), with the angle a float32 product as
     * PyTorch's {@code (torch.arange(n) * scale)} forms it: irregular values that a Python
     * script reproduces exactly, for tests against the sums PyTorch prints.
     */
    public static Tensor wave(int n, double scale, boolean cos, int... shape) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            float angle = (float) i * (float) scale;
            v[i] = cos ? Math.cos(angle) : Math.sin(angle);
        }
        return Tensor.fromArray(v, shape);
    }

    /** A wave (as {@link #wave}) that requires grad. */
    public static Tensor waveLeaf(int n, double scale, boolean cos, int... shape) {
        return wave(n, scale, cos, shape).requiresGrad_(true);
    }

    /**
     * The sums PyTorch reference scripts print for an op: y's shape and sum, then y weighted by a
     * wave back-propagated, and each input's gradient dotted with a wave, all within 2e-5 relative.
     */
    public static void assertWaveSums(String name, java.util.function.Supplier<Tensor> run, Tensor[] inputs, int[] shape, double sum,
                                      double... grads) {
        Tensor y = run.get();
        assertArrayEquals(shape, y.shape(), name + " shape");
        y.mul(wave(y.numel(), 0.11, false, y.shape())).sum().backward();
        org.junit.jupiter.api.Assertions.assertEquals(sum, y.sum().item(), 2e-5 * (1 + Math.abs(sum)), name + " sum");
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            org.junit.jupiter.api.Assertions.assertEquals(grads[i], t.grad().mul(wave(t.numel(), 0.77, true, t.shape())).sum().item(),
                    2e-5 * (1 + Math.abs(grads[i])), name + " gradient of input " + i);
        }
    }

    /** Asserts that call throws a RuntimeException whose message contains every one of parts. */
    public static void assertMessage(org.junit.jupiter.api.function.Executable call, String... parts) {
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, call);
        for (String p : parts) {
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
    }

    /** Asserts equal shapes and |a - b| <= tol * (1 + |b|) elementwise, naming the first bad element. */
    public static void assertClose(String what, Tensor actual, Tensor expected, double tol) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        if (expected.dtype() == DType.INT64 && actual.dtype() == DType.INT64) {
            // Exactly, and not through doubles, which hold integers only up to 2^53.
            assertArrayEquals(expected.toLongArray(), actual.toLongArray(), what);
            return;
        }
        double[] a = actual.toDoubleArray();
        double[] e = expected.toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            boolean bothNaN = Double.isNaN(a[i]) && Double.isNaN(e[i]);
            boolean sameInf = Double.isInfinite(e[i]) && a[i] == e[i];
            if (!bothNaN && !sameInf && !(Math.abs(a[i] - e[i]) <= tol * (1 + Math.abs(e[i])))) {
                fail(what + ": element " + i + " is " + a[i] + ", expected " + e[i] + " (tolerance " + tol + ", shape "
                        + Shapes.str(expected.shape()) + ")");
            }
        }
    }

    /** Runs op on the same inputs on two devices and compares the results. */
    public static void assertParity(String what, Device device, double tol, Function<Tensor[], Tensor> op, Tensor... refInputs) {
        Tensor[] moved = new Tensor[refInputs.length];
        for (int i = 0; i < refInputs.length; i++) {
            moved[i] = refInputs[i].to(device);
        }
        Tensor expected = op.apply(refInputs);
        Tensor actual = op.apply(moved);
        if (actual.dtype() != expected.dtype()) {
            fail(what + ": dtype " + actual.dtype() + ", expected " + expected.dtype());
        }
        assertClose(what + " on " + device, actual.to(ReferenceBackend.DEVICE), expected, tol);
    }

    /**
     * Runs op forward and backward (with one seeded output gradient) on two devices and compares
     * the output and the gradient of every input.
     */
    public static void assertGradParity(String what, Device device, double tol, Function<Tensor[], Tensor> op, Tensor... refInputs) {
        Tensor[] ref = new Tensor[refInputs.length];
        Tensor[] moved = new Tensor[refInputs.length];
        for (int i = 0; i < refInputs.length; i++) {
            ref[i] = refInputs[i].detach().requiresGrad_(true);
            moved[i] = refInputs[i].to(device).requiresGrad_(true);
        }
        Tensor expected = op.apply(ref);
        Tensor actual = op.apply(moved);
        Tensor gradOut = randn(99, ReferenceBackend.DEVICE, expected.shape());
        expected.backward(gradOut, false);
        actual.backward(gradOut.to(device), false);
        assertClose(what + " on " + device, actual.detach().to(ReferenceBackend.DEVICE), expected, tol);
        for (int i = 0; i < ref.length; i++) {
            assertClose(what + " on " + device + ": gradient of input " + i, moved[i].grad().to(ReferenceBackend.DEVICE),
                    ref[i].grad(), tol);
        }
    }

    /**
     * As {@link #assertGradParity}, for second derivatives: the op's gradients, taken with
     * createGraph for an output gradient that is one more input, projected on fixed directions
     * (cosines of the inputs), and that scalar's gradient, on device against the reference.
     */
    public static void assertSecondOrderParity(String what, Device device, double tol, Function<Tensor[], Tensor> op, Tensor... refInputs) {
        Tensor out;
        try (var off = dev.cortado.autograd.GradMode.off()) {
            out = op.apply(refInputs);
        }
        Tensor[] all = java.util.Arrays.copyOf(refInputs, refInputs.length + 1);
        all[refInputs.length] = randn(98, ReferenceBackend.DEVICE, out.shape());
        int n = refInputs.length;
        assertGradParity(what + ", second order", device, tol, in -> {
            Tensor[] args = java.util.Arrays.copyOf(in, n);
            Tensor[] grads = dev.cortado.autograd.Gradients.grad(java.util.List.of(op.apply(args)), java.util.List.of(args),
                    java.util.List.of(in[n]), true, true, true);
            Tensor total = args[0].mul(0).sum();
            for (int i = 0; i < n; i++) {
                if (grads[i] != null) {
                    total = total.add(grads[i].mul(args[i].detach().cos()).sum());
                }
            }
            return total;
        }, all);
    }
}
