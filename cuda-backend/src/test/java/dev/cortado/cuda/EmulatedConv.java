package dev.cortado.cuda;

import dev.cortado.cuda.driver.ConvShape;
import dev.cortado.cuda.driver.Scratch;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * cuDNN's three convolution calls by definition (NCHW, cross-correlation, groups), on emulated
 * device memory, with the checks cuDNN makes: the output size must follow from the descriptors.
 * A workspace is borrowed from the allocator, as the real calls do, to exercise that path.
 */
final class EmulatedConv {
    interface Memory {
        MemorySegment get(long address, long bytes, String what);
    }

    /** One product of the convolution: input, weight and output element. */
    private interface Term {
        void at(int xi, int wi, int yi);
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
        try (Scratch.Buffer ws = scratch.get(WORKSPACE)) {
            memory.get(ws.address(), WORKSPACE, "cuDNN workspace");
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

    private void each(Term t) {
        int cg = s.c() / s.groups();
        int kg = s.k() / s.groups();
        for (int n = 0; n < s.n(); n++) {
            for (int k = 0; k < s.k(); k++) {
                int g = k / kg;
                for (int c = 0; c < cg; c++) {
                    for (int r = 0; r < s.r(); r++) {
                        for (int q = 0; q < s.s(); q++) {
                            for (int oy = 0; oy < s.outH(); oy++) {
                                int iy = oy * s.strideH() - s.padH() + r * s.dilationH();
                                if (iy < 0 || iy >= s.h()) {
                                    continue;
                                }
                                for (int ox = 0; ox < s.outW(); ox++) {
                                    int ix = ox * s.strideW() - s.padW() + q * s.dilationW();
                                    if (ix >= 0 && ix < s.w()) {
                                        t.at(((n * s.c() + g * cg + c) * s.h() + iy) * s.w() + ix, ((k * cg + c) * s.r() + r) * s.s() + q,
                                                ((n * s.k() + k) * s.outH() + oy) * s.outW() + ox);
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
        each((xi, wi, yi) -> out[yi] += (double) xs[xi] * ws[wi]);
        write(y, out, "cudnnConvolutionForward y");
    }

    void backwardData(long dy, long w, long dx) {
        float[] dys = read(dy, s.outputElements(), "cudnnConvolutionBackwardData dy");
        float[] ws = read(w, s.weightElements(), "cudnnConvolutionBackwardData w");
        double[] out = new double[Math.toIntExact(s.inputElements())];
        each((xi, wi, yi) -> out[xi] += (double) dys[yi] * ws[wi]);
        write(dx, out, "cudnnConvolutionBackwardData dx");
    }

    void backwardFilter(long x, long dy, long dw) {
        float[] xs = read(x, s.inputElements(), "cudnnConvolutionBackwardFilter x");
        float[] dys = read(dy, s.outputElements(), "cudnnConvolutionBackwardFilter dy");
        double[] out = new double[Math.toIntExact(s.weightElements())];
        each((xi, wi, yi) -> out[wi] += (double) xs[xi] * dys[yi]);
        write(dw, out, "cudnnConvolutionBackwardFilter dw");
    }
}
