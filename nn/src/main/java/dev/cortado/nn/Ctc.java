package dev.cortado.nn;

import dev.cortado.autograd.GradMode;
import dev.cortado.tensor.CustomFunction;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/**
 * {@code F.ctc_loss}: the negative log-likelihood of each target sequence summed over every
 * alignment of it to the input frames (blanks between and around labels, repeats merged), by
 * Graves' forward recursion in log space; the backward pass runs the backward recursion. Both run
 * on the host in double precision (one read of the log-probabilities, a synchronisation on a GPU),
 * as PyTorch's CPU kernel does, and the gradient is PyTorch's: {@code exp(lp) − Σ αβ / p}, which
 * adds the softmax to the true gradient with respect to the log-probabilities, a term that the
 * log_softmax before the loss cancels exactly.
 */
final class Ctc {
    private static final double NEG_INF = Double.NEGATIVE_INFINITY;

    private Ctc() {
    }

    /**
     * logProbs (T, N, C) or (T, C); targets (N, S) padded, or 1-d, the targets one after another;
     * lengths int64 of N (or 1) values.
     */
    static Tensor ctcLoss(Tensor logProbs, Tensor targets, Tensor inputLengths, Tensor targetLengths, int blank, Reduction reduction,
                          boolean zeroInfinity) {
        String op = "ctc_loss";
        boolean unbatched = logProbs.dim() == 2;
        if (logProbs.dim() != 2 && logProbs.dim() != 3) {
            throw new IllegalArgumentException(op + ": expected log_probs (T, N, C) or (T, C), got " + Shapes.str(logProbs.shape()));
        }
        Tensor lp = unbatched ? logProbs.unsqueeze(1) : logProbs;
        int steps = lp.size(0);
        int batch = lp.size(1);
        int classes = lp.size(2);
        if (blank < 0 || blank >= classes) {
            throw new IllegalArgumentException(op + ": blank " + blank + " must be a class, in 0.." + (classes - 1));
        }
        long[] inLengths = lengths(op, "input_lengths", inputLengths, batch);
        long[] tgtLengths = lengths(op, "target_lengths", targetLengths, batch);
        int[][] labels = labels(op, unbatched ? targets.unsqueeze(0) : targets, tgtLengths, batch, classes, blank, unbatched);
        for (int n = 0; n < batch; n++) {
            if (inLengths[n] > steps) {
                throw new IllegalArgumentException(op + ": input length " + inLengths[n] + " of sample " + n + " is more than the " + steps
                        + " frames of log_probs " + Shapes.str(logProbs.shape()));
            }
        }
        double[] values = lp.toDoubleArray();
        Lattice[] lattices = new Lattice[batch];
        double[] losses = new double[batch];
        for (int n = 0; n < batch; n++) {
            lattices[n] = new Lattice(values, batch, classes, n, (int) inLengths[n], labels[n], blank);
            double nll = lattices[n].nll;
            losses[n] = zeroInfinity && Double.isInfinite(nll) ? 0 : nll;
        }
        Tensor out = Tensor.fromArray(losses, new int[] {batch}, logProbs.device());
        Tensor perSample = CustomFunction.record(out, "CtcLossBackward0", (g, needs) -> {
            double[] scale = g.toDoubleArray();
            double[] grad = new double[steps * batch * classes];
            for (int n = 0; n < batch; n++) {
                if (!(zeroInfinity && Double.isInfinite(lattices[n].nll))) {
                    lattices[n].gradient(values, grad, scale[n]);
                }
            }
            return new Tensor[] {Tensor.fromArray(grad, logProbs.shape(), logProbs.device())};
        }, logProbs);
        Tensor loss = unbatched ? perSample.squeeze(0) : perSample;
        return switch (reduction) {
            case NONE -> loss;
            case SUM -> loss.sum();
            // PyTorch's mean: each loss divided by its target length (at least 1), then the batch mean.
            case MEAN -> loss.div(Tensor.fromArray(java.util.Arrays.stream(tgtLengths).mapToDouble(l -> Math.max(l, 1)).toArray(),
                    unbatched ? new int[0] : new int[] {batch}, logProbs.device())).mean();
            case BATCHMEAN -> throw Losses.batchMeanOnlyForKlDiv();
        };
    }

    private static long[] lengths(String op, String name, Tensor lengths, int batch) {
        if (lengths.dtype() != DType.INT64 || lengths.numel() != batch || lengths.dim() > 1) {
            throw new IllegalArgumentException(op + ": " + name + " must be int64 with one length per sample (" + batch + "), got "
                    + lengths.dtype() + " " + Shapes.str(lengths.shape()));
        }
        long[] values = lengths.toLongArray();
        for (int n = 0; n < batch; n++) {
            if (values[n] < 0) {
                throw new IllegalArgumentException(op + ": " + name + " must not be negative, got " + values[n] + " for sample " + n);
            }
        }
        return values;
    }

    /** Each sample's labels, from the padded rows or the concatenation, checked against the classes. */
    private static int[][] labels(String op, Tensor targets, long[] lengths, int batch, int classes, int blank, boolean unbatched) {
        if (targets.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": targets must be int64 class indices, got " + targets.dtype());
        }
        boolean padded = targets.dim() == 2;
        long total = java.util.Arrays.stream(lengths).sum();
        if (padded && targets.size(0) != batch) {
            throw new IllegalArgumentException(op + ": padded targets " + Shapes.str(targets.shape()) + " must have one row per sample (" + batch + ")");
        }
        if (!padded && (unbatched || targets.dim() != 1)) {
            throw new IllegalArgumentException(op + ": targets must be (N, S) padded, or 1-d and as long as the target lengths' sum, got "
                    + Shapes.str(targets.shape()));
        }
        long[] flat = targets.toLongArray();
        int width = padded ? targets.size(1) : 0;
        if (!padded && flat.length != total) {
            throw new IllegalArgumentException(op + ": 1-d targets hold " + flat.length + " labels, but the target lengths add up to " + total);
        }
        int[][] labels = new int[batch][];
        long offset = 0;
        for (int n = 0; n < batch; n++) {
            if (padded && lengths[n] > width) {
                throw new IllegalArgumentException(op + ": target length " + lengths[n] + " of sample " + n + " is more than the " + width
                        + " columns of targets " + Shapes.str(targets.shape()));
            }
            labels[n] = new int[(int) lengths[n]];
            for (int s = 0; s < lengths[n]; s++) {
                long label = flat[(int) (padded ? (long) n * width + s : offset + s)];
                if (label < 0 || label >= classes || label == blank) {
                    throw new IllegalArgumentException(op + ": target " + label + " at position " + s + " of sample " + n + " must be a class in 0.."
                            + (classes - 1) + " other than the blank " + blank);
                }
                labels[n][s] = (int) label;
            }
            offset += lengths[n];
        }
        return labels;
    }

    /** One sample's forward variables α and its loss; the backward variables are made for the gradient. */
    private static final class Lattice {
        final int batch;
        final int classes;
        final int n;
        final int steps;
        /** The extended labels: blank, l1, blank, l2, ..., blank. */
        final int[] extended;
        final double[][] alpha;
        final double nll;

        Lattice(double[] lp, int batch, int classes, int n, int steps, int[] labels, int blank) {
            this.batch = batch;
            this.classes = classes;
            this.n = n;
            this.steps = steps;
            int states = 2 * labels.length + 1;
            extended = new int[states];
            for (int s = 0; s < states; s++) {
                extended[s] = s % 2 == 0 ? blank : labels[s / 2];
            }
            alpha = new double[steps][states];
            if (steps == 0) {
                // No frames: only the empty target has an alignment, of probability 1.
                nll = labels.length == 0 ? 0 : Double.POSITIVE_INFINITY;
                return;
            }
            java.util.Arrays.fill(alpha[0], NEG_INF);
            alpha[0][0] = lp(lp, 0, blank);
            if (states > 1) {
                alpha[0][1] = lp(lp, 0, extended[1]);
            }
            for (int t = 1; t < steps; t++) {
                for (int s = 0; s < states; s++) {
                    double stay = alpha[t - 1][s];
                    double advance = s > 0 ? alpha[t - 1][s - 1] : NEG_INF;
                    double skip = skips(s) ? alpha[t - 1][s - 2] : NEG_INF;
                    alpha[t][s] = logSumExp(stay, advance, skip) + lp(lp, t, extended[s]);
                }
            }
            double end = alpha[steps - 1][states - 1];
            nll = -(states > 1 ? logSumExp(end, alpha[steps - 1][states - 2], NEG_INF) : end);
        }

        /** Whether state s may be reached from s − 2, skipping a blank: a label unlike the one before it. */
        private boolean skips(int s) {
            return s > 1 && s % 2 == 1 && extended[s] != extended[s - 2];
        }

        private double lp(double[] lp, int t, int c) {
            return lp[(t * batch + n) * classes + c];
        }

        /** Adds scale · PyTorch's gradient of this sample's loss to grad (T, N, C); frames past its length get none. */
        void gradient(double[] lp, double[] grad, double scale) {
            int states = extended.length;
            if (steps == 0) {
                return;
            }
            double[] next = new double[states];
            double[] beta = new double[states];
            java.util.Arrays.fill(beta, NEG_INF);
            double[] collected = new double[classes];
            for (int t = steps - 1; t >= 0; t--) {
                for (int s = 0; s < states; s++) {
                    if (t == steps - 1) {
                        beta[s] = s >= states - 2 ? lp(lp, t, extended[s]) : NEG_INF;
                    } else {
                        double stay = next[s];
                        double advance = s + 1 < states ? next[s + 1] : NEG_INF;
                        double skip = s + 2 < states && skips(s + 2) ? next[s + 2] : NEG_INF;
                        beta[s] = logSumExp(stay, advance, skip) + lp(lp, t, extended[s]);
                    }
                }
                java.util.Arrays.fill(collected, NEG_INF);
                for (int s = 0; s < states; s++) {
                    int c = extended[s];
                    collected[c] = logSumExp(collected[c], alpha[t][s] + beta[s], NEG_INF);
                }
                for (int c = 0; c < classes; c++) {
                    double l = lp(lp, t, c);
                    // α and β both hold frame t's emission: dividing by it once leaves Σ αβ / y.
                    double g = Math.exp(l) - Math.exp(collected[c] + nll - l);
                    grad[(t * batch + n) * classes + c] += g * scale;
                }
                double[] swap = next;
                next = beta;
                beta = swap;
            }
        }
    }

    private static double logSumExp(double a, double b, double c) {
        double m = Math.max(a, Math.max(b, c));
        if (m == NEG_INF) {
            return NEG_INF;
        }
        return m + Math.log(Math.exp(a - m) + Math.exp(b - m) + Math.exp(c - m));
    }
}
