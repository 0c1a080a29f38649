package dev.cortado.cpu;

import dev.cortado.tensor.Tensor;
import jdk.incubator.vector.FloatVector;

import static dev.cortado.cpu.Elementwise.L;
import static dev.cortado.cpu.Elementwise.S;

/**
 * Batch normalisation over contiguous (N, C, M) data. Statistics and gradient sums are taken per
 * channel (vector lanes along each M-long row, rows added in double, so the result does not
 * depend on the thread count); the normalisation and the input gradient are one fused
 * multiply-add pass per (sample, channel) plane.
 */
final class BatchNormKernels {
    private BatchNormKernels() {
    }

    /** (N, C, M) of a contiguous (N, C, ...) tensor. */
    private record Dims(int n, int c, int m) {
        static Dims of(Tensor x) {
            int n = x.size(0);
            int c = x.size(1);
            return new Dims(n, c, n * c == 0 ? 0 : x.numel() / (n * c));
        }

        int plane(int b, int ch) {
            return (b * c + ch) * m;
        }
    }

    static void stats(Tensor mean, Tensor var, Tensor x) {
        Dims d = Dims.of(x);
        float[] xd = Elementwise.f(x);
        int xo = x.offset();
        float[] md = Elementwise.f(mean);
        float[] vd = Elementwise.f(var);
        double count = (double) d.n * d.m;
        Parallel.forRange(d.c, 1, (s, e) -> {
            for (int ch = s; ch < e; ch++) {
                double sum = 0;
                for (int b = 0; b < d.n; b++) {
                    sum += Reduce.row(dev.cortado.backend.ReduceOp.SUM, xd, xo + d.plane(b, ch), d.m);
                }
                float mu = (float) (sum / count);
                double sq = 0;
                for (int b = 0; b < d.n; b++) {
                    sq += squaredDeviations(xd, xo + d.plane(b, ch), d.m, mu);
                }
                md[mean.offset() + ch] = mu;
                vd[var.offset() + ch] = (float) (sq / count);
            }
        });
    }

    /** Σ (x − mu)² over one row. */
    private static double squaredDeviations(float[] x, int p, int n, float mu) {
        FloatVector m = FloatVector.broadcast(S, mu);
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector dv = FloatVector.fromArray(S, x, p + i).sub(m);
            acc = dv.fma(dv, acc);
        }
        double s = Lanes.sum(acc);
        for (; i < n; i++) {
            double dv = x[p + i] - mu;
            s += dv * dv;
        }
        return s;
    }

    static void apply(Tensor out, Tensor x, Tensor mean, Tensor invstd, Tensor weight, Tensor bias) {
        Dims d = Dims.of(x);
        float[] xd = Elementwise.f(x);
        float[] od = Elementwise.f(out);
        float[] scale = new float[d.c];
        float[] shift = new float[d.c];
        for (int ch = 0; ch < d.c; ch++) {
            float mu = value(mean, ch, 0);
            float sc = value(invstd, ch, 0) * value(weight, ch, 1);
            scale[ch] = sc;
            shift[ch] = value(bias, ch, 0) - mu * sc;
        }
        Parallel.forRange(d.n * d.c, Math.max(1, 16384 / Math.max(d.m, 1)), (s, e) -> {
            for (int pl = s; pl < e; pl++) {
                int ch = pl % d.c;
                affine(od, out.offset() + pl * d.m, xd, x.offset() + pl * d.m, d.m, scale[ch], 0, null, 0, shift[ch]);
            }
        });
    }

    /** Element {@code ch} of a (C) tensor, or {@code absent} when the tensor is null. */
    private static float value(Tensor t, int ch, float absent) {
        return t == null ? absent : Elementwise.f(t)[t.offset() + ch];
    }

    /** o = a·x + b·y + c over one row (y may be null, then b is ignored). */
    private static void affine(float[] o, int po, float[] x, int px, int n, float a, float b, float[] y, int py, float c) {
        FloatVector av = FloatVector.broadcast(S, a);
        FloatVector cv = FloatVector.broadcast(S, c);
        int i = 0;
        if (y == null) {
            for (; i <= n - L; i += L) {
                FloatVector.fromArray(S, x, px + i).fma(av, cv).intoArray(o, po + i);
            }
            for (; i < n; i++) {
                o[po + i] = Math.fma(x[px + i], a, c);
            }
            return;
        }
        FloatVector bv = FloatVector.broadcast(S, b);
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(S, y, py + i).fma(bv, FloatVector.fromArray(S, x, px + i).fma(av, cv)).intoArray(o, po + i);
        }
        for (; i < n; i++) {
            o[po + i] = Math.fma(y[py + i], b, Math.fma(x[px + i], a, c));
        }
    }

    static void backward(Tensor gradInput, Tensor gradWeight, Tensor gradBias, Tensor gradOut, Tensor x, Tensor mean, Tensor invstd,
                         Tensor weight, boolean batchStats) {
        Dims d = Dims.of(x);
        float[] xd = Elementwise.f(x);
        float[] gd = Elementwise.f(gradOut);
        int xo = x.offset();
        int go = gradOut.offset();
        double[] sumDy = new double[d.c];
        double[] sumDyXhat = new double[d.c];
        boolean sums = gradWeight != null || gradBias != null || (gradInput != null && batchStats);
        float[] gi = gradInput == null ? null : Elementwise.f(gradInput);
        int gio = gradInput == null ? 0 : gradInput.offset();
        InputGradient dx = gradInput == null ? null : new InputGradient(d, mean, invstd, weight, batchStats);
        // With enough channels to go round the threads, each channel's input gradient follows its
        // sums while the channel's planes are still in this core's caches (they are read last to
        // first, the most recently summed first): the separate pass over all planes read both
        // tensors again from memory, eight megabytes each in ResNet-20's first stage. Planes of
        // fewer than 256 elements stay with the separate pass, which reads memory in order: one
        // channel's 8×8 planes lie 16 kB apart in ResNet-20's last stage, and fused they took
        // 10 % longer on one thread.
        boolean fused = dx != null && sums && d.c >= 4 * Parallel.threads() && d.m >= 256;
        if (sums) {
            Parallel.forRange(d.c, 1, (s, e) -> {
                float[] pair = new float[2];
                for (int ch = s; ch < e; ch++) {
                    float mu = value(mean, ch, 0);
                    double dy = 0;
                    double dyCentred = 0;
                    for (int b = 0; b < d.n; b++) {
                        gradientSums(gd, go + d.plane(b, ch), xd, xo + d.plane(b, ch), d.m, mu, pair);
                        dy += pair[0];
                        dyCentred += pair[1];
                    }
                    sumDy[ch] = dy;
                    sumDyXhat[ch] = dyCentred * value(invstd, ch, 0);
                    if (fused) {
                        dx.coefficients(ch, sumDy[ch], sumDyXhat[ch]);
                        for (int b = d.n - 1; b >= 0; b--) {
                            dx.plane(gi, gio, gd, go, xd, xo, b * d.c + ch);
                        }
                    }
                }
            });
        }
        for (int ch = 0; ch < d.c; ch++) {
            if (gradWeight != null) {
                Elementwise.f(gradWeight)[gradWeight.offset() + ch] = (float) sumDyXhat[ch];
            }
            if (gradBias != null) {
                Elementwise.f(gradBias)[gradBias.offset() + ch] = (float) sumDy[ch];
            }
        }
        if (dx == null || fused) {
            return;
        }
        for (int ch = 0; ch < d.c; ch++) {
            dx.coefficients(ch, sumDy[ch], sumDyXhat[ch]);
        }
        Parallel.forRange(d.n * d.c, Math.max(1, 16384 / Math.max(d.m, 1)), (s, e) -> {
            for (int pl = s; pl < e; pl++) {
                dx.plane(gi, gio, gd, go, xd, xo, pl);
            }
        });
    }

    /**
     * dx = scale·(dy − Σdy/count − x̂·Σ(dy·x̂)/count) with x̂ = (x − mean)·invstd, written as
     * a·dy + b·x + c per channel so that the pass is two fused multiply-adds per element.
     */
    private static final class InputGradient {
        final Dims d;
        final Tensor mean;
        final Tensor invstd;
        final Tensor weight;
        final boolean batchStats;
        final float[] a;
        final float[] bx;
        final float[] c;

        InputGradient(Dims d, Tensor mean, Tensor invstd, Tensor weight, boolean batchStats) {
            this.d = d;
            this.mean = mean;
            this.invstd = invstd;
            this.weight = weight;
            this.batchStats = batchStats;
            a = new float[d.c];
            bx = new float[d.c];
            c = new float[d.c];
        }

        void coefficients(int ch, double sumDy, double sumDyXhat) {
            double count = (double) d.n * d.m;
            double inv = value(invstd, ch, 0);
            double scale = value(weight, ch, 1) * inv;
            a[ch] = (float) scale;
            if (batchStats) {
                double k = scale * inv * sumDyXhat / count;
                bx[ch] = (float) -k;
                c[ch] = (float) (-scale * sumDy / count + k * value(mean, ch, 0));
            }
        }

        /** The input gradient of (sample, channel) plane {@code pl}. */
        void plane(float[] gi, int gio, float[] gd, int go, float[] xd, int xo, int pl) {
            int ch = pl % d.c;
            affine(gi, gio + pl * d.m, gd, go + pl * d.m, d.m, a[ch], bx[ch], batchStats ? xd : null, xo + pl * d.m, c[ch]);
        }
    }

    /** pair[0] = Σ dy and pair[1] = Σ dy·(x − mu) over one row. */
    private static void gradientSums(float[] dy, int pd, float[] x, int px, int n, float mu, float[] pair) {
        FloatVector m = FloatVector.broadcast(S, mu);
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector g = FloatVector.fromArray(S, dy, pd + i);
            s0 = s0.add(g);
            s1 = g.fma(FloatVector.fromArray(S, x, px + i).sub(m), s1);
        }
        float a = Lanes.sum(s0);
        float b = Lanes.sum(s1);
        for (; i < n; i++) {
            a += dy[pd + i];
            b += dy[pd + i] * (x[px + i] - mu);
        }
        pair[0] = a;
        pair[1] = b;
    }
}
