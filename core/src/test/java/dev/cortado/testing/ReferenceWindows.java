package dev.cortado.testing;

import dev.cortado.backend.Conv2dParams;
import dev.cortado.backend.Pool2dParams;
import dev.cortado.tensor.Tensor;

import static dev.cortado.testing.ReferenceBackend.get;
import static dev.cortado.testing.ReferenceBackend.getLong;
import static dev.cortado.testing.ReferenceBackend.set;
import static dev.cortado.testing.ReferenceBackend.setLong;

/** Convolution and pooling written as the textbook sums, one output element at a time. */
final class ReferenceWindows {
    private ReferenceWindows() {
    }

    /** Visits every (output, input, weight) triple of a convolution whose input pixel is inside the image. */
    private interface Tap {
        void at(int outIndex, int inIndex, int weightIndex);
    }

    private static void taps(int[] xs, int[] ws, int[] os, Conv2dParams p, Tap tap) {
        int n = xs[0], cin = xs[1], h = xs[2], w = xs[3];
        int cout = ws[0], cg = ws[1], kh = ws[2], kw = ws[3];
        int oh = os[2], ow = os[3];
        int coutG = cout / p.groups();
        for (int b = 0; b < n; b++) {
            for (int co = 0; co < cout; co++) {
                int g = co / coutG;
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        int o = ((b * cout + co) * oh + y) * ow + x;
                        for (int c = 0; c < cg; c++) {
                            int ci = g * cg + c;
                            for (int i = 0; i < kh; i++) {
                                int iy = y * p.strideH() - p.padH() + i * p.dilationH();
                                for (int j = 0; j < kw; j++) {
                                    int ix = x * p.strideW() - p.padW() + j * p.dilationW();
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        tap.at(o, ((b * cin + ci) * h + iy) * w + ix, ((co * cg + c) * kh + i) * kw + j);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static void conv2d(Tensor out, Tensor x, Tensor w, Conv2dParams p) {
        double[] acc = new double[out.numel()];
        taps(x.shape(), w.shape(), out.shape(), p, (o, i, k) -> acc[o] += get(x, i) * get(w, k));
        store(out, acc);
    }

    static void conv2dBackwardInput(Tensor gradInput, Tensor gradOut, Tensor w, Conv2dParams p) {
        double[] acc = new double[gradInput.numel()];
        taps(gradInput.shape(), w.shape(), gradOut.shape(), p, (o, i, k) -> acc[i] += get(gradOut, o) * get(w, k));
        store(gradInput, acc);
    }

    static void conv2dBackwardWeight(Tensor gradWeight, Tensor gradOut, Tensor x, Conv2dParams p) {
        double[] acc = new double[gradWeight.numel()];
        taps(x.shape(), gradWeight.shape(), gradOut.shape(), p, (o, i, k) -> acc[k] += get(gradOut, o) * get(x, i));
        store(gradWeight, acc);
    }

    private static void store(Tensor t, double[] values) {
        for (int i = 0; i < values.length; i++) {
            set(t, i, values[i]);
        }
    }

    static void maxPool2d(Tensor out, Tensor indices, Tensor x, Pool2dParams p) {
        int[] xs = x.shape();
        int h = xs[2], w = xs[3];
        int oh = out.size(2), ow = out.size(3);
        int planes = xs[0] * xs[1];
        for (int pl = 0; pl < planes; pl++) {
            for (int y = 0; y < oh; y++) {
                for (int xo = 0; xo < ow; xo++) {
                    double best = Double.NEGATIVE_INFINITY;
                    int bestIndex = -1;
                    for (int i = 0; i < p.kernelH(); i++) {
                        int iy = y * p.strideH() - p.padH() + i * p.dilationH();
                        for (int j = 0; j < p.kernelW(); j++) {
                            int ix = xo * p.strideW() - p.padW() + j * p.dilationW();
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                continue;
                            }
                            double v = get(x, (pl * h + iy) * w + ix);
                            if (bestIndex < 0 || v > best || Double.isNaN(v)) {
                                best = v;
                                bestIndex = iy * w + ix;
                            }
                        }
                    }
                    int o = (pl * oh + y) * ow + xo;
                    set(out, o, best);
                    setLong(indices, o, bestIndex);
                }
            }
        }
    }

    static void maxPool2dBackward(Tensor gradInput, Tensor gradOut, Tensor indices) {
        int plane = gradInput.size(2) * gradInput.size(3);
        int outPlane = gradOut.size(2) * gradOut.size(3);
        double[] acc = new double[gradInput.numel()];
        for (int o = 0; o < gradOut.numel(); o++) {
            long k = getLong(indices, o);
            if (k >= 0) {
                acc[o / outPlane * plane + (int) k] += get(gradOut, o);
            }
        }
        store(gradInput, acc);
    }

    /** The window of output (y, x) clipped to the image, and its PyTorch divisor, as {y0, y1, x0, x1, divisor}. */
    private static int[] avgWindow(int y, int x, int h, int w, Pool2dParams p) {
        int y0 = y * p.strideH() - p.padH();
        int x0 = x * p.strideW() - p.padW();
        int y1 = Math.min(y0 + p.kernelH(), h + p.padH());
        int x1 = Math.min(x0 + p.kernelW(), w + p.padW());
        int padded = (y1 - y0) * (x1 - x0);
        y0 = Math.max(y0, 0);
        x0 = Math.max(x0, 0);
        y1 = Math.min(y1, h);
        x1 = Math.min(x1, w);
        return new int[] {y0, y1, x0, x1, p.countIncludePad() ? padded : (y1 - y0) * (x1 - x0)};
    }

    static void avgPool2d(Tensor out, Tensor x, Pool2dParams p) {
        int h = x.size(2), w = x.size(3);
        int oh = out.size(2), ow = out.size(3);
        int planes = x.size(0) * x.size(1);
        for (int pl = 0; pl < planes; pl++) {
            for (int y = 0; y < oh; y++) {
                for (int xo = 0; xo < ow; xo++) {
                    int[] win = avgWindow(y, xo, h, w, p);
                    double sum = 0;
                    for (int iy = win[0]; iy < win[1]; iy++) {
                        for (int ix = win[2]; ix < win[3]; ix++) {
                            sum += get(x, (pl * h + iy) * w + ix);
                        }
                    }
                    set(out, (pl * oh + y) * ow + xo, sum / win[4]);
                }
            }
        }
    }

    static void avgPool2dBackward(Tensor gradInput, Tensor gradOut, Pool2dParams p) {
        int h = gradInput.size(2), w = gradInput.size(3);
        int oh = gradOut.size(2), ow = gradOut.size(3);
        int planes = gradInput.size(0) * gradInput.size(1);
        double[] acc = new double[gradInput.numel()];
        for (int pl = 0; pl < planes; pl++) {
            for (int y = 0; y < oh; y++) {
                for (int xo = 0; xo < ow; xo++) {
                    int[] win = avgWindow(y, xo, h, w, p);
                    double g = get(gradOut, (pl * oh + y) * ow + xo) / win[4];
                    for (int iy = win[0]; iy < win[1]; iy++) {
                        for (int ix = win[2]; ix < win[3]; ix++) {
                            acc[(pl * h + iy) * w + ix] += g;
                        }
                    }
                }
            }
        }
        store(gradInput, acc);
    }
}
