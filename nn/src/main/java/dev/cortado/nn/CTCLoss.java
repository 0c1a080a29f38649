package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/**
 * {@code nn.CTCLoss(blank=0, reduction='mean', zero_infinity=False)}: {@link F#ctcLoss} for
 * sequence models (speech, handwriting) whose outputs are not aligned with their targets.
 */
public final class CTCLoss {
    private final int blank;
    private final Reduction reduction;
    private final boolean zeroInfinity;

    public CTCLoss() {
        this(0, Reduction.MEAN, false);
    }

    /** zeroInfinity: a target no alignment reaches (an input too short) costs 0 and gives no gradient, instead of infinity. */
    public CTCLoss(int blank, Reduction reduction, boolean zeroInfinity) {
        if (blank < 0) {
            throw new IllegalArgumentException("CTCLoss: blank must be a class index, got " + blank);
        }
        this.blank = blank;
        this.reduction = reduction;
        this.zeroInfinity = zeroInfinity;
    }

    /** Log-probabilities (T, N, C), targets (N, S) or 1-d, and int64 lengths per sample. */
    public Tensor forward(Tensor logProbs, Tensor targets, Tensor inputLengths, Tensor targetLengths) {
        return F.ctcLoss(logProbs, targets, inputLengths, targetLengths, blank, reduction, zeroInfinity);
    }

    /** With the lengths as arrays, as PyTorch takes tuples of ints. */
    public Tensor forward(Tensor logProbs, Tensor targets, long[] inputLengths, long[] targetLengths) {
        return forward(logProbs, targets, lengths(inputLengths, logProbs), lengths(targetLengths, logProbs));
    }

    private static Tensor lengths(long[] values, Tensor like) {
        return Tensor.fromArray(values, new int[] {values.length}, like.device());
    }
}
