package dev.cortado.cpu;

import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Convolution;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.ReferenceBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.cortado.testing.Inputs.assertGradParity;
import static dev.cortado.testing.Inputs.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The depthwise kernels (phase planes and register blocks) against the double-precision
 * reference, forward and both gradients, where their layout has edges: planes wider than a
 * vector and narrower, several register blocks, every stride's phase split (2 by shuffles, 3 by
 * the scalar path), dilation, padding past the kernel's reach (the input gradient then scatters),
 * and runs of planes split over threads.
 */
class DepthwiseConvTest {
    private final int threads = Cortado.numThreads();

    @AfterEach
    void restoreThreads() {
        Cortado.setNumThreads(threads);
    }

    record Shape(String name, int[] x, int kh, int kw, ConvOptions o) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Shape> shapes() {
        ConvOptions d = ConvOptions.DEFAULT;
        return Stream.of(
                new Shape("MobileNet's stride-2 stem block, 112 wide", new int[] {1, 2, 112, 112}, 3, 3, d.groups(2).stride(2).padding(1)),
                new Shape("7×7 planes, 5×5 kernel: rows in one masked vector", new int[] {3, 5, 7, 7}, 5, 5, d.groups(5).padding(2)),
                new Shape("14×14, 7×7 kernel", new int[] {2, 3, 14, 14}, 7, 7, d.groups(3).padding(3)),
                new Shape("rows wider than a vector, odd height", new int[] {2, 3, 9, 37}, 3, 3, d.groups(3).padding(1)),
                new Shape("stride 3, scalar phase split", new int[] {2, 2, 13, 17}, 3, 3, d.groups(2).stride(3).padding(1)),
                new Shape("stride 2 by rows only", new int[] {1, 3, 11, 20}, 3, 3, d.groups(3).stride(2, 1).padding(1)),
                new Shape("stride 2 by columns only, dilated", new int[] {1, 3, 12, 21}, 3, 3, d.groups(3).stride(1, 2).dilation(2).padding(2)),
                new Shape("stride 2, dilation 3", new int[] {2, 2, 19, 18}, 3, 3, d.groups(2).stride(2).dilation(3).padding(3)),
                new Shape("padding past the kernel's reach", new int[] {2, 2, 6, 9}, 3, 3, d.groups(2).padding(3)),
                new Shape("no padding, even kernel", new int[] {2, 4, 10, 10}, 4, 2, d.groups(4)),
                new Shape("many planes, three threads", new int[] {5, 7, 8, 8}, 3, 3, d.groups(7).padding(1)));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void matchesTheReference(Shape s) {
        Cortado.setNumThreads(s.name().contains("three threads") ? 3 : 2);
        int c = s.x()[1];
        Tensor x = randn(11, ReferenceBackend.DEVICE, s.x());
        Tensor w = randn(12, ReferenceBackend.DEVICE, c, 1, s.kh(), s.kw());
        Tensor b = randn(13, ReferenceBackend.DEVICE, c);
        double tol = 2e-5 * Math.sqrt(s.kh() * s.kw() * Math.max(1, s.x()[0] * s.x()[2] * s.x()[3] / 64.0));
        assertGradParity("depthwise " + s.name(), Device.CPU, tol, in -> Convolution.conv2d(in[0], in[1], in[2], s.o()), x, w, b);
        assertGradParity("depthwise without bias " + s.name(), Device.CPU, tol, in -> Convolution.conv2d(in[0], in[1], null, s.o()), x, w);
    }

    /**
     * An infinite input reaches only the outputs and weight-gradient taps that read it: the
     * columns computed past a row's end (and dropped) must not turn it into NaN elsewhere.
     */
    @Test
    void anInfiniteInputStaysWhereItIsRead() {
        int n = 2, c = 3, h = 7, w = 7;
        float[] v = randn(21, Device.CPU, n, c, h, w).toFloatArray();
        v[(1 * c + 2) * h * w + 3 * w + 6] = Float.POSITIVE_INFINITY;   // sample 1, channel 2, row 3, last column
        Tensor x = Tensor.fromArray(v, new int[] {n, c, h, w}, Device.CPU);
        Tensor ref = Tensor.fromArray(v, new int[] {n, c, h, w}, ReferenceBackend.DEVICE);
        ConvOptions o = ConvOptions.DEFAULT.groups(c).padding(1);
        for (Tensor input : new Tensor[] {x, ref}) {
            input.requiresGrad_(true);
        }
        Tensor wCpu = randn(22, Device.CPU, c, 1, 3, 3).requiresGrad_(true);
        Tensor wRef = wCpu.detach().to(ReferenceBackend.DEVICE).requiresGrad_(true);
        Tensor yCpu = Convolution.conv2d(x, wCpu, null, o);
        Tensor yRef = Convolution.conv2d(ref, wRef, null, o);
        Tensor g = Tensor.ones(yRef.shape()).to(ReferenceBackend.DEVICE);
        yCpu.backward(g.to(Device.CPU), false);
        yRef.backward(g, false);
        float[] expected = wRef.grad().toFloatArray();
        float[] actual = wCpu.grad().toFloatArray();
        for (int i = 0; i < expected.length; i++) {
            if (Float.isFinite(expected[i])) {
                org.junit.jupiter.api.Assertions.assertEquals(expected[i], actual[i], 1e-4 * (1 + Math.abs(expected[i])), "weight gradient " + i);
            } else {
                org.junit.jupiter.api.Assertions.assertEquals(expected[i], actual[i], "weight gradient " + i);
            }
        }
        float[] yExpected = yRef.detach().toFloatArray();
        float[] yActual = yCpu.detach().toFloatArray();
        for (int i = 0; i < yExpected.length; i++) {
            org.junit.jupiter.api.Assertions.assertEquals(Float.isNaN(yExpected[i]), Float.isNaN(yActual[i]), "output " + i + " NaN");
            org.junit.jupiter.api.Assertions.assertEquals(Float.isInfinite(yExpected[i]), Float.isInfinite(yActual[i]), "output " + i + " infinite");
        }
    }

    @Test
    void resultsAreBitIdenticalForAnyThreadCount() {
        Cortado.manualSeed(3);
        Tensor x = Tensor.randn(3, 6, 15, 15).requiresGrad_(true);
        Tensor w = Tensor.randn(6, 1, 5, 5).requiresGrad_(true);
        float[][] ref = null;
        for (int t = 1; t <= 3; t++) {
            Cortado.setNumThreads(t);
            x.zeroGrad();
            w.zeroGrad();
            Tensor y = Convolution.conv2d(x, w, null, ConvOptions.DEFAULT.groups(6).stride(2).padding(2));
            y.square().sum().backward();
            float[][] got = {y.toFloatArray(), x.grad().toFloatArray(), w.grad().toFloatArray()};
            if (ref == null) {
                ref = got;
            } else {
                for (int k = 0; k < 3; k++) {
                    assertArrayEquals(ref[k], got[k], 0f, t + " threads, result " + k);
                }
            }
        }
    }
}
