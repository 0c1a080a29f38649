package dev.cortado.testing;

import dev.cortado.tensor.Tensor;

import static dev.cortado.testing.ReferenceBackend.get;
import static dev.cortado.testing.ReferenceBackend.set;

/** Batch normalisation as the textbook sums in double, one channel at a time. */
final class ReferenceNorm {
    private ReferenceNorm() {
    }

    /** Element i of x (N, C, M) belongs to channel (i / M) % C. */
    private static int channel(Tensor x, int i) {
        int m = x.numel() / (x.size(0) * x.size(1));
        return i / m % x.size(1);
    }

    static void stats(Tensor mean, Tensor var, Tensor x) {
        int c = x.size(1);
        double[] sum = new double[c];
        double[] sq = new double[c];
        double count = (double) x.numel() / c;
        for (int i = 0; i < x.numel(); i++) {
            sum[channel(x, i)] += get(x, i);
        }
        for (int i = 0; i < x.numel(); i++) {
            double d = get(x, i) - sum[channel(x, i)] / count;
            sq[channel(x, i)] += d * d;
        }
        for (int k = 0; k < c; k++) {
            set(mean, k, sum[k] / count);
            set(var, k, sq[k] / count);
        }
    }

    static void apply(Tensor out, Tensor x, Tensor mean, Tensor invstd, Tensor weight, Tensor bias) {
        for (int i = 0; i < x.numel(); i++) {
            int k = channel(x, i);
            double y = (get(x, i) - get(mean, k)) * get(invstd, k);
            set(out, i, y * (weight == null ? 1 : get(weight, k)) + (bias == null ? 0 : get(bias, k)));
        }
    }

    static void backward(Tensor gradInput, Tensor gradWeight, Tensor gradBias, Tensor gradOut, Tensor x, Tensor mean, Tensor invstd,
                         Tensor weight, boolean batchStats) {
        int c = x.size(1);
        double count = (double) x.numel() / c;
        double[] sumDy = new double[c];
        double[] sumDyXhat = new double[c];
        for (int i = 0; i < x.numel(); i++) {
            int k = channel(x, i);
            double dy = get(gradOut, i);
            sumDy[k] += dy;
            sumDyXhat[k] += dy * (get(x, i) - get(mean, k)) * get(invstd, k);
        }
        for (int k = 0; k < c; k++) {
            if (gradWeight != null) {
                set(gradWeight, k, sumDyXhat[k]);
            }
            if (gradBias != null) {
                set(gradBias, k, sumDy[k]);
            }
        }
        if (gradInput == null) {
            return;
        }
        for (int i = 0; i < x.numel(); i++) {
            int k = channel(x, i);
            double scale = (weight == null ? 1 : get(weight, k)) * get(invstd, k);
            double dy = get(gradOut, i);
            if (batchStats) {
                double xhat = (get(x, i) - get(mean, k)) * get(invstd, k);
                dy = dy - sumDy[k] / count - xhat * sumDyXhat[k] / count;
            }
            set(gradInput, i, scale * dy);
        }
    }
}
