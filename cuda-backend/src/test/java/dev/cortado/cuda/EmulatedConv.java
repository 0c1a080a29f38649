package dev.cortado.cuda;

import dev.cortado.cuda.driver.ConvShape;
import dev.cortado.cuda.driver.Scratch;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * cuDNN's three convolution calls by definition (NCHW, cross-correlation, groups), on emulated
 * device memory, with the checks cuDNN makes: the output size must follow from the descriptors.
 * A workspace is borrowed from the allocator, as the real calls do, to exercise that path: none
 * for 1×1 filters (many cuDNN algorithms need none), 1 KiB for the rest.
 */
final class EmulatedConv {
    interface Memory {
        MemorySegment get(long address, long bytes, String what);
    }

    private static final long WORKSPACE = 1024;

    private final ConvShape s;
    private final Memory memory;

    EmulatedConv(ConvShape s, Memory memory, Scratch scratch) {
        this.s = s;
        this.memory = memory;
        int oh = (s.h() + 2 * s.padH() - s.dilationH() * (s.r() - 1) - 1) / s.strideH() + 1;
        int ow = (s.w() + 2 * s.padW() - s.dilationW() * (s.s() - 1) - 1) / s.strideW() + 1;
        if (oh != s.outH() || ow != s.outW()) {
            throw new IllegalStateException("cuDNN: CUDNN_STATUS_BAD_PARAM, output " + s.outH() + "x" + s.outW() + " but the descriptors give "
                    + oh + "x" + ow + " for " + s);
        }
        long bytes = s.r() * s.s() == 1 ? 0 : WORKSPACE;
        try (Scratch.Buffer ws = scratch.get(bytes)) {
            if (bytes > 0) {
                memory.get(ws.address(), bytes, "cuDNN workspace");
            } else if (ws.address() != 0) {
                throw new IllegalStateException("cuDNN: a workspace of 0 bytes should be the null pointer, got " + ws.address());
            }
        }
    }

    private float[] read(long address, long elements, String what) {
        float[] v = new float[Math.toIntExact(elements)];
        MemorySegment.copy(memory.get(address, 4 * elements, what), ValueLayout.JAVA_FLOAT, 0, v, 0, v.length);
        return v;
    }

    private void write(long address, double[] v, String what) {
        MemorySegment m = memory.get(address, 4L * v.length, what);
        for (int i = 0; i < v.length; i++) {
            m.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) v[i]);
        }
    }

    private static final int FORWARD = 0;
    private static final int BACKWARD_DATA = 1;
    private static final int BACKWARD_FILTER = 2;

    /**
     * Accumulates every product of the convolution into {@code out}: y += x·w (forward), dx += dy·w
     * (backward data) or dw += x·dy (backward filter): one loop nest for all three, each with its
     * own innermost loop along an output row.
     */
    private void accumulate(int direction, float[] x, float[] w, float[] y, double[] out) {
        int cg = s.c() / s.groups();
        int kg = s.k() / s.groups();
        for (int n = 0; n < s.n(); n++) {
            for (int k = 0; k < s.k(); k++) {
                int g = k / kg;
                for (int c = 0; c < cg; c++) {
                    for (int r = 0; r < s.r(); r++) {
                        for (int q = 0; q < s.s(); q++) {
                            int wi = ((k * cg + c) * s.r() + r) * s.s() + q;
                            // Output columns whose input column ox * stride + shift lies in the image.
                            int shift = q * s.dilationW() - s.padW();
                            int lo = Math.max(0, Math.ceilDiv(-shift, s.strideW()));
                            int hi = Math.min(s.outW(), Math.ceilDiv(s.w() - shift, s.strideW()));
                            for (int oy = 0; oy < s.outH(); oy++) {
                                int iy = oy * s.strideH() - s.padH() + r * s.dilationH();
                                if (iy < 0 || iy >= s.h()) {
                                    continue;
                                }
                                int xi = ((n * s.c() + g * cg + c) * s.h() + iy) * s.w() + shift;
                                int yi = ((n * s.k() + k) * s.outH() + oy) * s.outW();
                                int sw = s.strideW();
                                switch (direction) {
                                    case FORWARD -> {
                                        double wv = w[wi];
                                        for (int ox = lo; ox < hi; ox++) {
                                            out[yi + ox] += x[xi + ox * sw] * wv;
                                        }
                                    }
                                    case BACKWARD_DATA -> {
                                        double wv = w[wi];
                                        for (int ox = lo; ox < hi; ox++) {
                                            out[xi + ox * sw] += y[yi + ox] * wv;
                                        }
                                    }
                                    default -> {
                                        double sum = 0;
                                        for (int ox = lo; ox < hi; ox++) {
                                            sum += (double) x[xi + ox * sw] * y[yi + ox];
                                        }
                                        out[wi] += sum;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    void forward(long x, long w, long y) {
        float[] xs = read(x, s.inputElements(), "cudnnConvolutionForward x");
        float[] ws = read(w, s.weightElements(), "cudnnConvolutionForward w");
        double[] out = new double[Math.toIntExact(s.outputElements())];
        accumulate(FORWARD, xs, ws, null, out);
        write(y, out, "cudnnConvolutionForward y");
    }

    void backwardData(long dy, long w, long dx) {
        float[] dys = read(dy, s.outputElements(), "cudnnConvolutionBackwardData dy");
        float[] ws = read(w, s.weightElements(), "cudnnConvolutionBackwardData w");
        double[] out = new double[Math.toIntExact(s.inputElements())];
        accumulate(BACKWARD_DATA, null, ws, dys, out);
        write(dx, out, "cudnnConvolutionBackwardData dx");
    }

    void backwardFilter(long x, long dy, long dw) {
        float[] xs = read(x, s.inputElements(), "cudnnConvolutionBackwardFilter x");
        float[] dys = read(dy, s.outputElements(), "cudnnConvolutionBackwardFilter dy");
        double[] out = new double[Math.toIntExact(s.weightElements())];
        accumulate(BACKWARD_FILTER, xs, null, dys, out);
        write(dw, out, "cudnnConvolutionBackwardFilter dw");
    }
}
